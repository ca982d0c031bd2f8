import { type CatchElement, type PassThroughElement } from '../../model/process-model';
import { type ElementBehavior } from './element-behavior';

/** The shapes an INTERMEDIATE_CATCH_EVENT element has: a link catch event is a pass-through one. */
type IntermediateCatchElement = CatchElement | PassThroughElement;

/** Timer, message and signal catch events wait for their trigger; a link catch event waits for nothing: the throw of its name brought the token. */
export const intermediateCatchEvent: ElementBehavior<IntermediateCatchElement> = {
  activate(bpmn, instance, element) {
    bpmn.activated(instance, !('trigger' in element));
  },
};
