import { addDays } from '../products/quote-dates';
import { daysIncluded } from '../contracts/mid-term-pricing';

/**
 * Splitting a period's price in integer cents. Every split is by the largest
 * remainder (Hamilton) method: each piece gets the floor of its exact share,
 * and the cents left over go one each to the pieces with the largest
 * fractional remainder (the earlier piece first on a tie). So the pieces of
 * any split always add up to the price exactly — no cent is lost or made —
 * and every piece is less than one cent from its exact share.
 */

/** A stretch of days, both ends included (YYYY-MM-DD, UTC). */
export interface DayRange {
  from: string;
  to: string;
}

export interface ProratedPiece extends DayRange {
  days: number;
  cents: number;
}

/** The price of a period, and what a mid-term change does to it from one day on. */
export interface MidTermProration {
  /** Days from the effective day to the period's end, both included. */
  daysFromChange: number;
  /** Days in the whole period. */
  daysInPeriod: number;
  /** The old price's share from the effective day on, given back (≤ 0). */
  creditOfOldCents: number;
  /** The new price's share from the effective day on, charged (≥ 0). */
  chargeOfNewCents: number;
}

/**
 * `totalCents` split in proportion to `weights` (whole numbers ≥ 0, not all 0),
 * largest remainder. A negative total is split as the mirror of its magnitude,
 * so a credit splits exactly like the charge it reverses.
 */
export function splitCents(totalCents: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalCents)) throw new RangeError(`A price must be whole cents, but is ${totalCents}.`);
  if (weights.length === 0) throw new RangeError('Expected at least one piece to split into, but there are none.');
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight < 0) throw new RangeError(`Expected weights of whole numbers from 0, but one is ${weight}.`);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) throw new RangeError('Expected weights that are not all 0.');
  if (totalCents < 0) return splitCents(-totalCents, weights).map((piece) => (piece === 0 ? 0 : -piece));
  // BigInt: cents × days can pass 2^53 for large totals; the result never does.
  const total = BigInt(totalCents);
  const whole = BigInt(sum);
  const floors = weights.map((weight) => (total * BigInt(weight)) / whole);
  const remainders = weights.map((weight, index) => total * BigInt(weight) - floors[index]! * whole);
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const order = weights.map((_, index) => index).sort((a, b) => {
    const ra = remainders[a]!;
    const rb = remainders[b]!;
    return ra === rb ? a - b : ra > rb ? -1 : 1;
  });
  for (const index of order) {
    if (left === 0n) break;
    floors[index]! += 1n;
    left -= 1n;
  }
  return floors.map(Number);
}

/**
 * The period's price over consecutive sub-periods that start on the period's
 * first day and each of `cutDays` (days inside the period, after its first
 * day, in any order; repeats ignored), weighted by days.
 */
export function prorateOverDays(periodCents: number, period: DayRange, cutDays: readonly string[] = []): ProratedPiece[] {
  const daysInPeriod = periodLength(period);
  const starts = [...new Set(cutDays)].sort();
  for (const day of starts) {
    if (!isCalendarDay(day)) throw new RangeError(`Expected a cut day as YYYY-MM-DD, but it is ${day}.`);
    if (day <= period.from || day > period.to) {
      throw new RangeError(`Expected a cut day after ${period.from} and up to ${period.to}, but it is ${day}.`);
    }
  }
  const ranges: DayRange[] = [period.from, ...starts].map((from, index, all) => ({
    from,
    to: index + 1 < all.length ? dayBefore(all[index + 1]!) : period.to,
  }));
  const days = ranges.map((range) => daysIncluded(range.from, range.to));
  if (days.reduce((a, b) => a + b, 0) !== daysInPeriod) throw new Error('Sub-periods do not cover the period.');
  const cents = splitCents(periodCents, days);
  return ranges.map((range, index) => ({ ...range, days: days[index]!, cents: cents[index]! }));
}

/**
 * A price change from `effectiveDay` (inside the period): the old price's
 * share from that day is credited and the new price's share charged, each
 * split at the same day, so old-before + new-after is what the period costs.
 * A member who joins has old price 0; one who leaves has new price 0.
 */
export function midTermChange(oldPeriodCents: number, newPeriodCents: number, period: DayRange, effectiveDay: string): MidTermProration {
  for (const [name, value] of [['old price', oldPeriodCents], ['new price', newPeriodCents]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`The ${name} must be whole cents, at least 0, but is ${value}.`);
  }
  const daysInPeriod = periodLength(period);
  if (!isCalendarDay(effectiveDay)) throw new RangeError(`Expected the change's day as YYYY-MM-DD, but it is ${effectiveDay}.`);
  if (effectiveDay < period.from || effectiveDay > period.to) {
    throw new RangeError(`Expected the change to take effect from ${period.from} to ${period.to}, but it is ${effectiveDay}.`);
  }
  const daysFromChange = daysIncluded(effectiveDay, period.to);
  const after = (cents: number) => splitCents(cents, [daysInPeriod - daysFromChange, daysFromChange])[1]!;
  const credit = after(oldPeriodCents);
  return { daysFromChange, daysInPeriod, creditOfOldCents: credit === 0 ? 0 : -credit, chargeOfNewCents: after(newPeriodCents) };
}

/** Days in a valid period (from ≤ to, both real calendar days). */
export function periodLength(period: DayRange): number {
  for (const day of [period.from, period.to]) {
    if (!isCalendarDay(day)) throw new RangeError(`Expected a day as YYYY-MM-DD, but it is ${day}.`);
  }
  if (period.from > period.to) throw new RangeError(`Expected a period's start ${period.from} on or before its end ${period.to}.`);
  return daysIncluded(period.from, period.to);
}

export function isCalendarDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

function dayBefore(day: string): string {
  return addDays(day, -1);
}
