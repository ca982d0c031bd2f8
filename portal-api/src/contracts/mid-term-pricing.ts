/**
 * What a mid-term change costs: the yearly premium moves from `oldYearlyCents`
 * to `newYearlyCents` from the change's effective day to the end of the policy
 * year, so the client owes (or gets back) the difference for the days left,
 * `(new - old) × daysLeft / daysInYear`, in integer cents rounded half away
 * from zero (a refund is the mirror of the same charge). No float step.
 */
export function proRataAdjustmentCents(oldYearlyCents: number, newYearlyCents: number, daysLeft: number, daysInYear: number): number {
  for (const [name, value] of [['old premium', oldYearlyCents], ['new premium', newYearlyCents]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`The ${name} must be whole cents, at least 0, but is ${value}.`);
  }
  if (!Number.isSafeInteger(daysInYear) || daysInYear <= 0) throw new RangeError(`A policy year has a positive whole number of days, not ${daysInYear}.`);
  if (!Number.isSafeInteger(daysLeft) || daysLeft < 0 || daysLeft > daysInYear) throw new RangeError(`Days left must be from 0 to ${daysInYear}, not ${daysLeft}.`);
  const difference = newYearlyCents - oldYearlyCents;
  const magnitude = Math.abs(difference) * daysLeft;
  if (!Number.isSafeInteger(magnitude)) throw new RangeError('The adjustment is beyond exact arithmetic.');
  const remainder = magnitude % daysInYear;
  const whole = (magnitude - remainder) / daysInYear + (remainder * 2 >= daysInYear ? 1 : 0);
  return difference < 0 && whole !== 0 ? -whole : whole;
}

/** Days from `from` to `to`, both included (YYYY-MM-DD, UTC). */
export function daysIncluded(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
