import { evaluateString } from '../../feel/feel';
import { type CallActivityElement } from '../../model/process-model';
import { type ElementBehavior } from './element-behavior';

/** Starts the latest version of the called process as its child and waits for it; terminating it terminates the child. */
export const callActivity: ElementBehavior<CallActivityElement> = {
  activate(bpmn, instance, element) {
    const processId = evaluateString(element.processId, bpmn.variables.visibleFrom(instance.key));
    if (!processId.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', processId.message);
    const definition = bpmn.state.latestDefinition(processId.value);
    if (!definition) {
      return bpmn.raiseIncident(instance, 'CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${processId.value}' to be deployed, but not found.`);
    }
    if (!definition.executable.process.startEventId) {
      return bpmn.raiseIncident(instance, 'CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${processId.value}' to have a none start event, but it has none.`);
    }
    if (!bpmn.activated(instance, false)) return;
    const variables = element.propagateAllParentVariables ? bpmn.variables.visibleFrom(instance.key) : bpmn.variables.local(instance.key);
    bpmn.startChildProcess(definition, variables, instance.key);
  },
  terminate(bpmn, instance) {
    const calledInstance = instance.childProcessInstanceKey === undefined ? undefined : bpmn.state.elementInstances.get(instance.childProcessInstanceKey);
    if (calledInstance) bpmn.terminate(calledInstance);
  },
};
