import { PERIODS_PER_YEAR, type PaymentFrequency } from '../products/premium-arithmetic';
import { addDays } from '../products/quote-dates';
import { type DayRange, isCalendarDay } from './proration';

/**
 * The billing periods of a schedule. Period n starts n × (12 / periods a year)
 * months after the anchor (the issue date or the chosen billing day), on the
 * anchor's day of the month, or the month's last day when it is shorter.
 * Every start is computed from the anchor, never from the previous period, so
 * an anchor on the 31st bills on 31 Jan, 28 Feb, 31 Mar — not on the 28th ever
 * after. Each period ends the day before the next one starts, so periods tile
 * the time without gap or overlap.
 */
export function billingPeriod(anchor: string, frequency: PaymentFrequency, index: number): DayRange {
  if (!isCalendarDay(anchor)) throw new RangeError(`Expected the schedule's anchor as YYYY-MM-DD, but it is ${anchor}.`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`Expected a period number from 0, but it is ${index}.`);
  const months = 12 / PERIODS_PER_YEAR[frequency];
  return { from: monthsAfter(anchor, index * months), to: addDays(monthsAfter(anchor, (index + 1) * months), -1) };
}

/** The number of the period that contains `day` (on or after the anchor). */
export function billingPeriodIndexOn(anchor: string, frequency: PaymentFrequency, day: string): number {
  if (!isCalendarDay(day) || day < anchor) throw new RangeError(`Expected a day on or after the anchor ${anchor}, but it is ${day}.`);
  const months = 12 / PERIODS_PER_YEAR[frequency];
  const [ay, am] = anchor.split('-').map(Number) as [number, number];
  const [dy, dm] = day.split('-').map(Number) as [number, number];
  // A first guess from whole months, corrected by at most one period either way.
  let index = Math.max(0, Math.floor(((dy - ay) * 12 + (dm - am)) / months));
  while (index > 0 && billingPeriod(anchor, frequency, index).from > day) index -= 1;
  while (billingPeriod(anchor, frequency, index).to < day) index += 1;
  return index;
}

/** The anchor's day `months` later, clamped to the end of a shorter month. */
function monthsAfter(anchor: string, months: number): string {
  const [year, month, day] = anchor.split('-').map(Number) as [number, number, number];
  const target = year * 12 + (month - 1) + months;
  const y = Math.floor(target / 12);
  const m = target % 12;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}
