import { money } from '../common/format';

/** Integer cents as a person reads them: "€1,725.96". The division is for display only; no figure is computed here. */
export function cents(amount: number, currency: string): string {
  return money(amount / 100, currency);
}

/** A change in cents with its sign: "+ €234.90", "− €54.03", "no change". */
export function change(amount: number, currency: string): string {
  if (amount === 0) return 'no change';
  return `${amount > 0 ? '+' : '−'} ${cents(Math.abs(amount), currency)}`;
}

/** Thousandths as a multiplier: 1150 → "× 1.15". */
export function factor(permille: number | null): string {
  return permille === null ? '' : `× ${(permille / 1000).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 3 })}`;
}
