/**
 * Amounts in cents as a client reads them (en-GB, as the web apps and mails
 * write them: "€1,234.50"), and as the policy tables store them
 * (numeric "1234.50"), by integer arithmetic only: no float step.
 */
const SYMBOLS: Record<string, string> = { EUR: '€', GBP: '£', USD: '$', CHF: 'CHF ' };

export function centsAsDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Expected whole cents, got ${cents}.`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function formatCents(cents: number, currency: string): string {
  const [units, fraction] = centsAsDecimal(cents).replace('-', '').split('.') as [string, string];
  const grouped = units.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}${SYMBOLS[currency] ?? `${currency} `}${grouped}.${fraction}`;
}

/** Thousandths as a rate with three decimals ("0.800"), for numeric(4,3) columns. */
export function permilleAsRate(permille: number): string {
  if (!Number.isSafeInteger(permille) || permille < 0 || permille > 1000) throw new RangeError(`Expected thousandths from 0 to 1000, got ${permille}.`);
  return `${Math.trunc(permille / 1000)}.${String(permille % 1000).padStart(3, '0')}`;
}
