import fc from 'fast-check';
import { decimalOfCents, fromCents, toCents } from './cents';

/** The reference: decimal text summed digit by digit as BigInt, no number arithmetic at all. */
function referenceSum(amounts: readonly string[]): string {
  const cents = amounts.reduce((sum, text) => {
    const [whole, fraction = ''] = text.split('.');
    return sum + BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  }, 0n);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/** An amount a client may claim (0.01 to 1,000,000 with at most two decimals, claim.dto.ts), as the decimal text typed. */
const amountText = fc.integer({ min: 1, max: 100_000_000 }).map((cents) => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);

describe('a claim total in integer cents (draft-filing.ts)', () => {
  it('sums the items as the decimal total PostgreSQL stores, whatever float the JSON number became', () => {
    fc.assert(
      fc.property(fc.array(amountText, { minLength: 1, maxLength: 30 }), (texts) => {
        const amounts = texts.map(Number);
        const total = amounts.reduce((sum, amount) => sum + toCents(amount), 0);
        expect(decimalOfCents(total)).toBe(referenceSum(texts));
        for (const [i, amount] of amounts.entries()) expect(decimalOfCents(toCents(amount))).toBe(referenceSum([texts[i]!]));
        // What the audit entry and the API answer carry: the nearest number to that decimal.
        expect(fromCents(total)).toBe(Number(referenceSum(texts)));
      }),
    );
  });

  it('writes negative and small amounts with two decimals', () => {
    expect(decimalOfCents(5)).toBe('0.05');
    expect(decimalOfCents(-1234)).toBe('-12.34');
    expect(() => decimalOfCents(1.5)).toThrow(RangeError);
  });
});
