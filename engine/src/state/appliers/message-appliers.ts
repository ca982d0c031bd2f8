import { type MessageEntity, type MessageSubscriptionEntity } from '../engine-state';
import { correlationOf, removeFrom } from '../indexes';
import { type AppliersByType } from './registry';

/** Message subscriptions, buffered messages, and what a correlation marks on both. */
export const messageAppliers = {
  MessageSubscriptionCreated(state, event) {
    state.noteKey(event.key);
    const owner = state.element(event.ownerKey);
    const subscription: MessageSubscriptionEntity = {
      key: event.key,
      ownerKey: event.ownerKey,
      processInstanceKey: owner.processInstanceKey,
      processDefinitionKey: owner.processDefinitionKey,
      targetElementId: event.targetElementId,
      messageName: event.messageName,
      correlationKey: event.correlationKey,
      interrupting: event.interrupting,
    };
    state.indexMessageSubscription(subscription);
    state.dirty.messageSubscriptions.add(subscription);
  },
  MessageSubscriptionDeleted(state, event) {
    const subscription = state.messageSubscriptions.get(event.key);
    if (!subscription) throw new Error(`Bug: message subscription ${event.key} is unknown`);
    state.touch(subscription).deleted = true;
    state.dirty.messageSubscriptions.add(subscription);
    state.messageSubscriptions.delete(event.key);
    removeFrom(state.subscriptionsByCorrelation, correlationOf(subscription.messageName, subscription.correlationKey), event.key);
    removeFrom(state.subscriptionsByOwner, subscription.ownerKey, event.key);
  },
  MessagePublished(state, event) {
    state.noteKey(event.key);
    const message: MessageEntity = {
      key: event.key,
      name: event.name,
      correlationKey: event.correlationKey,
      messageId: event.messageId,
      variables: event.variables,
      expiresAt: event.expiresAt,
      correlatedInstances: state.set(),
      startedProcesses: state.set(),
    };
    state.indexMessage(message);
    state.observer?.messageBuffered(message);
  },
  MessageExpired(state, event) {
    const message = state.messages.get(event.key);
    if (!message) throw new Error(`Bug: message ${event.key} is unknown`);
    state.messages.delete(event.key);
    removeFrom(state.messagesByCorrelation, correlationOf(message.name, message.correlationKey), event.key);
    if (message.messageId !== undefined) state.messageIds.delete(correlationOf(message.name, message.messageId));
  },
  MessageCorrelated(state, event) {
    const subscription = event.subscriptionKey === undefined ? undefined : state.messageSubscriptions.get(event.subscriptionKey);
    if (subscription) {
      state.touch(subscription).correlated = true;
      state.dirty.messageSubscriptions.add(subscription);
    }
    const message = state.messages.get(event.messageKey);
    message?.correlatedInstances.add(event.processInstanceKey);
    const started = event.startedWithCorrelationKey;
    // Zeebe's message cardinality: a message reaches each BPMN process id once, by a start or by a subscription, across versions.
    const reachedProcess = started?.bpmnProcessId ?? (subscription ? state.definitions.get(subscription.processDefinitionKey)?.bpmnProcessId : undefined);
    if (reachedProcess !== undefined) message?.startedProcesses.add(reachedProcess);
    if (started && started.correlationKey !== '') {
      const lock = correlationOf(started.bpmnProcessId, started.correlationKey);
      state.messageStartLocks.set(lock, event.processInstanceKey);
      state.messageStartLockOf.set(event.processInstanceKey, lock);
    }
  },
} satisfies Partial<AppliersByType>;
