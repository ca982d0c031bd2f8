/** Money in whole cents, so sums and shares never drift by a fraction of a cent (the portal's conversions, through decimal digits). */
export { fromCents, toCents } from '@claims/portal-api/src/benefits/cents';

export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);
}
