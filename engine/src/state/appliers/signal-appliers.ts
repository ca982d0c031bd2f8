import { removeFrom } from '../indexes';
import { type AppliersByType } from './registry';

/** Signal subscriptions; a broadcast leaves only the key it used. */
export const signalAppliers = {
  SignalSubscriptionCreated(state, event) {
    state.noteKey(event.key);
    const { type: _type, ...fields } = event;
    state.indexSignalSubscription({ ...fields, processInstanceKey: state.element(event.ownerKey).processInstanceKey });
  },
  SignalSubscriptionDeleted(state, event) {
    const subscription = state.signalSubscriptions.get(event.key);
    if (!subscription) throw new Error(`Bug: signal subscription ${event.key} is unknown`);
    state.signalSubscriptions.delete(event.key);
    removeFrom(state.signalSubscriptionsByName, subscription.signalName, event.key);
    removeFrom(state.signalSubscriptionsByOwner, subscription.ownerKey, event.key);
  },
  SignalBroadcast: (state, event) => state.noteKey(event.key),
} satisfies Partial<AppliersByType>;
