import { type FlowElement } from '../../model/process-model';
import { type ElementBehavior } from './element-behavior';

/** Elements with no work of their own (start events, tasks, manual tasks, boundary events once fired, parallel gateways): they complete at once. */
export const passThrough: ElementBehavior<FlowElement> = {
  activate(bpmn, instance) {
    bpmn.activated(instance, true);
  },
};

/** Elements that wait for a trigger (receive tasks, event-based gateways): their subscriptions open and they stay activated. */
export const waitForTrigger: ElementBehavior<FlowElement> = {
  activate(bpmn, instance) {
    bpmn.activated(instance, false);
  },
};
