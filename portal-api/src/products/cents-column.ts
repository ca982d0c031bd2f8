import { type ColumnOptions } from 'typeorm';

/** A bigint as the driver hands it back (a string), as a safe integer of cents or refused: no amount is ever silently rounded. */
function readCents(value: string): number {
  const cents = Number(value);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Expected whole cents, but the database holds ${value}.`);
  return cents;
}

/** Money of the product catalog and quotes: integer cents in a bigint column. */
export const CENTS: ColumnOptions = {
  type: 'bigint',
  transformer: {
    to: (value: number | null | undefined) => value,
    from: (value: string | null) => (value === null ? null : readCents(value)),
  },
};

/** A list of cents (bigint[]), read the same way. */
export const CENTS_LIST: ColumnOptions = {
  type: 'bigint',
  array: true,
  transformer: {
    to: (value: number[] | null | undefined) => value,
    from: (value: string[] | null) => (value === null ? null : value.map(readCents)),
  },
};
