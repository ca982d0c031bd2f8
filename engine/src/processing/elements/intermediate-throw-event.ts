import { type CompensationThrowElement, type EscalationThrowElement, type PassThroughElement, type SignalThrowElement } from '../../model/process-model';
import { type ElementBehavior } from './element-behavior';
import { throwCompensation, throwEscalation, throwSignal } from './event-throws';

/** The shapes an INTERMEDIATE_THROW_EVENT element has. */
type IntermediateThrowElement = PassThroughElement | SignalThrowElement | EscalationThrowElement | CompensationThrowElement;

/** Signal, escalation, compensation, link and none intermediate throw events (message throw events are job tasks). */
export const intermediateThrowEvent: ElementBehavior<IntermediateThrowElement> = {
  activate(bpmn, instance, element) {
    if ('signalName' in element) return throwSignal(bpmn, instance, element);
    if ('escalationCode' in element) return throwEscalation(bpmn, instance, element);
    if ('compensation' in element) return throwCompensation(bpmn, instance, element);
    bpmn.activated(instance, true);
  },
  /** A link throw event goes on at the catch event of its name, as if a flow joined them. */
  leave(bpmn, instance, element) {
    if (!('linkTargetId' in element) || element.linkTargetId === undefined) return false;
    bpmn.schedule({ kind: 'activate', elementId: element.linkTargetId, flowScopeKey: instance.flowScopeKey! });
    return true;
  },
};
