import fc from 'fast-check';
import { centsAsDecimal, formatCents, permilleAsRate } from './money-text';
import { bodyMassIndex } from './questionnaire';
import { reasonsInWords } from './reason-wording';

/** The reference: BigInt arithmetic and the platform's own en-GB currency formatting on the decimal string. */
function referenceDecimal(cents: number): string {
  const big = BigInt(cents);
  const abs = big < 0n ? -big : big;
  return `${big < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

describe('amounts written from cents', () => {
  it('writes any whole number of cents as the decimal PostgreSQL stores, exactly', () => {
    fc.assert(fc.property(fc.maxSafeInteger().filter((n) => n >= Number.MIN_SAFE_INTEGER), (cents) => {
      expect(centsAsDecimal(cents)).toBe(referenceDecimal(cents));
    }));
  });

  it('reads back in PostgreSQL numeric to the same cents (no float step)', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
      const [units, fraction] = centsAsDecimal(cents).replace('-', '').split('.') as [string, string];
      expect(BigInt(units) * 100n + BigInt(fraction)).toBe(BigInt(Math.abs(cents)));
    }));
  });

  it('writes amounts as the clients read them, like Intl en-GB for amounts Intl formats exactly', () => {
    const intl = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'EUR' });
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e13 }), (cents) => {
      // Intl is given the decimal string, so it does no float arithmetic on the way either.
      expect(formatCents(cents, 'EUR')).toBe(intl.format(referenceDecimal(cents) as unknown as number));
    }));
    expect(formatCents(123_450, 'EUR')).toBe('€1,234.50');
  });

  it('writes thousandths as the rate a numeric(4,3) column holds, and refuses what is not one', () => {
    expect(permilleAsRate(800)).toBe('0.800');
    expect(permilleAsRate(1000)).toBe('1.000');
    expect(permilleAsRate(5)).toBe('0.005');
    expect(() => permilleAsRate(1001)).toThrow(RangeError);
    expect(() => centsAsDecimal(1.5)).toThrow(RangeError);
  });
});

describe('the questionnaire facts', () => {
  it('computes the body mass index to one decimal, half up', () => {
    expect(bodyMassIndex(175, 70)).toBe(22.9);
    expect(bodyMassIndex(170, 130)).toBe(45);
    expect(bodyMassIndex(180, 103.68)).toBe(32);
  });

  it('writes reason codes in words, once each, and an unknown code as a general sentence, never the code', () => {
    expect(reasonsInWords(['SMOKER', 'CHRONIC_CONDITION'])).toEqual(['The health information given is reviewed by an underwriter.']);
    expect(reasonsInWords(['NEW_RULE_BY_ANALYST'])).toEqual(['Your application did not meet our acceptance rules.']);
  });
});
