import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { type SearchBody } from '../../queries/search';
import { keyOrNumberSchema, keyParams, searchBodySchema, toKey, variablesSchema } from '../schemas';

interface CreateBody {
  processDefinitionId?: string;
  processDefinitionKey?: string | number;
  processDefinitionVersion?: number;
  variables?: Record<string, unknown>;
  tenantId?: string;
  awaitCompletion?: boolean;
  requestTimeout?: number;
  fetchVariables?: string[];
  startInstructions?: { elementId: string }[];
}

const createSchema = {
  type: 'object',
  properties: {
    processDefinitionId: { type: 'string', minLength: 1 },
    processDefinitionKey: keyOrNumberSchema,
    processDefinitionVersion: { type: 'integer' },
    variables: variablesSchema,
    tenantId: { type: 'string' },
    operationReference: { type: 'integer' },
    startInstructions: {
      type: 'array',
      items: { type: 'object', required: ['elementId'], properties: { elementId: { type: 'string', minLength: 1 } } },
    },
    awaitCompletion: { type: 'boolean' },
    requestTimeout: { type: 'integer' },
    fetchVariables: { type: 'array', items: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
  },
} as const;

export function processInstanceRoutes(app: FastifyInstance, engine: Engine): void {
  app.post<{ Body: CreateBody }>('/v2/process-instances', { schema: { body: createSchema } }, async (request) => {
    const body = request.body;
    const created = await engine.createProcessInstance(
      {
        processDefinitionId: body.processDefinitionId,
        processDefinitionKey: body.processDefinitionKey === undefined ? undefined : toKey(body.processDefinitionKey, 'a process definition'),
        processDefinitionVersion: body.processDefinitionVersion,
        variables: body.variables ?? {},
        startElementIds: body.startInstructions?.map((instruction) => instruction.elementId),
      },
      { awaitCompletion: body.awaitCompletion, requestTimeout: body.requestTimeout, fetchVariables: body.fetchVariables },
    );
    return {
      processDefinitionKey: String(created.definition.key),
      processDefinitionId: created.definition.bpmnProcessId,
      processDefinitionVersion: created.definition.version,
      processInstanceKey: String(created.processInstanceKey),
      tenantId: created.definition.tenantId,
      variables: created.variables ?? {},
    };
  });

  app.post<{ Body: SearchBody }>('/v2/process-instances/search', { schema: { body: searchBodySchema } }, (request) =>
    engine.queries.searchProcessInstances(request.body),
  );

  app.get<{ Params: { processInstanceKey: string } }>('/v2/process-instances/:processInstanceKey', { schema: { params: keyParams('processInstanceKey') } }, (request) =>
    engine.queries.getProcessInstance(request.params.processInstanceKey),
  );

  app.post<{ Params: { processInstanceKey: string } }>(
    '/v2/process-instances/:processInstanceKey/cancellation',
    { schema: { params: keyParams('processInstanceKey') } },
    async (request, reply) => {
      await engine.cancelProcessInstance(toKey(request.params.processInstanceKey, 'a process instance'));
      return reply.code(204).send();
    },
  );
}
