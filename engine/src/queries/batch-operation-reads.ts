import { invalidArgument, notFound } from '../processing/rejection';
import { type BatchOperationEntity, type BatchOperationItem, type BatchOperationStore } from '../state/batch-operations';
import { DEFAULT_PAGE_SIZE, type SearchBody, type SearchPage } from './search';

/**
 * Batch operations and their items, read from memory: they live there for
 * good (batch-operations.ts), so no projection is needed. Searches take
 * Camunda's filter (plain values, `$eq`, `$neq`, `$in`, `$notIn`), sort and
 * `page.from`/`limit`.
 */

type Wire = Record<string, unknown>;
type Field<T> = (entity: T) => string | undefined;

const iso = (time: number | undefined) => (time === undefined ? undefined : new Date(time).toISOString());

const OPERATION_FIELDS: Record<string, Field<BatchOperationEntity>> = {
  batchOperationKey: (o) => String(o.key),
  operationType: (o) => o.type,
  state: (o) => o.state,
  startDate: (o) => iso(o.startDate),
  endDate: (o) => iso(o.endDate),
};

interface ItemRow {
  readonly operation: BatchOperationEntity;
  readonly item: BatchOperationItem;
}

const ITEM_FIELDS: Record<string, Field<ItemRow>> = {
  batchOperationKey: (r) => String(r.operation.key),
  itemKey: (r) => String(r.item.processInstanceKey),
  processInstanceKey: (r) => String(r.item.processInstanceKey),
  state: (r) => r.item.state,
  operationType: (r) => r.operation.type,
  processedDate: (r) => iso(r.item.processedDate),
};

export function batchOperationWire(operation: BatchOperationEntity): Wire {
  return {
    batchOperationKey: String(operation.key),
    state: operation.state,
    batchOperationType: operation.type,
    startDate: iso(operation.startDate),
    ...(operation.endDate === undefined ? {} : { endDate: iso(operation.endDate) }),
    operationsTotalCount: operation.items.length,
    operationsFailedCount: operation.failedCount,
    operationsCompletedCount: operation.completedCount,
  };
}

function itemWire({ operation, item }: ItemRow): Wire {
  return {
    batchOperationKey: String(operation.key),
    itemKey: String(item.processInstanceKey),
    processInstanceKey: String(item.processInstanceKey),
    state: item.state,
    operationType: operation.type,
    ...(item.processedDate === undefined ? {} : { processedDate: iso(item.processedDate) }),
    ...(item.errorMessage === undefined ? {} : { errorMessage: item.errorMessage }),
  };
}

export class BatchOperationReads {
  constructor(private readonly store: BatchOperationStore) {}

  get(batchOperationKey: string): Wire {
    const operation = /^\d{1,16}$/.test(batchOperationKey) ? this.store.operations.get(Number(batchOperationKey)) : undefined;
    if (!operation) throw notFound(`Batch operation with key '${batchOperationKey}' not found`);
    return batchOperationWire(operation);
  }

  search(body: SearchBody | undefined): SearchPage<Wire> {
    return searchIn([...this.store.operations.values()], OPERATION_FIELDS, body, 'batchOperationKey', batchOperationWire);
  }

  searchItems(body: SearchBody | undefined): SearchPage<Wire> {
    const filter = (body?.filter ?? {});
    // A filter on one batch operation reads only its items.
    const key = typeof filter.batchOperationKey === 'string' ? Number(filter.batchOperationKey) : undefined;
    const operations = key === undefined ? [...this.store.operations.values()] : [this.store.operations.get(key)].filter((o) => o !== undefined);
    const rows = operations.flatMap((operation) => operation.items.map((item) => ({ operation, item })));
    return searchIn(rows, ITEM_FIELDS, body, 'itemKey', itemWire);
  }
}

function searchIn<T>(entities: T[], fields: Record<string, Field<T>>, body: SearchBody | undefined, defaultSort: string, toWire: (entity: T) => Wire): SearchPage<Wire> {
  const filter = (body?.filter ?? {});
  const tests = Object.entries(filter).map(([name, condition]) => {
    const field = fields[name];
    if (!field) throw invalidArgument(`filter.${name} is not a field to filter by; expected one of ${Object.keys(fields).join(', ')}`);
    return (entity: T) => matches(field(entity), condition, `filter.${name}`);
  });
  const matched = entities.filter((entity) => tests.every((test) => test(entity)));
  const sorts = (body?.sort ?? [{ field: defaultSort, order: 'asc' }]).map(({ field, order }) => {
    const read = fields[field];
    if (!read) throw invalidArgument(`sort.field '${field}' is not a field to sort by; expected one of ${Object.keys(fields).join(', ')}`);
    return { read, sign: order?.toLowerCase() === 'desc' ? -1 : 1, numeric: field.endsWith('Key') };
  });
  matched.sort((a, b) => {
    for (const { read, sign, numeric } of sorts) {
      const x = read(a) ?? '';
      const y = read(b) ?? '';
      const order = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
      if (order !== 0) return order * sign;
    }
    return 0;
  });
  const from = body?.page?.from ?? 0;
  const limit = body?.page?.limit ?? DEFAULT_PAGE_SIZE;
  return { items: matched.slice(from, from + limit).map(toWire), page: { totalItems: matched.length } };
}

function matches(value: string | undefined, condition: unknown, path: string): boolean {
  if (typeof condition === 'string' || typeof condition === 'number') return value === String(condition);
  if (condition === null || typeof condition !== 'object') throw invalidArgument(`${path} must be a value or an object of operators`);
  return Object.entries(condition).every(([operator, operand]) => {
    const list = (): string[] => {
      if (!Array.isArray(operand)) throw invalidArgument(`${path}.${operator} must be a list`);
      return operand.map(String);
    };
    switch (operator) {
      case '$eq':
        return value === String(operand);
      case '$neq':
        return value !== String(operand);
      case '$in':
        return value !== undefined && list().includes(value);
      case '$notIn':
        return value === undefined || !list().includes(value);
      case '$exists':
        return (value !== undefined) === Boolean(operand);
      default:
        throw invalidArgument(`${path}.${operator} is not an operator here; expected $eq, $neq, $in, $notIn or $exists`);
    }
  });
}
