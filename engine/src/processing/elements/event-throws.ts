import { evaluateString } from '../../feel/feel';
import { type CompensationThrowElement, type EscalationThrowElement, type SignalThrowElement } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { type BpmnBehaviors } from './element-behavior';

// What signal, escalation and compensation throw events and end events share.

/** Runs the compensation handlers the event triggers; it completes once they all have (at once when there were none). */
export function throwCompensation(bpmn: BpmnBehaviors, instance: ElementInstance, element: CompensationThrowElement): void {
  const waits = bpmn.compensation.throw(instance, element);
  bpmn.activated(instance, !waits);
}

export function throwSignal(bpmn: BpmnBehaviors, instance: ElementInstance, element: SignalThrowElement): void {
  const name = evaluateString(element.signalName, bpmn.variables.visibleFrom(instance.key));
  if (!name.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', name.message);
  bpmn.activated(instance, true);
  // Triggers queue behind this element's completion, so the thrower moves on first.
  bpmn.queueBroadcast(name.value, {});
}

/**
 * Throws an escalation to the scopes around the thrower (and on through
 * call activities). Escalations are not critical: the thrower goes on
 * unless an interrupting catch ends its scope, and an escalation nobody
 * catches is no incident (https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/).
 */
export function throwEscalation(bpmn: BpmnBehaviors, instance: ElementInstance, element: EscalationThrowElement): void {
  const code = evaluateString(element.escalationCode, bpmn.variables.visibleFrom(instance.key));
  if (!code.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', code.message);
  const catcher = bpmn.findCatch(instance, code.value, 'escalation');
  if (!catcher || !catcher.interrupting) bpmn.activated(instance, true);
  else if (instance.state === 'ACTIVATING') bpmn.context.emit({ type: 'ElementActivated', key: instance.key });
  if (!catcher) return;
  if (catcher.kind === 'boundary') {
    const flowScopeKey = catcher.host.flowScopeKey!;
    if (catcher.interrupting) bpmn.terminate(catcher.host);
    bpmn.schedule({ kind: 'activate', elementId: catcher.boundary.id, flowScopeKey });
  } else {
    bpmn.startEventSubProcess(catcher.scope, catcher.eventSubProcessId, catcher.interrupting, {});
  }
}
