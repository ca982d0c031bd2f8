import { type EngineState } from '../engine-state';
import { type EventOf } from './registry';
import { decisionAppliers } from './decision-appliers';
import { deploymentAppliers } from './deployment-appliers';
import { elementAppliers } from './element-appliers';
import { incidentAppliers } from './incident-appliers';
import { jobAppliers } from './job-appliers';
import { messageAppliers } from './message-appliers';
import { EventAppliers } from './registry';
import { signalAppliers } from './signal-appliers';
import { timerAppliers } from './timer-appliers';
import { userTaskAppliers } from './user-task-appliers';
import { variableAppliers } from './variable-appliers';

type BatchEventType = 'BatchOperationCreated' | 'BatchOperationItemsProcessed' | 'BatchOperationCompleted' | 'BatchOperationSuspended' | 'BatchOperationResumed' | 'BatchOperationCanceled';

/** Batch operations keep their own store (batch-operations.ts); the event's key is noted here. */
const batchOperation = (state: EngineState, event: EventOf<BatchEventType>): void => {
  state.noteKey(event.key);
  state.batchOperations.apply(event);
};

/**
 * Version 2 of the events that end a batch operation: as version 1, then the
 * operation leaves memory; its final rows are projected from the dirty set.
 */
const endBatchOperation = (state: EngineState, event: EventOf<'BatchOperationCompleted' | 'BatchOperationCanceled'>): void => {
  batchOperation(state, event);
  state.dirty.endedBatchOperations.add(state.batchOperations.release(event.key));
};

type CompensationEventType =
  | 'CompensationSubscriptionCreated'
  | 'CompensationSubscriptionTriggered'
  | 'CompensationSubscriptionCompleted'
  | 'CompensationSubscriptionDeleted'
  | 'CompensationSubscriptionMigrated';

/** Compensation subscriptions keep their own store (compensation-subscriptions.ts). */
const compensationSubscription = (state: EngineState, event: EventOf<CompensationEventType>): void => {
  state.noteKey(event.key);
  state.compensationSubscriptions.apply(event);
};

/**
 * Every applier the engine has, by (event type, version). Version 1 is the
 * shape every event was first logged in; to change a shape, log it with
 * `v: 2` and register its applier here beside version 1, which stays as it
 * shipped, so an old log replays as it was written.
 */
export const ENGINE_APPLIERS = new EventAppliers().registerAll(1, {
  ...deploymentAppliers,
  ...decisionAppliers,
  ...elementAppliers,
  ...variableAppliers,
  ...jobAppliers,
  ...incidentAppliers,
  ...timerAppliers,
  ...messageAppliers,
  ...signalAppliers,
  ...userTaskAppliers,
  BatchOperationCreated: batchOperation,
  BatchOperationItemsProcessed: batchOperation,
  BatchOperationCompleted: batchOperation,
  BatchOperationSuspended: batchOperation,
  BatchOperationResumed: batchOperation,
  BatchOperationCanceled: batchOperation,
  CompensationSubscriptionCreated: compensationSubscription,
  CompensationSubscriptionTriggered: compensationSubscription,
  CompensationSubscriptionCompleted: compensationSubscription,
  CompensationSubscriptionDeleted: compensationSubscription,
  CompensationSubscriptionMigrated: compensationSubscription,
})
  // Version 2 (events.ts): shapes that gained values after version 1 shipped; applied as version 1 applies its own.
  .register('JobCreated', 2, (state, event) => jobAppliers.JobCreated(state, event))
  .register('UserTaskTransitionHeld', 2, (state, event) => userTaskAppliers.UserTaskTransitionHeld(state, event))
  // Version 2: an ended batch operation leaves memory.
  .register('BatchOperationCompleted', 2, endBatchOperation)
  .register('BatchOperationCanceled', 2, endBatchOperation);
