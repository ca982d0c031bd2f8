/**
 * Amounts, dates and statuses as people read them. One locale for amounts
 * and dates (en-GB, as the emails write them), so "€1,234.50" never sits
 * beside a date in another convention.
 */
export const LOCALE = 'en-GB';

export function money(amount: number | string | null | undefined, currency = 'EUR'): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  return new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).format(Number(amount));
}

export function date(value: string | null | undefined): string {
  if (!value) return '—';
  const parsed = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toLocaleDateString(LOCALE, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A code such as `information-requested` in words: "Information requested". */
export function words(code: string | null | undefined): string {
  if (!code) return '—';
  const text = code.replace(/[-_]+/g, ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
