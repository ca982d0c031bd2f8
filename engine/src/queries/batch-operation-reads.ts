import type pg from 'pg';
import { notFound } from '../processing/rejection';
import { runSearch, type FieldSpec, type SearchBody, type SearchPage } from './search';
import { type Row } from './scope-fields';

/**
 * Batch operations and their items, read from their projection tables
 * (written in the transaction of the events that changed them, so a read
 * never shows a batch ahead of the log or of the rows its items wrote).
 * Searches take Camunda's filter, sort and page as every other search does.
 */

const OPERATION_FIELDS: Readonly<Record<string, FieldSpec>> = {
  batchOperationKey: { column: 'batch_operation_key', type: 'key' },
  operationType: { column: 'batch_operation_type', type: 'string' },
  state: { column: 'state', type: 'string' },
  startDate: { column: 'start_date', type: 'date' },
  endDate: { column: 'end_date', type: 'date' },
};

const ITEM_FIELDS: Readonly<Record<string, FieldSpec>> = {
  batchOperationKey: { column: 'batch_operation_key', type: 'key' },
  itemKey: { column: 'process_instance_key', type: 'key' },
  processInstanceKey: { column: 'process_instance_key', type: 'key' },
  state: { column: 'state', type: 'string' },
  operationType: { column: 'operation_type', type: 'string' },
  processedDate: { column: 'processed_date', type: 'date' },
};

const iso = (value: unknown): string | undefined => (value instanceof Date ? value.toISOString() : undefined);

function operationItem(row: Row): Row {
  const endDate = iso(row.end_date);
  return {
    batchOperationKey: String(row.batch_operation_key),
    state: row.state,
    batchOperationType: row.batch_operation_type,
    startDate: iso(row.start_date),
    ...(endDate === undefined ? {} : { endDate }),
    operationsTotalCount: row.operations_total_count,
    operationsFailedCount: row.operations_failed_count,
    operationsCompletedCount: row.operations_completed_count,
  };
}

function itemOf(row: Row): Row {
  const processedDate = iso(row.processed_date);
  return {
    batchOperationKey: String(row.batch_operation_key),
    itemKey: String(row.process_instance_key),
    processInstanceKey: String(row.process_instance_key),
    state: row.state,
    operationType: row.operation_type,
    ...(processedDate === undefined ? {} : { processedDate }),
    ...(row.error_message === null ? {} : { errorMessage: row.error_message }),
  };
}

export class BatchOperationReads {
  constructor(private readonly pool: pg.Pool) {}

  async get(batchOperationKey: string): Promise<Row> {
    const { rows } = /^\d{1,16}$/.test(batchOperationKey) ? await this.pool.query<Row>('SELECT * FROM batch_operation WHERE batch_operation_key = $1', [batchOperationKey]) : { rows: [] };
    if (!rows[0]) throw notFound(`Batch operation with key '${batchOperationKey}' not found`);
    return operationItem(rows[0]);
  }

  /** The committed state of a batch operation, or undefined when there is none by that key. */
  async stateOf(batchOperationKey: number): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ state: string }>('SELECT state FROM batch_operation WHERE batch_operation_key = $1', [batchOperationKey]);
    return rows[0]?.state;
  }

  search(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'batch_operation', fields: OPERATION_FIELDS, keyColumn: 'batch_operation_key', body, toItem: operationItem });
  }

  /** Items in their batch's order of creation and then by process instance key, unless sorted otherwise. */
  searchItems(body: SearchBody | undefined): Promise<SearchPage<Row>> {
    return runSearch(this.pool, { table: 'batch_operation_item', fields: ITEM_FIELDS, keyColumn: 'batch_operation_key, process_instance_key', body, toItem: itemOf });
  }
}
