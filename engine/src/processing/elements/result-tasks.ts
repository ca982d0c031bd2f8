import { evaluateFeel, evaluateString } from '../../feel/feel';
import { type BusinessRuleTaskElement, type ScriptTaskElement } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { evaluateLogged } from '../commands/evaluate-logged-decision';
import { type BpmnBehaviors, type ElementBehavior } from './element-behavior';

/** Script and business rule tasks the engine runs itself: a FEEL script, or the latest version of a decision. */
export const resultTask: ElementBehavior<ScriptTaskElement | BusinessRuleTaskElement> = {
  activate(bpmn, instance, element) {
    if (element.implementation === 'feel') return runScript(bpmn, instance, element);
    return callDecision(bpmn, instance, element);
  },
};

function runScript(bpmn: BpmnBehaviors, instance: ElementInstance, element: ScriptTaskElement): void {
  const result = evaluateFeel(element.expression, bpmn.variables.visibleFrom(instance.key));
  if (!result.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', result.message);
  completeWithResult(bpmn, instance, element, result.value);
}

/** Evaluates the latest version of the called decision; a missing or failing decision is an incident. */
function callDecision(bpmn: BpmnBehaviors, instance: ElementInstance, element: BusinessRuleTaskElement): void {
  const scope = bpmn.variables.visibleFrom(instance.key);
  const decisionId = evaluateString(element.decisionId, scope);
  if (!decisionId.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', decisionId.message);
  const decision = bpmn.state.latestDecision(decisionId.value);
  if (!decision) {
    return bpmn.raiseIncident(instance, 'CALLED_DECISION_ERROR', `Expected to evaluate decision '${decisionId.value}', but no decision found for id '${decisionId.value}'`);
  }
  const { outcome } = evaluateLogged(bpmn.context, decision, scope, instance.key);
  if (!outcome.ok) {
    return bpmn.raiseIncident(
      instance,
      'DECISION_EVALUATION_ERROR',
      `Expected to evaluate decision '${decision.decisionId}', but failed to evaluate decision '${outcome.failedDecisionId}': ${outcome.message}`,
    );
  }
  completeWithResult(bpmn, instance, element, outcome.output);
}

/** A result variable goes to the flow scope, or stays local when output mappings pick from it (Zeebe's rule). */
function completeWithResult(bpmn: BpmnBehaviors, instance: ElementInstance, element: ScriptTaskElement | BusinessRuleTaskElement, value: unknown): void {
  if (!bpmn.activated(instance, false)) return;
  const document = { [element.resultVariable]: value };
  if (element.outputs.length > 0) bpmn.variables.setLocal(instance.key, instance.processInstanceKey, document);
  else bpmn.variables.merge(instance.key, instance.processInstanceKey, document);
  bpmn.schedule({ kind: 'complete', key: instance.key });
}
