import { type FastifyInstance } from 'fastify';
import { type Engine } from '../../engine';
import { type SearchBody } from '../../queries/search';
import { xmlRoute } from './xml-route';
import { keyOrNumberSchema, keyParams, searchBodySchema, toKey, variablesSchema } from '../schemas';

/** Decision definitions and requirements: searches, XML, and evaluation. */
export function decisionRoutes(app: FastifyInstance, engine: Engine): void {
  const search = { schema: { body: searchBodySchema } };

  app.post<{ Body: { decisionDefinitionId?: string; decisionDefinitionKey?: string | number; variables?: Record<string, unknown>; tenantId?: string } }>(
    '/v2/decision-definitions/evaluation',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            decisionDefinitionId: { type: 'string', minLength: 1 },
            decisionDefinitionKey: keyOrNumberSchema,
            variables: variablesSchema,
            tenantId: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const { decisionDefinitionId, decisionDefinitionKey, variables } = request.body;
      const { decision, decisionInstanceKey, outcome } = await engine.evaluateDecision({
        decisionDefinitionId,
        decisionDefinitionKey: decisionDefinitionKey === undefined ? undefined : toKey(decisionDefinitionKey, 'a decision'),
        variables: variables ?? {},
      });
      // Required decisions were deployed with the evaluated one, in the same resource.
      const deployedWith = (decisionId: string) => decision.graph.decisions.find((d) => d.decisionId === decisionId) ?? decision;
      return {
        decisionDefinitionId: decision.decisionId,
        decisionDefinitionKey: String(decision.key),
        decisionDefinitionName: decision.name,
        decisionDefinitionVersion: decision.version,
        decisionRequirementsId: decision.graph.decisionRequirementsId,
        decisionRequirementsKey: String(decision.graph.key),
        decisionInstanceKey: String(decisionInstanceKey),
        // 8.8's name for it; each evaluated decision is a decision instance `${key}-${position}`.
        decisionEvaluationKey: String(decisionInstanceKey),
        tenantId: decision.tenantId,
        output: outcome.ok ? JSON.stringify(outcome.output) : '',
        ...(outcome.ok ? {} : { failedDecisionDefinitionId: outcome.failedDecisionId, failureMessage: outcome.message }),
        evaluatedDecisions: outcome.evaluated.map((evaluated, index) => ({
          decisionEvaluationInstanceKey: `${decisionInstanceKey}-${index + 1}`,
          decisionDefinitionId: evaluated.decisionId,
          decisionDefinitionKey: String(deployedWith(evaluated.decisionId).key),
          decisionDefinitionName: evaluated.decisionName,
          decisionDefinitionVersion: deployedWith(evaluated.decisionId).version,
          decisionDefinitionType: evaluated.decisionType,
          output: JSON.stringify(evaluated.output),
          tenantId: decision.tenantId,
          evaluatedInputs: evaluated.evaluatedInputs.map((input) => ({ ...input, inputValue: JSON.stringify(input.inputValue) })),
          matchedRules: evaluated.matchedRules.map((rule) => ({
            ...rule,
            evaluatedOutputs: rule.evaluatedOutputs.map((output) => ({ ...output, outputValue: JSON.stringify(output.outputValue) })),
          })),
        })),
      };
    },
  );

  app.post<{ Body: SearchBody }>('/v2/decision-definitions/search', search, (request) => engine.queries.searchDecisionDefinitions(request.body));
  app.get<{ Params: { decisionDefinitionKey: string } }>('/v2/decision-definitions/:decisionDefinitionKey', { schema: { params: keyParams('decisionDefinitionKey') } }, (request) =>
    engine.queries.getDecisionDefinition(request.params.decisionDefinitionKey),
  );
  xmlRoute(app, '/v2/decision-definitions', 'decisionDefinitionKey', (key) => engine.queries.getDecisionDefinitionXml(key));
  app.post<{ Body: SearchBody }>('/v2/decision-requirements/search', search, (request) => engine.queries.searchDecisionRequirements(request.body));
  app.get<{ Params: { decisionRequirementsKey: string } }>('/v2/decision-requirements/:decisionRequirementsKey', { schema: { params: keyParams('decisionRequirementsKey') } }, (request) =>
    engine.queries.getDecisionRequirements(request.params.decisionRequirementsKey),
  );
  xmlRoute(app, '/v2/decision-requirements', 'decisionRequirementsKey', (key) => engine.queries.getDecisionRequirementsXml(key));
}
