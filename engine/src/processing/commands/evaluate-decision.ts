import { type DecisionEntity } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { invalidArgument, notFound } from '../rejection';
import { type VariableDocument } from '../variables';
import { type DecisionEvaluation, evaluateLogged } from './evaluate-logged-decision';

export interface EvaluateDecision {
  readonly decisionDefinitionId?: string;
  readonly decisionDefinitionKey?: number;
  readonly variables: VariableDocument;
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
