import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';
import { createTimer } from '../subscriptions';
import { planStartTimers } from './start-timers';

/**
 * POST /resources/{key}/deletion, with Zeebe's rules
 * (https://docs.camunda.io/docs/components/concepts/resource-deletion/): a
 * process definition with running instances is not deleted; deleting the
 * latest version makes the previous one the latest again, with its start
 * events; a version number is never used again. Decision requirements go with
 * their decisions; a form goes alone.
 */
export function deleteResource(context: CommandContext, key: number): void {
  const { state } = context;
  const definition = state.definitions.get(key);
  if (definition) {
    for (const instance of state.elementInstances.values()) {
      if (instance.type === 'PROCESS' && instance.processDefinitionKey === key) {
        throw invalidState(`Expected to delete resource with key '${key}' but there are still running instances of process definition '${definition.bpmnProcessId}'`);
      }
    }
    const wasLatest = state.latestDefinition(definition.bpmnProcessId) === definition;
    for (const timerKey of [...(state.timersByOwner.get(key) ?? [])]) context.emit({ type: 'TimerCanceled', key: timerKey });
    context.emit({ type: 'ResourceDeleted', key, resourceType: 'PROCESS', time: context.now });
    const previous = state.latestDefinition(definition.bpmnProcessId);
    if (wasLatest && previous) {
      for (const { targetElementId, schedule } of planStartTimers(context, previous.executable)) createTimer(context, undefined, previous.key, targetElementId, schedule);
    }
    return;
  }
  if (state.decisionGraphs.has(key)) {
    context.emit({ type: 'ResourceDeleted', key, resourceType: 'DECISION_REQUIREMENTS', time: context.now });
    return;
  }
  if (state.forms.has(key)) {
    context.emit({ type: 'ResourceDeleted', key, resourceType: 'FORM', time: context.now });
    return;
  }
  throw notFound(`Expected to delete resource but no resource found with key '${key}'`);
}
