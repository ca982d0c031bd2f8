import { type DecisionInstanceRecord } from '../engine-state';
import { type LoggedDecisionInstance } from '../events';
import { type AppliersByType } from './registry';

/** Decision evaluations leave no state behind but their rows (and the keys they used). */
export const decisionAppliers = {
  DecisionEvaluated: (state, event) => state.noteKey(event.key),
  DecisionInstanceEvaluated(state, event) {
    state.noteKey(event.key);
    const element = event.elementInstanceKey === undefined ? undefined : state.elementInstances.get(event.elementInstanceKey);
    const record = (decisionKey: number, position: number, logged: Omit<LoggedDecisionInstance, 'decisionKey'>, failure: string | undefined): DecisionInstanceRecord => {
      const decision = state.decisions.get(decisionKey);
      if (!decision) throw new Error(`Bug: decision ${decisionKey} is unknown`);
      return {
        ...logged,
        decisionKey,
        key: `${event.key}-${position}`,
        evaluationKey: event.key,
        failure,
        decisionId: decision.decisionId,
        decisionName: decision.name,
        decisionVersion: decision.version,
        decisionType: decision.graph.graph.decisions.get(decision.decisionId)?.logic.kind === 'literal' ? 'LITERAL_EXPRESSION' : 'DECISION_TABLE',
        rootDecisionKey: event.decisionKey,
        tenantId: decision.tenantId,
        time: event.time,
        processDefinitionKey: element?.processDefinitionKey,
        processInstanceKey: element?.processInstanceKey,
        elementInstanceKey: element?.key,
      };
    };
    event.evaluated.forEach((evaluated, index) => state.dirty.decisionInstances.add(record(evaluated.decisionKey, index + 1, evaluated, undefined)));
    if (event.failure) {
      const empty = { output: 'null', evaluatedInputs: [], matchedRules: [] };
      state.dirty.decisionInstances.add(record(event.failure.decisionKey, event.evaluated.length + 1, empty, event.failure.message));
    }
  },
} satisfies Partial<AppliersByType>;
