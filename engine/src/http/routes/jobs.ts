import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { type ActivatedJob } from '../../processing/commands/activate-jobs';
import { type TaskListenerResult } from '../../processing/task-listeners';
import { keyParams, toKey, variablesSchema } from '../schemas';

interface ActivationBody {
  type: string;
  worker?: string;
  timeout: number;
  maxJobsToActivate: number;
  fetchVariable?: string[];
  requestTimeout?: number;
  tenantIds?: string[];
}

const activationSchema = {
  type: 'object',
  required: ['type', 'timeout', 'maxJobsToActivate'],
  properties: {
    type: { type: 'string', minLength: 1 },
    worker: { type: 'string' },
    timeout: { type: 'integer', minimum: 1 },
    maxJobsToActivate: { type: 'integer', minimum: 1, maximum: 10_000 },
    fetchVariable: { type: 'array', items: { type: 'string' } },
    requestTimeout: { type: 'integer' },
    tenantIds: { type: 'array', items: { type: 'string' } },
  },
} as const;

const jobParams = keyParams('jobKey');

export function jobRoutes(app: FastifyInstance, engine: Engine): void {
  app.post<{ Body: ActivationBody }>('/v2/jobs/activation', { schema: { body: activationSchema } }, async (request) => {
    const body = request.body;
    const socket = request.raw.socket;
    const jobs = await engine.activateJobs(
      { type: body.type, worker: body.worker ?? 'default', timeout: body.timeout, maxJobsToActivate: body.maxJobsToActivate, fetchVariable: body.fetchVariable },
      { requestTimeout: body.requestTimeout, isClientGone: () => socket.destroyed },
    );
    return { jobs: jobs.map(toWire) };
  });

  app.post<{ Params: { jobKey: string }; Body: { variables?: Record<string, unknown>; result?: TaskListenerResult } | undefined }>(
    '/v2/jobs/:jobKey/completion',
    { schema: { params: jobParams, body: { type: ['object', 'null'], properties: { variables: { anyOf: [variablesSchema, { type: 'null' }] }, result: { type: 'object' } } } } },
    async (request, reply) => {
      await engine.completeJob(toKey(request.params.jobKey, 'a job'), request.body?.variables ?? {}, request.body?.result ?? undefined);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { jobKey: string }; Body: { retries?: number; errorMessage?: string; retryBackOff?: number; variables?: Record<string, unknown> } | undefined }>(
    '/v2/jobs/:jobKey/failure',
    {
      schema: {
        params: jobParams,
        body: {
          type: ['object', 'null'],
          properties: { retries: { type: 'integer' }, errorMessage: { type: 'string' }, retryBackOff: { type: 'integer', minimum: 0 }, variables: { anyOf: [variablesSchema, { type: 'null' }] } },
        },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      await engine.failJob(toKey(request.params.jobKey, 'a job'), {
        retries: body.retries ?? 0,
        errorMessage: body.errorMessage ?? '',
        retryBackOff: body.retryBackOff ?? 0,
        variables: body.variables ?? {},
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { jobKey: string }; Body: { errorCode: string; errorMessage?: string; variables?: Record<string, unknown> } }>(
    '/v2/jobs/:jobKey/error',
    {
      schema: {
        params: jobParams,
        body: {
          type: 'object',
          required: ['errorCode'],
          properties: { errorCode: { type: 'string', minLength: 1 }, errorMessage: { type: ['string', 'null'] }, variables: { anyOf: [variablesSchema, { type: 'null' }] } },
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      await engine.throwJobError(toKey(request.params.jobKey, 'a job'), body.errorCode, body.errorMessage ?? '', body.variables ?? {});
      return reply.code(204).send();
    },
  );

  app.patch<{ Params: { jobKey: string }; Body: { changeset: { retries?: number; timeout?: number } } }>(
    '/v2/jobs/:jobKey',
    {
      schema: {
        params: jobParams,
        body: {
          type: 'object',
          required: ['changeset'],
          properties: { changeset: { type: 'object', properties: { retries: { type: ['integer', 'null'] }, timeout: { type: ['integer', 'null'], minimum: 0 } } } },
        },
      },
    },
    async (request, reply) => {
      const { retries, timeout } = request.body.changeset;
      await engine.updateJob(toKey(request.params.jobKey, 'a job'), { retries: retries ?? undefined, timeout: timeout ?? undefined });
      return reply.code(204).send();
    },
  );
}

function toWire(activated: ActivatedJob) {
  const { job } = activated;
  return {
    type: job.type,
    processDefinitionId: activated.bpmnProcessId,
    processDefinitionVersion: activated.processDefinitionVersion,
    elementId: job.elementId,
    customHeaders: job.customHeaders,
    worker: job.worker ?? '',
    retries: job.retries,
    deadline: activated.deadline,
    variables: activated.variables,
    tenantId: activated.tenantId,
    jobKey: String(job.key),
    processInstanceKey: String(job.processInstanceKey),
    processDefinitionKey: String(job.processDefinitionKey),
    elementInstanceKey: String(job.elementInstanceKey),
    kind: job.listener?.kind ?? 'BPMN_ELEMENT',
    listenerEventType: job.listener?.eventType ?? 'UNSPECIFIED',
  };
}
