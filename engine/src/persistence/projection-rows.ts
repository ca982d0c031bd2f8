// The shape of projection rows, shared by the modules that copy them.

export interface Column {
  readonly name: string;
  /** PostgreSQL array type of the column (`textlist[]` for text[]); the element type is the column's in json_to_recordset(). */
  readonly arrayType: string;
}

/** A table's rows as plain values, copied from the entities when a batch closes. */
export interface TableRows {
  readonly kind?: undefined;
  readonly table: string;
  readonly key: string;
  readonly spec: readonly Column[];
  readonly rows: readonly unknown[][];
}

/** Columns from `name arraytype, …` (`textlist[]` for a text[] column, sent as a JSON array). */
export const columns = (spec: string): Column[] =>
  spec.split(',').map((entry) => {
    const [name, arrayType] = entry.trim().split(/\s+/);
    return { name: name!, arrayType: arrayType! };
  });
