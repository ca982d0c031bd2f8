import { type ValueTransformer } from 'typeorm';

/**
 * Money is stored as numeric(12,2) and handled as a number of currency units;
 * PostgreSQL's driver hands numerics back as strings to keep precision, which
 * amounts of this size do not need.
 */
export const MONEY: { type: 'numeric'; precision: number; scale: number; transformer: ValueTransformer } = {
  type: 'numeric',
  precision: 12,
  scale: 2,
  transformer: {
    to: (value: number | null | undefined) => value,
    from: (value: string | null) => (value === null ? null : Number(value)),
  },
};

/** Rounds an amount to cents, the way amounts are stored. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}
