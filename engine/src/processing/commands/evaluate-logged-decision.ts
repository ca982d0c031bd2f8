import { evaluateDecision, type DecisionOutcome } from '../../decisions/evaluate-decision';
import { type DecisionEntity } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { type VariableDocument } from '../variables';

export interface DecisionEvaluation {
  readonly decision: DecisionEntity;
  readonly decisionInstanceKey: number;
  readonly outcome: DecisionOutcome;
}

/**
 * Evaluates a deployed decision and logs it with its decision instances
 * (inputs, matched rules, outputs: why it decided as it did); shared by the
 * API and business rule tasks (`elementInstanceKey`).
 */
export function evaluateLogged(context: CommandContext, decision: DecisionEntity, variables: VariableDocument, elementInstanceKey?: number): DecisionEvaluation {
  const outcome = evaluateDecision(decision.graph.graph, decision.decisionId, variables);
  const decisionInstanceKey = context.newKey();
  // Required decisions were deployed with the evaluated one, in the same resource.
  const keyOf = (decisionId: string) => decision.graph.decisions.find((d) => d.decisionId === decisionId)?.key ?? decision.key;
  context.emit({
    type: 'DecisionInstanceEvaluated',
    key: decisionInstanceKey,
    decisionKey: decision.key,
    evaluated: outcome.evaluated.map((evaluated) => ({
      decisionKey: keyOf(evaluated.decisionId),
      output: json(evaluated.output),
      evaluatedInputs: evaluated.evaluatedInputs.map((input) => ({ ...input, inputValue: json(input.inputValue) })),
      matchedRules: evaluated.matchedRules.map((rule) => ({
        ...rule,
        evaluatedOutputs: rule.evaluatedOutputs.map((output) => ({ ...output, outputValue: json(output.outputValue) })),
      })),
    })),
    ...(outcome.ok ? {} : { failure: { decisionKey: keyOf(outcome.failedDecisionId), message: outcome.message } }),
    ...(elementInstanceKey === undefined ? {} : { elementInstanceKey }),
    time: context.now,
  });
  return { decision, decisionInstanceKey, outcome };
}

/** A FEEL value as JSON text; `undefined` (no value) is null. */
const json = (value: unknown): string => JSON.stringify(value ?? null);
