import { type SubProcessElement } from '../../model/process-model';
import { type ElementBehavior } from './element-behavior';

/** An embedded or event subprocess: it opens its boundary events and starts at its start event. */
export const subProcess: ElementBehavior<SubProcessElement> = {
  activate(bpmn, instance, element) {
    if (!bpmn.activated(instance, false)) return;
    bpmn.schedule({ kind: 'activate', elementId: element.startEventId, flowScopeKey: instance.key });
  },
};
