import { evaluateString } from '../../feel/feel';
import { type CompensationThrowElement, type EndEventElement, type EscalationThrowElement, type SignalThrowElement } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { type BpmnBehaviors, type ElementBehavior } from './element-behavior';
import { throwCompensation, throwEscalation, throwSignal } from './event-throws';

/** The shapes an END_EVENT element has; signal and escalation ones carry what they throw. */
type EndElement = EndEventElement | SignalThrowElement | EscalationThrowElement | CompensationThrowElement;

/** None, terminate, error, signal, escalation and compensation end events (message end events are job tasks). */
export const endEvent: ElementBehavior<EndElement> = {
  activate(bpmn, instance, element) {
    if ('signalName' in element) return throwSignal(bpmn, instance, element);
    if ('escalationCode' in element) return throwEscalation(bpmn, instance, element);
    if ('compensation' in element) return throwCompensation(bpmn, instance, element);
    if (element.end.kind !== 'error') return void bpmn.activated(instance, true);
    return throwFromEndEvent(bpmn, instance, element);
  },
  /** A terminate end event ends everything else in its scope. */
  completing(bpmn, instance, element) {
    if (!('end' in element) || element.end.kind !== 'terminate') return;
    const scope = bpmn.state.element(instance.flowScopeKey!);
    for (const siblingKey of [...scope.childKeys]) {
      if (siblingKey !== instance.key) bpmn.terminate(bpmn.state.element(siblingKey));
    }
    scope.joinTokens?.clear();
  },
};

function throwFromEndEvent(bpmn: BpmnBehaviors, instance: ElementInstance, element: EndEventElement): void {
  if (element.end.kind !== 'error') return;
  const code = evaluateString(element.end.errorCode, bpmn.variables.visibleFrom(instance.key));
  if (!code.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', code.message);
  if (instance.state === 'ACTIVATING') bpmn.context.emit({ type: 'ElementActivated', key: instance.key });
  bpmn.throwError(instance, code.value, '', undefined);
}
