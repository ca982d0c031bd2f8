import { type BatchOperationEntity } from '../state/batch-operations';
import { type EngineState } from '../state/engine-state';
import { type EngineEvent } from '../state/events';
import { columns, type TableRows } from './projection-rows';

/**
 * The rows of the batch operations a batch of commands touched, copied when
 * the batch closes, read off its events: the operation's row each time, and
 * of its items only those that changed (all when it was created, a chunk's
 * when processed, the rest when cancelled), so a batch over many instances
 * does not rewrite every item per chunk.
 */
export function batchOperationRows(state: EngineState, events: readonly EngineEvent[], ended: ReadonlySet<BatchOperationEntity> = new Set()): TableRows[] {
  // One that ended in this batch has left memory; its final state is kept here for its rows.
  const endedByKey = new Map([...ended].map((operation) => [operation.key, operation]));
  const touched = new Map<number, { all: boolean; processed: number; rest: boolean }>();
  const touch = (key: number) => touched.get(key) ?? touched.set(key, { all: false, processed: 0, rest: false }).get(key)!;
  for (const event of events) {
    if (event.type === 'BatchOperationCreated') touch(event.key).all = true;
    else if (event.type === 'BatchOperationItemsProcessed') touch(event.key).processed += event.outcomes.length;
    else if (event.type === 'BatchOperationCanceled') touch(event.key).rest = true;
    else if (event.type === 'BatchOperationCompleted' || event.type === 'BatchOperationSuspended' || event.type === 'BatchOperationResumed') touch(event.key);
  }
  const changed = [...touched].flatMap(([key, what]) => {
    const operation = state.batchOperations.operations.get(key) ?? endedByKey.get(key);
    if (!operation) return [];
    const items = what.all ? operation.items : [
      ...operation.items.slice(operation.nextItem - what.processed, operation.nextItem),
      ...(what.rest ? operation.items.slice(operation.nextItem) : []),
    ];
    return [{ operation, items }];
  });
  return rowsOf(changed);
}

/** Every batch operation in memory with all its items: projected again at start. */
export function liveBatchOperationRows(state: EngineState): TableRows[] {
  return rowsOf([...state.batchOperations.operations.values()].map((operation) => ({ operation, items: operation.items })));
}

function rowsOf(changed: readonly { operation: BatchOperationEntity; items: BatchOperationEntity['items'] }[]): TableRows[] {
  if (changed.length === 0) return [];
  const date = (time: number | undefined) => (time === undefined ? null : new Date(time));
  return [
    {
      table: 'batch_operation',
      key: 'batch_operation_key',
      spec: OPERATION_COLUMNS,
      rows: changed.map(({ operation: o }) => [o.key, o.type, o.state, new Date(o.startDate), date(o.endDate), o.items.length, o.completedCount, o.failedCount]),
    },
    {
      table: 'batch_operation_item',
      key: 'batch_operation_key, process_instance_key',
      spec: ITEM_COLUMNS,
      rows: changed.flatMap(({ operation, items }) =>
        items.map((item) => [operation.key, item.processInstanceKey, operation.type, item.state, date(item.processedDate), item.errorMessage ?? null]),
      ),
    },
  ].filter((table) => table.rows.length > 0);
}

const OPERATION_COLUMNS = columns(
  'batch_operation_key bigint[], batch_operation_type text[], state text[], start_date timestamptz[], end_date timestamptz[], operations_total_count int[], operations_completed_count int[], operations_failed_count int[]',
);
const ITEM_COLUMNS = columns('batch_operation_key bigint[], process_instance_key bigint[], operation_type text[], state text[], processed_date timestamptz[], error_message text[]');
