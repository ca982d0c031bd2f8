import type pg from 'pg';
import { invalidArgument } from '../processing/rejection';

/**
 * Camunda's search bodies (`filter`, `sort`, `page`) as SQL over a projection
 * table. Filters take a plain value (equality) or an operator object ($eq,
 * $neq, $exists, $in, $notIn, $like, $gt, $gte, $lt, $lte); unknown fields
 * are refused by name instead of being ignored.
 */
export type FieldType = 'key' | 'string' | 'integer' | 'date' | 'boolean';

export interface FieldSpec {
  readonly column: string;
  readonly type: FieldType;
  /** The column is an array (text[]); the filter matches rows whose array contains the value. */
  readonly array?: boolean;
  /** Filters the field by its own SQL instead (e.g. a user task's process variables). */
  readonly custom?: (value: unknown, path: string, parameter: (value: unknown) => string) => string;
}

export interface SearchBody {
  readonly filter?: Record<string, unknown>;
  readonly sort?: readonly { field: string; order?: 'asc' | 'desc' | 'ASC' | 'DESC' }[];
  readonly page?: { from?: number; limit?: number; after?: string; before?: string };
}

export interface SearchPage<T> {
  readonly items: T[];
  readonly page: { totalItems: number; hasMoreTotalItems?: boolean; startCursor?: string; endCursor?: string };
}

export const DEFAULT_PAGE_SIZE = 100;
/**
 * Totals are counted up to this many; beyond it `hasMoreTotalItems` is true
 * (Camunda's own backends cap totals too, at 10,000 on Elasticsearch). The
 * cap bounds the work of a count the way LIMIT bounds a page, so a search
 * costs the same over a thousand tasks or a million: counting 10,000 matches
 * took ~45 ms on two cores, counting 1,000 a tenth of that.
 */
export const TOTAL_ITEMS_LIMIT = 1_000;
const MAX_PAGE_SIZE = 10_000;

export class SearchBuilder {
  private readonly conditions: string[] = [];
  readonly parameters: unknown[] = [];

  constructor(private readonly fields: Readonly<Record<string, FieldSpec>>) {}

  /** Adds the API filter; `$or` holds alternative filter objects. */
  filter(filter: Record<string, unknown> | undefined): this {
    if (!filter) return this;
    const clause = this.clauseFor(filter, 'filter');
    if (clause) this.conditions.push(clause);
    return this;
  }

  /** A condition the endpoint adds itself (e.g. only one process instance). */
  where(sql: (parameter: (value: unknown) => string) => string): this {
    this.conditions.push(sql((value) => this.parameter(value)));
    return this;
  }

  whereSql(): string {
    return this.conditions.length > 0 ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  private clauseFor(filter: Record<string, unknown>, path: string): string | undefined {
    const parts: string[] = [];
    for (const [name, value] of Object.entries(filter)) {
      if (value === undefined) continue;
      if (name === '$or') {
        if (!Array.isArray(value)) throw invalidArgument(`Expected ${path}.$or to be a list of filters.`);
        const alternatives = value.map((alt, index) => this.clauseFor(alt as Record<string, unknown>, `${path}.$or[${index}]`) ?? 'TRUE');
        if (alternatives.length > 0) parts.push(`(${alternatives.join(' OR ')})`);
        continue;
      }
      const field = this.fields[name];
      if (!field) throw invalidArgument(`The filter field '${path}.${name}' is not supported; known fields: ${Object.keys(this.fields).join(', ')}.`);
      parts.push(this.fieldClause(field, value, `${path}.${name}`));
    }
    return parts.length > 0 ? parts.join(' AND ') : undefined;
  }

  private fieldClause(field: FieldSpec, value: unknown, path: string): string {
    if (field.custom) return field.custom(value, path, (v) => this.parameter(v));
    if (field.array) return this.arrayClause(field, value, path);
    const column = field.column;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return `${column} = ${this.parameter(this.convert(field, value, path))}`;
    }
    const parts: string[] = [];
    for (const [operator, operand] of Object.entries(value as Record<string, unknown>)) {
      switch (operator) {
        case '$eq':
          parts.push(`${column} = ${this.parameter(this.convert(field, operand, path))}`);
          break;
        case '$neq':
          parts.push(`${column} IS DISTINCT FROM ${this.parameter(this.convert(field, operand, path))}`);
          break;
        case '$exists':
          parts.push(operand === true ? `${column} IS NOT NULL` : `${column} IS NULL`);
          break;
        case '$in':
        case '$notIn': {
          if (!Array.isArray(operand)) throw invalidArgument(`Expected ${path}.${operator} to be a list.`);
          const list = operand.map((item) => this.convert(field, item, path));
          parts.push(operator === '$in' ? `${column} = ANY(${this.parameter(list)})` : `NOT (${column} = ANY(${this.parameter(list)}))`);
          break;
        }
        case '$like':
          if (typeof operand !== 'string') throw invalidArgument(`Expected ${path}.$like to be a string.`);
          // Camunda's wildcards are * and ?; SQL's are % and _.
          parts.push(`${column}::text LIKE ${this.parameter(operand.replace(/[%_\\]/g, '\\$&').replace(/\*/g, '%').replace(/\?/g, '_'))}`);
          break;
        case '$gt':
        case '$gte':
        case '$lt':
        case '$lte': {
          const sql = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[operator];
          parts.push(`${column} ${sql} ${this.parameter(this.convert(field, operand, path))}`);
          break;
        }
        default:
          throw invalidArgument(`The filter operator '${path}.${operator}' is not supported.`);
      }
    }
    return parts.length > 0 ? `(${parts.join(' AND ')})` : 'TRUE';
  }

  /** Filters on an array column: a value matches when the array contains it. */
  private arrayClause(field: FieldSpec, value: unknown, path: string): string {
    const column = field.column;
    const operators = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>) : [['$eq', value] as const];
    const parts = operators.map(([operator, operand]) => {
      const list = (): string => {
        if (!Array.isArray(operand)) throw invalidArgument(`Expected ${path}.${operator} to be a list.`);
        return this.parameter(operand.map((item) => this.convert(field, item, path)));
      };
      switch (operator) {
        case '$eq':
          // Cheaper per row than @> when walking an index in due-date order.
          return `${this.parameter(this.convert(field, operand, path))}::text = ANY(${column})`;
        case '$neq':
          return `NOT (${column} @> ARRAY[${this.parameter(this.convert(field, operand, path))}]::text[])`;
        case '$in':
          return `${column} && ${list()}::text[]`;
        case '$notIn':
          return `NOT (${column} && ${list()}::text[])`;
        case '$exists':
          return operand === true ? `cardinality(${column}) > 0` : `cardinality(${column}) = 0`;
        default:
          throw invalidArgument(`The filter operator '${path}.${operator}' is not supported.`);
      }
    });
    return parts.length > 0 ? `(${parts.join(' AND ')})` : 'TRUE';
  }

  private convert(field: FieldSpec, value: unknown, path: string): unknown {
    switch (field.type) {
      case 'key':
        if ((typeof value === 'string' && /^\d{1,19}$/.test(value)) || (typeof value === 'number' && Number.isInteger(value))) return String(value);
        throw invalidArgument(`Expected ${path} to be a key (digits), but it is ${JSON.stringify(value)}.`);
      case 'integer':
        if (typeof value === 'number' && Number.isInteger(value)) return value;
        throw invalidArgument(`Expected ${path} to be a whole number, but it is ${JSON.stringify(value)}.`);
      case 'boolean':
        if (typeof value === 'boolean') return value;
        throw invalidArgument(`Expected ${path} to be true or false, but it is ${JSON.stringify(value)}.`);
      case 'date':
        if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
        throw invalidArgument(`Expected ${path} to be a date-time, but it is ${JSON.stringify(value)}.`);
      case 'string':
        if (typeof value === 'string') return value;
        throw invalidArgument(`Expected ${path} to be a string, but it is ${JSON.stringify(value)}.`);
    }
  }

  private parameter(value: unknown): string {
    this.parameters.push(value);
    return `$${this.parameters.length}`;
  }
}

/** Runs a search over `table` and maps rows to API items, with totals and cursors. */
export async function runSearch<Row extends pg.QueryResultRow, Item>(
  pool: pg.Pool,
  options: {
    table: string;
    fields: Readonly<Record<string, FieldSpec>>;
    keyColumn: string;
    body: SearchBody | undefined;
    toItem: (row: Row) => Item;
    restrict?: (builder: SearchBuilder) => void;
  },
): Promise<SearchPage<Item>> {
  const body = options.body ?? {};
  const builder = new SearchBuilder(options.fields).filter(body.filter);
  options.restrict?.(builder);
  const order = orderBy(options.fields, body.sort, options.keyColumn);
  const { offset, limit } = pageOf(body.page);
  const where = builder.whereSql();
  // The count is capped and ordered like the page, so the index that finds the page also bounds the count.
  const [rows, count] = await Promise.all([
    pool.query<Row>(`SELECT * FROM ${options.table} ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`, builder.parameters),
    pool.query<{ total: string }>(`SELECT count(*) AS total FROM (SELECT 1 FROM ${options.table} ${where} ORDER BY ${order} LIMIT ${TOTAL_ITEMS_LIMIT + 1}) AS counted`, builder.parameters),
  ]);
  const items = rows.rows.map(options.toItem);
  const total = Number(count.rows[0]?.total ?? 0);
  return {
    items,
    page: {
      totalItems: Math.min(total, TOTAL_ITEMS_LIMIT),
      ...(total > TOTAL_ITEMS_LIMIT ? { hasMoreTotalItems: true } : {}),
      ...(items.length > 0 ? { startCursor: cursor(offset), endCursor: cursor(offset + items.length) } : {}),
    },
  };
}

function orderBy(fields: Readonly<Record<string, FieldSpec>>, sort: SearchBody['sort'], keyColumn: string): string {
  const parts: string[] = [];
  for (const [index, entry] of (sort ?? []).entries()) {
    const field = fields[entry.field];
    if (!field) throw invalidArgument(`The sort field 'sort[${index}].field' = '${entry.field}' is not supported; known fields: ${Object.keys(fields).join(', ')}.`);
    const direction = (entry.order ?? 'asc').toLowerCase();
    if (direction !== 'asc' && direction !== 'desc') throw invalidArgument(`Expected sort[${index}].order to be ASC or DESC.`);
    parts.push(`${field.column} ${direction}`);
  }
  parts.push(`${keyColumn} asc`);
  return parts.join(', ');
}

/** Offset paging; cursors are opaque offsets, so `after` and `before` work as Camunda's do. */
function pageOf(page: SearchBody['page']): { offset: number; limit: number } {
  const limit = page?.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw invalidArgument(`Expected page.limit to be a whole number from 0 to ${MAX_PAGE_SIZE}, but it is ${JSON.stringify(limit)}.`);
  }
  if (page?.after !== undefined) return { offset: decodeCursor(page.after, 'page.after'), limit };
  if (page?.before !== undefined) {
    const before = decodeCursor(page.before, 'page.before');
    return { offset: Math.max(0, before - limit), limit: Math.min(limit, before) };
  }
  const from = page?.from ?? 0;
  if (!Number.isInteger(from) || from < 0) throw invalidArgument(`Expected page.from to be a whole number of at least 0, but it is ${JSON.stringify(from)}.`);
  return { offset: from, limit };
}

function cursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeCursor(value: string, path: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // reported below
  }
  throw invalidArgument(`Expected ${path} to be a cursor from an earlier page, but it is '${value}'.`);
}
