import { type UserTaskElement } from '../../model/process-model';
import { holdForTaskListeners } from '../task-listeners';
import { userTaskAttributes } from '../user-task-attributes';
import { type ElementBehavior } from './element-behavior';

/** A Camunda user task: its attributes evaluated, its form found, then it waits for its user task to complete. */
export const userTask: ElementBehavior<UserTaskElement> = {
  activate(bpmn, instance, element) {
    const attributes = userTaskAttributes(element, bpmn.variables.visibleFrom(instance.key));
    if (!attributes.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', attributes.message);
    let formKey: number | undefined;
    if (element.formId) {
      formKey = bpmn.state.latestForm(element.formId)?.key;
      if (formKey === undefined) {
        return bpmn.raiseIncident(instance, 'FORM_NOT_FOUND', `Expected to find a form with id '${element.formId}', but no form with this id is found, at least a form with this id should be available.`);
      }
    }
    if (!bpmn.activated(instance, false)) return;
    const key = bpmn.context.newKey();
    bpmn.context.emit({
      type: 'UserTaskCreated',
      key,
      elementInstanceKey: instance.key,
      ...attributes.value,
      formKey,
      externalFormReference: element.externalFormReference,
      customHeaders: element.headers,
      time: bpmn.context.now,
    });
    // Creating listeners hold the task in CREATING until each has completed.
    holdForTaskListeners(bpmn.context, bpmn.state.userTask(key), 'CREATING', {});
  },
};
