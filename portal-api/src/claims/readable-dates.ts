/**
 * Dates in the words clients and staff read outside the browser (item labels,
 * breakdown lines, emails, SMS), in the locale amounts use (en-GB):
 * "1 Dec 2026", "1 Dec 2026, 14:05 UTC". Times are UTC, said so, since the
 * reader's time zone is not known here. The web apps format in the browser
 * with the same locale (portal-web/src/common/format.ts).
 */
export const READABLE_LOCALE = 'en-GB';

export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(parsed.getTime())) return value;
  return new Intl.DateTimeFormat(READABLE_LOCALE, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(parsed);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return value;
  return `${new Intl.DateTimeFormat(READABLE_LOCALE, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(parsed)} UTC`;
}
