/** Money in whole cents, so sums and shares never drift by a fraction of a cent. */
export const toCents = (amount: number): number => Math.round(amount * 100);
export const fromCents = (cents: number): number => cents / 100;

/** The locale of every amount and date the system writes to people (dates follow the amounts). */
export const MONEY_LOCALE = 'en-GB';

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(MONEY_LOCALE, { style: 'currency', currency }).format(amount);
}
