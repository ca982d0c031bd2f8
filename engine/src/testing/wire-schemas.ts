// Camunda's own zod schemas for the REST API (8.8), used by the conformance
// tests to check response bodies where the schemas describe the wire. The
// package publishes ES modules only; jest.config.js and tsconfig.json map it.
export { getTopologyResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/cluster';
export { queryProcessInstancesResponseBodySchema, createProcessInstanceResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/process-instance';
export { queryVariablesResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/variable';
export { queryElementInstancesResponseBodySchema, elementInstanceSchema } from '@camunda/camunda-api-zod-schemas/8.8/element-instance';
export { queryIncidentsResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/incident';
export { activateJobsResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/job';
export { problemDetailResponseSchema } from '@camunda/camunda-api-zod-schemas/common';
export { queryDecisionDefinitionsResponseBodySchema, evaluateDecisionResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/decision-definition';
export { queryDecisionRequirementsResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/decision-requirements';

/**
 * Checks a body against a schema and gives it the type the test reads it as.
 * Some schema types (those built on `../common` generics) do not resolve under
 * ESLint's project service, so the test names the fields it uses.
 */
export function parseWire<T>(schema: { parse(value: unknown): unknown }, value: unknown): T {
  return schema.parse(value) as T;
}
export { queryUserTasksResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/user-task';
export {
  getProcessInstanceSequenceFlowsResponseBodySchema,
  getProcessInstanceStatisticsResponseBodySchema,
} from '@camunda/camunda-api-zod-schemas/8.8/process-instance';
export { getProcessDefinitionStatisticsResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/process-definition';
export { queryMessageSubscriptionsResponseBodySchema } from '@camunda/camunda-api-zod-schemas/8.8/message-subscriptions';
export { resourceSchema } from '@camunda/camunda-api-zod-schemas/8.8/resource';
export { licenseSchema } from '@camunda/camunda-api-zod-schemas/8.8/license';
