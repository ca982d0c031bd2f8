import { type BatchItemOutcome, type BatchOperationType, type EngineEvent, type MigrationPlan, type MoveInstruction } from './events';
import { type StateJournal } from './state-journal';

/**
 * Batch operations (Camunda 8.8's cancel, resolve incidents, migrate and
 * modify over a filter) and their items, changed only by their events. One
 * that ends by an event of version 2 leaves memory (release), as finished
 * elements do: its progress is read from the projection tables, which got
 * its final rows in the same transaction. One ended by version 1 (logged
 * before) stays, as it did when that log was written.
 */

export type BatchOperationState = 'ACTIVE' | 'SUSPENDED' | 'COMPLETED' | 'PARTIALLY_COMPLETED' | 'FAILED' | 'CANCELED';
export type BatchItemState = 'ACTIVE' | 'COMPLETED' | 'FAILED' | 'CANCELED';

export interface BatchOperationItem {
  readonly processInstanceKey: number;
  state: BatchItemState;
  processedDate?: number;
  errorMessage?: string;
}

export interface BatchOperationEntity {
  readonly key: number;
  readonly type: BatchOperationType;
  readonly migrationPlan?: MigrationPlan;
  readonly moveInstructions?: readonly MoveInstruction[];
  readonly startDate: number;
  readonly items: readonly BatchOperationItem[];
  state: BatchOperationState;
  endDate?: number;
  /** Items before this index are processed; the next chunk starts here. */
  nextItem: number;
  completedCount: number;
  failedCount: number;
}

type BatchEvent = Extract<
  EngineEvent,
  { type: 'BatchOperationCreated' | 'BatchOperationItemsProcessed' | 'BatchOperationCompleted' | 'BatchOperationSuspended' | 'BatchOperationResumed' | 'BatchOperationCanceled' }
>;

export class BatchOperationStore {
  /** Every batch operation, in creation order. */
  readonly operations: Map<number, BatchOperationEntity>;
  /** Keys of batch operations with items left, oldest first: the background work. */
  readonly active: Set<number>;

  constructor(
    private readonly journal: StateJournal,
    collections: { map: () => Map<number, BatchOperationEntity>; set: () => Set<number> },
  ) {
    this.operations = collections.map();
    this.active = collections.set();
  }

  apply(event: BatchEvent): void {
    switch (event.type) {
      case 'BatchOperationCreated': {
        const operation: BatchOperationEntity = {
          key: event.key,
          type: event.batchOperationType,
          ...(event.migrationPlan ? { migrationPlan: event.migrationPlan } : {}),
          ...(event.moveInstructions ? { moveInstructions: event.moveInstructions } : {}),
          startDate: event.time,
          items: event.processInstanceKeys.map((processInstanceKey) => ({ processInstanceKey, state: 'ACTIVE' })),
          state: 'ACTIVE',
          nextItem: 0,
          completedCount: 0,
          failedCount: 0,
        };
        this.add(operation);
        return;
      }
      case 'BatchOperationItemsProcessed': {
        const operation = this.journal.saveFields(this.get(event.key));
        event.outcomes.forEach((outcome: BatchItemOutcome, index) => {
          const item = this.journal.saveFields(operation.items[operation.nextItem + index]!);
          item.processedDate = event.time;
          if (outcome.failed) {
            item.state = 'FAILED';
            item.errorMessage = outcome.errorMessage;
          } else {
            item.state = 'COMPLETED';
          }
        });
        operation.nextItem += event.outcomes.length;
        operation.failedCount += event.outcomes.filter((o) => o.failed).length;
        operation.completedCount += event.outcomes.filter((o) => !o.failed).length;
        return;
      }
      case 'BatchOperationCompleted': {
        const operation = this.journal.saveFields(this.get(event.key));
        operation.endDate = event.time;
        // Camunda's end states: every item done, some refused, or every one refused.
        operation.state = operation.failedCount === 0 ? 'COMPLETED' : operation.completedCount === 0 ? 'FAILED' : 'PARTIALLY_COMPLETED';
        this.active.delete(operation.key);
        return;
      }
      case 'BatchOperationSuspended':
        this.journal.saveFields(this.get(event.key)).state = 'SUSPENDED';
        this.active.delete(event.key);
        return;
      case 'BatchOperationResumed':
        this.journal.saveFields(this.get(event.key)).state = 'ACTIVE';
        this.active.add(event.key);
        return;
      case 'BatchOperationCanceled': {
        const operation = this.journal.saveFields(this.get(event.key));
        operation.state = 'CANCELED';
        operation.endDate = event.time;
        for (const item of operation.items.slice(operation.nextItem)) this.journal.saveFields(item).state = 'CANCELED';
        this.active.delete(event.key);
        return;
      }
    }
  }

  /** Adds a batch operation as created or as a snapshot holds it. */
  add(operation: BatchOperationEntity): void {
    this.operations.set(operation.key, operation);
    if (operation.state === 'ACTIVE') this.active.add(operation.key);
  }

  /** Drops an ended batch operation from memory and hands it back, for its final projection rows. */
  release(key: number): BatchOperationEntity {
    const operation = this.get(key);
    this.operations.delete(key);
    this.active.delete(key);
    return operation;
  }

  get(key: number): BatchOperationEntity {
    const operation = this.operations.get(key);
    if (!operation) throw new Error(`Bug: batch operation ${key} is unknown`);
    return operation;
  }
}
