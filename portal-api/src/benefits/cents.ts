/**
 * Money as integer cents. Amounts travel as decimal currency units
 * (numeric(12,2), read as a number); they are turned into cents through their
 * decimal digits, never by multiplying a float, and every step in between is
 * integer arithmetic (exact below 2^53, far above any numeric(12,2)).
 */
export function toCents(amount: number): number {
  if (!Number.isFinite(amount)) throw new RangeError(`Expected an amount of money, but got ${amount}.`);
  const [whole, fraction] = Math.abs(amount).toFixed(2).split('.') as [string, string];
  const cents = Number(whole) * 100 + Number(fraction);
  return amount < 0 ? -cents : cents;
}

/** Cents back to currency units for the wire (the nearest number to the decimal, as PostgreSQL's numeric reads back). */
export function fromCents(cents: number): number {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Expected whole cents, but got ${cents}.`);
  return cents / 100;
}

/** A rate stored as numeric(4,3) (0.8 = 80 %) as a whole number of thousandths (800), read from its digits. */
export function toPermille(rate: number): number {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new RangeError(`Expected a rate between 0 and 1, but got ${rate}.`);
  const [whole, fraction] = rate.toFixed(3).split('.') as [string, string];
  return Number(whole) * 1000 + Number(fraction);
}

/** `permille` thousandths of `cents`, rounded half up to a whole cent, in integers only (both non-negative). */
export function shareOf(cents: number, permille: number): number {
  const product = cents * permille;
  const remainder = product % 1000;
  const whole = (product - remainder) / 1000;
  return remainder >= 500 ? whole + 1 : whole;
}

/** Whole cents as the decimal text PostgreSQL reads into numeric(12,2) exactly ("1234.05"), with no float step. */
export function decimalOfCents(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Expected whole cents, but got ${cents}.`);
  const magnitude = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.trunc(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}
