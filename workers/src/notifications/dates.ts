import { MONEY_LOCALE } from '../steps/money';

/**
 * Dates in messages and item labels, in the locale amounts use (en-GB):
 * "1 Dec 2026", "1 Dec 2026, 14:05 UTC". Times are UTC, said so, since the
 * reader's time zone is not known here.
 */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(parsed.getTime())) return value;
  return new Intl.DateTimeFormat(MONEY_LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(parsed);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return value;
  return `${new Intl.DateTimeFormat(MONEY_LOCALE, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(parsed)} UTC`;
}
