import { evaluateDecision, type DecisionOutcome } from '../../decisions/evaluate-decision';
import { type DecisionEntity } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { invalidArgument, notFound } from '../rejection';
import { type VariableDocument } from '../variables';

export interface EvaluateDecision {
  readonly decisionDefinitionId?: string;
  readonly decisionDefinitionKey?: number;
  readonly variables: VariableDocument;
}

export interface DecisionEvaluation {
  readonly decision: DecisionEntity;
  readonly decisionInstanceKey: number;
  readonly outcome: DecisionOutcome;
}

/** POST /decision-definitions/evaluation: the latest version by id, or one version by key. */
export function evaluateDecisionCommand(context: CommandContext, request: EvaluateDecision): DecisionEvaluation {
  let decision: DecisionEntity | undefined;
  if (request.decisionDefinitionKey !== undefined) {
    decision = context.state.decisions.get(request.decisionDefinitionKey);
    if (!decision) throw notFound(`Expected to evaluate decision with key '${request.decisionDefinitionKey}', but no such decision found`);
  } else if (request.decisionDefinitionId !== undefined) {
    decision = context.state.latestDecision(request.decisionDefinitionId);
    if (!decision) throw notFound(`Expected to evaluate decision '${request.decisionDefinitionId}', but no decision found for id '${request.decisionDefinitionId}'`);
  } else {
    throw invalidArgument('Expected either a decisionDefinitionId or a decisionDefinitionKey, but neither given.');
  }
  return evaluateLogged(context, decision, request.variables);
}

/** Evaluates a deployed decision and logs that it was evaluated; shared by the API and business rule tasks. */
export function evaluateLogged(context: CommandContext, decision: DecisionEntity, variables: VariableDocument): DecisionEvaluation {
  const outcome = evaluateDecision(decision.graph.graph, decision.decisionId, variables);
  const decisionInstanceKey = context.newKey();
  context.emit({ type: 'DecisionEvaluated', key: decisionInstanceKey, decisionKey: decision.key, failed: !outcome.ok, time: context.now });
  return { decision, decisionInstanceKey, outcome };
}
