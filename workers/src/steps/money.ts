/** Money in whole cents, so sums and shares never drift by a fraction of a cent (the portal's conversions, through decimal digits). */
export { fromCents, toCents } from '@claims/portal-api/src/benefits/cents';

/** The locale of every amount and date the system writes to people (dates follow the amounts). */
import { READABLE_LOCALE } from '@claims/portal-api/src/claims/readable-dates';

export const MONEY_LOCALE = READABLE_LOCALE;

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(MONEY_LOCALE, { style: 'currency', currency }).format(amount);
}
