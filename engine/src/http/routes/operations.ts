import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { type SearchBody } from '../../queries/search';
import { keyParams, optionalObjectBody, searchBodySchema } from '../schemas';

/** Camunda's decision instance keys: the evaluation's key, a dash, the decision's place in it. */
const decisionInstanceKeySchema = { type: 'string', pattern: '^[0-9]{1,19}-[0-9]{1,9}$' } as const;

/**
 * What an operations view draws a process from: jobs, element statistics per
 * instance and per definition, taken sequence flows, message subscriptions and
 * decision instances (Camunda 8.8's REST API).
 */
export function operationsRoutes(app: FastifyInstance, engine: Engine): void {
  const search = { schema: { body: searchBodySchema } };
  const queries = engine.operations;

  app.post<{ Body: SearchBody }>('/v2/jobs/search', search, (request) => queries.searchJobs(request.body));
  app.post<{ Body: SearchBody }>('/v2/message-subscriptions/search', search, (request) => queries.searchMessageSubscriptions(request.body));
  app.post<{ Body: SearchBody }>('/v2/decision-instances/search', search, (request) => queries.searchDecisionInstances(request.body));
  app.get<{ Params: { decisionEvaluationInstanceKey: string } }>(
    '/v2/decision-instances/:decisionEvaluationInstanceKey',
    { schema: { params: { type: 'object', required: ['decisionEvaluationInstanceKey'], properties: { decisionEvaluationInstanceKey: decisionInstanceKeySchema } } } },
    (request) => queries.getDecisionInstance(request.params.decisionEvaluationInstanceKey),
  );

  app.post<{ Params: { processDefinitionKey: string }; Body: unknown }>(
    '/v2/process-definitions/:processDefinitionKey/statistics/element-instances',
    { schema: { params: keyParams('processDefinitionKey') } },
    (request) => {
      const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
      const { filter } = optionalObjectBody<{ filter: Record<string, unknown> }>(request.body, { filter: isObject });
      return queries.processDefinitionElementStatistics(request.params.processDefinitionKey, filter);
    },
  );
  app.get<{ Params: { processInstanceKey: string } }>(
    '/v2/process-instances/:processInstanceKey/statistics/element-instances',
    { schema: { params: keyParams('processInstanceKey') } },
    (request) => queries.processInstanceElementStatistics(request.params.processInstanceKey),
  );
  app.get<{ Params: { processInstanceKey: string } }>(
    '/v2/process-instances/:processInstanceKey/sequence-flows',
    { schema: { params: keyParams('processInstanceKey') } },
    (request) => queries.sequenceFlows(request.params.processInstanceKey),
  );
}
