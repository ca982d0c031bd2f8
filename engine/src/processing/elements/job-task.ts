import { evaluateInteger, evaluateString } from '../../feel/feel';
import { type JobTaskElement } from '../../model/process-model';
import { type ElementBehavior } from './element-behavior';

/** Service and send tasks, and every element a job worker does: the element waits for its job, created with its type and retries evaluated. */
export const jobTask: ElementBehavior<JobTaskElement> = {
  activate(bpmn, instance, element) {
    const scope = bpmn.variables.visibleFrom(instance.key);
    const jobType = evaluateString(element.jobType, scope);
    if (!jobType.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', jobType.message);
    const retries = evaluateInteger(element.retries, scope);
    if (!retries.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', retries.message);
    if (!bpmn.activated(instance, false)) return;
    bpmn.context.emit({
      type: 'JobCreated',
      key: bpmn.context.newKey(),
      jobType: jobType.value,
      retries: retries.value,
      customHeaders: element.headers,
      elementInstanceKey: instance.key,
      time: bpmn.context.now,
    });
  },
};
