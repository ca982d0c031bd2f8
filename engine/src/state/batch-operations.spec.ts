import { batchOperationRows } from '../persistence/batch-operation-projection';
import { EngineState } from './engine-state';
import { type EngineEvent } from './events';
import { ParsedResources } from './parsed-resources';

// Version 2 of the events that end a batch operation takes it out of memory;
// version 1, in logs written before, keeps it there, as those logs were replayed.

const created = (key: number): EngineEvent => ({ type: 'BatchOperationCreated', key, batchOperationType: 'CANCEL_PROCESS_INSTANCE', processInstanceKeys: [11, 12], time: 1 });
const processed = (key: number): EngineEvent => ({ type: 'BatchOperationItemsProcessed', key, outcomes: [{ failed: false }, { failed: true, errorMessage: 'gone' }], time: 2 });

describe('batch operations leaving memory', () => {
  it('keeps a batch operation completed by version 1 in memory, as old logs replayed', () => {
    const state = new EngineState(new ParsedResources());
    for (const event of [created(1), processed(1), { type: 'BatchOperationCompleted', key: 1, time: 3 } as const]) state.apply(event);
    expect(state.batchOperations.operations.get(1)).toMatchObject({ state: 'PARTIALLY_COMPLETED', endDate: 3 });
  });

  it('drops a batch operation completed or cancelled by version 2, handing its final state to the projection', () => {
    const state = new EngineState(new ParsedResources());
    const events: EngineEvent[] = [created(1), processed(1), { type: 'BatchOperationCompleted', key: 1, time: 3, v: 2 }, created(2), { type: 'BatchOperationCanceled', key: 2, time: 4, v: 2 }];
    for (const event of events) state.apply(event);
    expect(state.batchOperations.operations.size).toBe(0);
    expect(state.batchOperations.active.size).toBe(0);

    const dirty = state.takeDirty();
    expect([...dirty.endedBatchOperations].map((o) => [o.key, o.state])).toEqual([[1, 'PARTIALLY_COMPLETED'], [2, 'CANCELED']]);
    const [operations, items] = batchOperationRows(state, events, dirty.endedBatchOperations);
    expect(operations!.rows.map((row) => row.slice(0, 3))).toEqual([[1, 'CANCEL_PROCESS_INSTANCE', 'PARTIALLY_COMPLETED'], [2, 'CANCEL_PROCESS_INSTANCE', 'CANCELED']]);
    expect(items!.rows.map((row) => [row[0], row[1], row[3]])).toEqual([[1, 11, 'COMPLETED'], [1, 12, 'FAILED'], [2, 11, 'CANCELED'], [2, 12, 'CANCELED']]);
    expect(state.takeDirty().endedBatchOperations.size).toBe(0);
  });

  it('puts an ended batch operation back when the command that ended it fails', () => {
    const state = new EngineState(new ParsedResources());
    state.apply(created(1));
    state.journal.begin();
    state.apply({ type: 'BatchOperationCanceled', key: 1, time: 4, v: 2 });
    state.journal.rollback();
    expect(state.batchOperations.operations.get(1)).toMatchObject({ state: 'ACTIVE' });
    expect([...state.batchOperations.active]).toEqual([1]);
    expect(state.dirty.endedBatchOperations.size).toBe(0);
  });
});
