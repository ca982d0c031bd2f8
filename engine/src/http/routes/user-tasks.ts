import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { splitCandidates, isDateTime } from '../../processing/user-task-attributes';
import { invalidArgument } from '../../processing/rejection';
import { type SearchBody } from '../../queries/search';
import { type UserTaskChanges } from '../../state/events';
import { keyParams, searchBodySchema, toKey, variablesSchema } from '../schemas';

const params = { params: keyParams('userTaskKey') };
type KeyParams = { Params: { userTaskKey: string } };

const changesetSchema = {
  type: ['object', 'null'],
  additionalProperties: true,
  properties: {
    candidateGroups: { type: 'array', items: { type: 'string' } },
    candidateUsers: { type: 'array', items: { type: 'string' } },
    dueDate: { type: ['string', 'null'] },
    followUpDate: { type: ['string', 'null'] },
    priority: { type: 'integer', minimum: 0, maximum: 100 },
    changeset: { type: ['object', 'null'] },
  },
} as const;

/** Camunda user tasks: search and look-ups from the projection, and the commands on a task. */
export function userTaskRoutes(app: FastifyInstance, engine: Engine): void {
  app.post<{ Body: SearchBody }>('/v2/user-tasks/search', { schema: { body: searchBodySchema } }, (request) => engine.queries.searchUserTasks(request.body));
  app.get<KeyParams>('/v2/user-tasks/:userTaskKey', { schema: params }, (request) => engine.queries.getUserTask(request.params.userTaskKey));
  app.get<KeyParams>('/v2/user-tasks/:userTaskKey/form', { schema: params }, async (request, reply) => {
    const form = await engine.queries.getUserTaskForm(request.params.userTaskKey);
    return form ? form : reply.code(204).send();
  });
  app.post<KeyParams & { Body: SearchBody }>('/v2/user-tasks/:userTaskKey/variables/search', { schema: { ...params, body: searchBodySchema } }, (request) =>
    engine.queries.searchUserTaskVariables(request.params.userTaskKey, request.body),
  );

  app.post<KeyParams & { Body: { assignee: string; allowOverride?: boolean; action?: string } }>(
    '/v2/user-tasks/:userTaskKey/assignment',
    {
      schema: {
        ...params,
        body: {
          type: 'object',
          required: ['assignee'],
          properties: { assignee: { type: 'string', minLength: 1 }, allowOverride: { type: ['boolean', 'null'] }, action: { type: ['string', 'null'] } },
        },
      },
    },
    async (request, reply) => {
      await engine.assignUserTask(toKey(request.params.userTaskKey, 'a user task'), request.body.assignee, request.body.allowOverride ?? true);
      return reply.code(204).send();
    },
  );
  app.delete<KeyParams>('/v2/user-tasks/:userTaskKey/assignee', { schema: params }, async (request, reply) => {
    await engine.unassignUserTask(toKey(request.params.userTaskKey, 'a user task'));
    return reply.code(204).send();
  });
  app.post<KeyParams & { Body: { variables?: Record<string, unknown> | null; action?: string } | undefined }>(
    '/v2/user-tasks/:userTaskKey/completion',
    { schema: { ...params, body: { type: ['object', 'null'], properties: { variables: { ...variablesSchema, type: ['object', 'null'] }, action: { type: ['string', 'null'] } } } } },
    async (request, reply) => {
      await engine.completeUserTask(toKey(request.params.userTaskKey, 'a user task'), request.body?.variables ?? {});
      return reply.code(204).send();
    },
  );

  // Camunda's PATCH /user-tasks/{key} takes { changeset, action }; the 8.8 SDK sends
  // the changeset itself to PATCH /user-tasks/{key}/update.
  type UpdateBody = { changeset?: Record<string, unknown> | null; action?: string } | undefined;
  app.patch<KeyParams & { Body: UpdateBody }>(
    '/v2/user-tasks/:userTaskKey',
    { schema: { ...params, body: { type: ['object', 'null'], additionalProperties: false, properties: { changeset: changesetSchema, action: { type: ['string', 'null'] } } } } },
    async (request, reply) => {
      await engine.updateUserTask(toKey(request.params.userTaskKey, 'a user task'), toChanges(request.body?.changeset ?? {}));
      return reply.code(204).send();
    },
  );
  app.patch<KeyParams & { Body: Record<string, unknown> | undefined }>('/v2/user-tasks/:userTaskKey/update', { schema: { ...params, body: changesetSchema } }, async (request, reply) => {
    const body = request.body ?? {};
    const changeset = 'changeset' in body ? ((body.changeset as Record<string, unknown> | null) ?? {}) : body;
    await engine.updateUserTask(toKey(request.params.userTaskKey, 'a user task'), toChanges(changeset));
    return reply.code(204).send();
  });
}

function toChanges(changeset: Record<string, unknown>): UserTaskChanges {
  const known = new Set(['candidateGroups', 'candidateUsers', 'dueDate', 'followUpDate', 'priority']);
  const unknown = Object.keys(changeset).filter((name) => !known.has(name) && name !== 'action');
  if (unknown.length > 0) throw invalidArgument(`Expected the changeset to hold only ${[...known].join(', ')}, but found '${unknown.join("', '")}'.`);
  for (const name of ['dueDate', 'followUpDate'] as const) {
    const value = changeset[name];
    if (typeof value === 'string' && value !== '' && !isDateTime(value)) throw invalidArgument(`Expected changeset.${name} to be an ISO 8601 date-time with an offset, but it is '${value}'.`);
  }
  const date = (value: unknown) => (value === undefined ? undefined : value === '' || value === null ? null : (value as string));
  const list = (value: unknown) => (value === undefined ? undefined : (value as string[]).flatMap(splitCandidates));
  return {
    ...(changeset.candidateGroups !== undefined ? { candidateGroups: list(changeset.candidateGroups) } : {}),
    ...(changeset.candidateUsers !== undefined ? { candidateUsers: list(changeset.candidateUsers) } : {}),
    ...(changeset.dueDate !== undefined ? { dueDate: date(changeset.dueDate) } : {}),
    ...(changeset.followUpDate !== undefined ? { followUpDate: date(changeset.followUpDate) } : {}),
    ...(changeset.priority !== undefined ? { priority: changeset.priority as number } : {}),
  };
}
