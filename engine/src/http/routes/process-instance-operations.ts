import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { invalidArgument } from '../../processing/rejection';
import { type BatchOperationType, type MigrationPlan } from '../../state/events';
import { keyOrNumberSchema, keyParams, toKey, variablesSchema } from '../schemas';

/**
 * Camunda 8.8's operations on running process instances: modification and
 * migration of one instance, and batch operations over a filter (cancel,
 * resolve incidents, migrate, move elements), answered with the batch operation's key while
 * its items are processed in the background.
 */

type RawKey = string | number;

interface ModifyBody {
  activateInstructions?: { elementId: string; ancestorElementInstanceKey?: RawKey; variableInstructions?: { variables: Record<string, unknown>; scopeId?: string }[] }[];
  terminateInstructions?: { elementInstanceKey: RawKey }[];
  operationReference?: number;
}

interface MappingBody {
  targetProcessDefinitionKey: RawKey;
  mappingInstructions: { sourceElementId: string; targetElementId: string }[];
  operationReference?: number;
}

const operationReference = { type: 'integer', minimum: 1 } as const;

/** `-1` (as text or number) means "the flow scope's single active instance", as on Camunda. */
const ancestorKeySchema = { anyOf: [keyOrNumberSchema, { const: '-1' }, { const: -1 }] } as const;

const modifySchema = {
  type: 'object',
  properties: {
    operationReference,
    activateInstructions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['elementId'],
        properties: {
          elementId: { type: 'string', minLength: 1 },
          ancestorElementInstanceKey: ancestorKeySchema,
          variableInstructions: {
            type: 'array',
            items: { type: 'object', required: ['variables'], properties: { variables: variablesSchema, scopeId: { type: 'string' } } },
          },
        },
      },
    },
    terminateInstructions: {
      type: 'array',
      items: { type: 'object', required: ['elementInstanceKey'], properties: { elementInstanceKey: keyOrNumberSchema } },
    },
  },
} as const;

const mappingProperties = {
  targetProcessDefinitionKey: keyOrNumberSchema,
  mappingInstructions: {
    type: 'array',
    items: {
      type: 'object',
      required: ['sourceElementId', 'targetElementId'],
      properties: { sourceElementId: { type: 'string', minLength: 1 }, targetElementId: { type: 'string', minLength: 1 } },
    },
  },
} as const;

const migrateSchema = { type: 'object', required: ['targetProcessDefinitionKey', 'mappingInstructions'], properties: { ...mappingProperties, operationReference } } as const;

const adHocActivationSchema = {
  type: 'object',
  required: ['elements'],
  properties: {
    elements: { type: 'array', items: { type: 'object', required: ['elementId'], properties: { elementId: { type: 'string', minLength: 1 }, variables: variablesSchema } } },
  },
} as const;

const filterSchema = { type: 'object' } as const;
const batchSchema = { type: 'object', required: ['filter'], properties: { filter: filterSchema, operationReference } } as const;
const batchMigrationSchema = {
  type: 'object',
  required: ['filter', 'migrationPlan'],
  properties: { filter: filterSchema, operationReference, migrationPlan: { type: 'object', required: ['targetProcessDefinitionKey', 'mappingInstructions'], properties: mappingProperties } },
} as const;

const batchModificationSchema = {
  type: 'object',
  required: ['filter', 'moveInstructions'],
  properties: {
    filter: filterSchema,
    operationReference,
    moveInstructions: { type: 'array', minItems: 1, items: mappingProperties.mappingInstructions.items },
  },
} as const;

const toPlan = (body: MappingBody): MigrationPlan => ({
  targetProcessDefinitionKey: toKey(body.targetProcessDefinitionKey, 'a process definition'),
  mappingInstructions: body.mappingInstructions.map(({ sourceElementId, targetElementId }) => ({ sourceElementId, targetElementId })),
});

export function processInstanceOperationRoutes(app: FastifyInstance, engine: Engine): void {
  app.post<{ Params: { processInstanceKey: string }; Body: ModifyBody }>(
    '/v2/process-instances/:processInstanceKey/modification',
    { schema: { params: keyParams('processInstanceKey'), body: modifySchema } },
    async (request, reply) => {
      const body = request.body ?? {};
      const activate = body.activateInstructions ?? [];
      const terminate = body.terminateInstructions ?? [];
      if (activate.length === 0 && terminate.length === 0) {
        throw invalidArgument('body.activateInstructions and body.terminateInstructions are both empty: expected at least one instruction');
      }
      await engine.modifyProcessInstance(toKey(request.params.processInstanceKey, 'a process instance'), {
        activateInstructions: activate.map((instruction) => ({
          elementId: instruction.elementId,
          ancestorElementInstanceKey:
            instruction.ancestorElementInstanceKey === undefined || String(instruction.ancestorElementInstanceKey) === '-1'
              ? undefined
              : toKey(instruction.ancestorElementInstanceKey, 'an ancestor element instance'),
          variableInstructions: (instruction.variableInstructions ?? []).map((v) => ({ variables: v.variables, ...(v.scopeId ? { scopeId: v.scopeId } : {}) })),
        })),
        terminateInstructions: terminate.map((instruction) => ({ elementInstanceKey: toKey(instruction.elementInstanceKey, 'an element instance') })),
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { processInstanceKey: string }; Body: MappingBody }>(
    '/v2/process-instances/:processInstanceKey/migration',
    { schema: { params: keyParams('processInstanceKey'), body: migrateSchema } },
    async (request, reply) => {
      await engine.migrateProcessInstance(toKey(request.params.processInstanceKey, 'a process instance'), toPlan(request.body));
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { adHocSubProcessInstanceKey: string }; Body: { elements: { elementId: string; variables?: Record<string, unknown> }[] } }>(
    '/v2/element-instances/ad-hoc-activities/:adHocSubProcessInstanceKey/activation',
    { schema: { params: keyParams('adHocSubProcessInstanceKey'), body: adHocActivationSchema } },
    async (request, reply) => {
      await engine.activateAdHocActivities(toKey(request.params.adHocSubProcessInstanceKey, 'an ad-hoc sub-process instance'), request.body.elements);
      return reply.code(204).send();
    },
  );

  const batch = (path: string, type: BatchOperationType) =>
    app.post<{ Body: { filter: Record<string, unknown> } }>(path, { schema: { body: batchSchema } }, (request) => created(engine.createBatchOperation(type, request.body.filter)));
  batch('/v2/process-instances/cancellation', 'CANCEL_PROCESS_INSTANCE');
  batch('/v2/process-instances/incident-resolution', 'RESOLVE_INCIDENT');
  app.post<{ Body: { filter: Record<string, unknown>; migrationPlan: MappingBody } }>('/v2/process-instances/migration', { schema: { body: batchMigrationSchema } }, (request) =>
    created(engine.createBatchOperation('MIGRATE_PROCESS_INSTANCE', request.body.filter, { migrationPlan: toPlan(request.body.migrationPlan) })),
  );
  app.post<{ Body: { filter: Record<string, unknown>; moveInstructions: { sourceElementId: string; targetElementId: string }[] } }>(
    '/v2/process-instances/modification',
    { schema: { body: batchModificationSchema } },
    (request) =>
      created(
        engine.createBatchOperation('MODIFY_PROCESS_INSTANCE', request.body.filter, {
          moveInstructions: request.body.moveInstructions.map(({ sourceElementId, targetElementId }) => ({ sourceElementId, targetElementId })),
        }),
      ),
  );
}

async function created(operation: Promise<{ batchOperationKey: number; batchOperationType: BatchOperationType }>) {
  const { batchOperationKey, batchOperationType } = await operation;
  return { batchOperationKey: String(batchOperationKey), batchOperationType };
}
