import { type IncidentEntity } from '../engine-state';
import { type AppliersByType } from './registry';

/** Incidents, and the incident marks on their element and process instance. */
export const incidentAppliers = {
  IncidentCreated(state, event) {
    state.noteKey(event.key);
    const element = state.element(event.elementInstanceKey);
    const incident: IncidentEntity = {
      key: event.key,
      errorType: event.errorType,
      errorMessage: event.errorMessage,
      elementInstanceKey: event.elementInstanceKey,
      processInstanceKey: element.processInstanceKey,
      processDefinitionKey: element.processDefinitionKey,
      elementId: element.elementId,
      jobKey: event.jobKey,
      creationTime: event.time,
      state: 'ACTIVE',
    };
    state.incidents.set(event.key, incident);
    state.touch(element).incidentKey = event.key;
    state.dirty.elementInstances.add(element);
    state.dirty.incidents.add(incident);
    const processInstance = state.touch(state.element(element.processInstanceKey));
    processInstance.incidentCount = (processInstance.incidentCount ?? 0) + 1;
    state.dirty.elementInstances.add(processInstance);
  },
  IncidentResolved(state, event) {
    const incident = state.incidents.get(event.key);
    if (!incident) throw new Error(`Bug: incident ${event.key} is unknown`);
    state.touch(incident).state = 'RESOLVED';
    state.incidents.delete(event.key);
    state.dirty.incidents.add(incident);
    const element = state.elementInstances.get(incident.elementInstanceKey);
    if (element?.incidentKey === event.key) {
      state.touch(element).incidentKey = undefined;
      state.dirty.elementInstances.add(element);
    }
    const processInstance = state.elementInstances.get(incident.processInstanceKey);
    if (processInstance) {
      state.touch(processInstance).incidentCount = Math.max(0, (processInstance.incidentCount ?? 1) - 1);
      state.dirty.elementInstances.add(processInstance);
    }
  },
} satisfies Partial<AppliersByType>;
