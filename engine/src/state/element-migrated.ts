import { type EngineState, type MessageSubscriptionEntity, type SignalSubscriptionEntity, type TimerEntity } from './engine-state';
import { type EngineEvent } from './events';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Applies ElementMigrated: the element instance now belongs to the target
 * process definition as the target element, and what hangs on it follows
 * with its key unchanged (Zeebe's rule): its job, its user task (assignee
 * and all), its open incident. Variables belong to the scope, not the
 * definition, and stay as they are.
 */
export function applyElementMigrated(state: EngineState, event: Extract<EngineEvent, { type: 'ElementMigrated' }>): void {
  const move = <T extends { processDefinitionKey: number; elementId: string }>(entity: T) => {
    const moved = state.journal.saveFields(entity) as Mutable<T>;
    moved.processDefinitionKey = event.processDefinitionKey;
    moved.elementId = event.elementId;
    return entity;
  };
  const instance = move(state.element(event.key));
  state.dirty.elementInstances.add(instance);
  if (instance.jobKey !== undefined) {
    const job = state.jobs.get(instance.jobKey);
    if (job) move(job);
  }
  const userTaskKey = state.userTaskByElement.get(instance.key);
  if (userTaskKey !== undefined) state.dirty.userTasks.add(move(state.userTask(userTaskKey)));
  if (instance.incidentKey !== undefined) {
    const incident = state.incidents.get(instance.incidentKey);
    if (incident) state.dirty.incidents.add(move(incident));
  }
}

/** Applies EventSubscriptionMigrated: the subscription keeps its key and what it waits for, now for the target catch event. */
export function applyEventSubscriptionMigrated(state: EngineState, event: Extract<EngineEvent, { type: 'EventSubscriptionMigrated' }>): void {
  if (event.subscription === 'timer') {
    const timer = state.journal.saveFields(state.timers.get(event.key)!) as Mutable<TimerEntity>;
    timer.processDefinitionKey = event.processDefinitionKey;
    timer.targetElementId = event.targetElementId;
  } else if (event.subscription === 'message') {
    const subscription = state.journal.saveFields(state.messageSubscriptions.get(event.key)!) as Mutable<MessageSubscriptionEntity>;
    subscription.processDefinitionKey = event.processDefinitionKey;
    subscription.targetElementId = event.targetElementId;
    subscription.interrupting = event.interrupting;
    state.dirty.messageSubscriptions.add(subscription);
  } else {
    const subscription = state.journal.saveFields(state.signalSubscriptions.get(event.key)!) as Mutable<SignalSubscriptionEntity>;
    subscription.targetElementId = event.targetElementId;
  }
}
