import { addDays } from '../../products/quote-dates';

/**
 * How long a client has to pay before their cover is at risk, and to put it
 * right after. Read once at start from the environment (days):
 * `COLLECTION_GRACE_DAYS` (after the due date; 21 by default: the retries on
 * days 1, 3 and 7, then the two weeks after a written reminder that § 38 VVG
 * asks before cover may end) and `COLLECTION_REINSTATEMENT_DAYS` (from the
 * lapse; 30 by default).
 */
export interface CollectionTerms {
  readonly graceDays: number;
  readonly reinstatementDays: number;
}

export function collectionTerms(env: NodeJS.ProcessEnv = process.env): CollectionTerms {
  const days = (name: string, fallback: number, min: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > 366) throw new Error(`${name} must be a whole number of days between ${min} and 366, not "${raw}".`);
    return value;
  };
  return { graceDays: days('COLLECTION_GRACE_DAYS', 21, 0), reinstatementDays: days('COLLECTION_REINSTATEMENT_DAYS', 30, 1) };
}

/** The dates of one invoice's case, all YYYY-MM-DD, fixed when the case starts. */
export interface CollectionDates {
  readonly dueOn: string;
  /** The last day to pay and keep cover without a gap. */
  readonly graceEndsOn: string;
  /** The first day not covered if the invoice is still unpaid. */
  readonly lapsesOn: string;
  /** The last day a payment reinstates the policy; the invoice is written off the day after. */
  readonly reinstatableUntil: string;
  /** The days after the due date a soft decline is retried (from bpmn/collection-retry.dmn). */
  readonly retryDays: readonly number[];
}

export function collectionDates(dueOn: string, terms: CollectionTerms, retryDays: readonly number[]): CollectionDates {
  const graceEndsOn = addDays(dueOn, terms.graceDays);
  const lapsesOn = addDays(graceEndsOn, 1);
  return { dueOn, graceEndsOn, lapsesOn, reinstatableUntil: addDays(lapsesOn, terms.reinstatementDays - 1), retryDays: [...retryDays].sort((a, b) => a - b) };
}

/** Days before grace ends that the last reminder goes out. */
export const LAST_REMINDER_DAYS_BEFORE = 3;

/**
 * The process's timer instants (UTC): the last reminder in the morning three
 * days before grace ends (never before the due date), the lapse at the start
 * of its day, the write-off at the start of the day after the window.
 */
export function collectionTimers(dates: CollectionDates): { lastReminderAt: string; lapseAt: string; writeOffAt: string } {
  const reminderDay = addDays(dates.graceEndsOn, -LAST_REMINDER_DAYS_BEFORE);
  return { lastReminderAt: `${reminderDay < dates.dueOn ? dates.dueOn : reminderDay}T08:00:00Z`, lapseAt: `${dates.lapsesOn}T00:00:00Z`, writeOffAt: `${addDays(dates.reinstatableUntil, 1)}T00:00:00Z` };
}

/** The payment's idempotency key at the provider, one per invoice and attempt (the workers' provider contract). */
export function attemptKey(invoiceId: string, trigger: 'schedule' | 'pay-now', attempt: number): string {
  return trigger === 'schedule' ? `invoice:${invoiceId}:collection:${attempt}` : `invoice:${invoiceId}:pay-now:${attempt}`;
}
