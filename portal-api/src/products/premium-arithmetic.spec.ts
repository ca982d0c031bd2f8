import fc from 'fast-check';
import { divideHalfUp, pricePremium, type PremiumFactors } from './premium-arithmetic';

/**
 * The reference: the same factor arithmetic written independently with
 * BigInt and exact rational rounding (half up: floor((2n·p + d) / 2d)), one
 * factor after another, as the README and premium-arithmetic.ts state it.
 */
function referencePrice(f: PremiumFactors): { yearly: bigint; period: bigint; afterEach: bigint[] } {
  const roundHalfUp = (numerator: bigint, denominator: bigint) => (2n * numerator + denominator) / (2n * denominator);
  const base = f.people.reduce((sum, p) => sum + BigInt(p.basePremiumCents), 0n);
  let subtotal = f.people.reduce((sum, p) => sum + roundHalfUp(BigInt(p.basePremiumCents) * BigInt(p.age.permille), 1000n), 0n);
  const afterEach = [base, subtotal];
  for (const factor of [f.region, f.dependants, f.deductible]) {
    subtotal = roundHalfUp(subtotal * BigInt(factor.permille), 1000n);
    afterEach.push(subtotal);
  }
  const loaded = roundHalfUp(subtotal * BigInt(f.frequency.permille), 1000n);
  const period = roundHalfUp(loaded, BigInt(f.periodsPerYear));
  afterEach.push(period * BigInt(f.periodsPerYear));
  return { yearly: period * BigInt(f.periodsPerYear), period, afterEach };
}

const factor = fc.record({ permille: fc.integer({ min: 0, max: 5_000 }), label: fc.string({ maxLength: 12 }) });
const factors: fc.Arbitrary<PremiumFactors> = fc.record({
  people: fc.array(fc.record({ basePremiumCents: fc.integer({ min: 0, max: 2_000_000 }), baseLabel: fc.constantFrom('Health Plus', 'Health Essential'), age: factor }), { minLength: 1, maxLength: 10 }),
  region: factor,
  dependants: factor,
  deductible: factor,
  frequency: factor,
  periodsPerYear: fc.constantFrom(1, 2, 4, 12),
});

describe('premium arithmetic', () => {
  it('gives the reference figures, to the cent, for any factors', () => {
    fc.assert(
      fc.property(factors, (f) => {
        const premium = pricePremium(f);
        const reference = referencePrice(f);
        expect(BigInt(premium.yearlyPremiumCents)).toBe(reference.yearly);
        expect(BigInt(premium.periodPremiumCents)).toBe(reference.period);
        expect(premium.steps.map((s) => BigInt(s.subtotalCents))).toEqual(reference.afterEach);
      }),
      { numRuns: 2_000 },
    );
  });

  it('explains the whole price: the steps add up to the yearly premium, which is the instalment times the instalments', () => {
    fc.assert(
      fc.property(factors, (f) => {
        const premium = pricePremium(f);
        expect(premium.steps.map((s) => s.factor)).toEqual(['base', 'age', 'region', 'dependants', 'deductible', 'frequency']);
        expect(premium.steps.reduce((sum, s) => sum + s.changeCents, 0)).toBe(premium.yearlyPremiumCents);
        expect(premium.yearlyPremiumCents).toBe(premium.periodPremiumCents * f.periodsPerYear);
        for (const s of premium.steps) expect(Number.isSafeInteger(s.changeCents)).toBe(true);
      }),
    );
  });

  it('rounds half up to the cent at each step', () => {
    const one = (permille: number) => ({ permille, label: '' });
    // 333 cents × 1.5 = 499.5 → 500; × 1.001 = 500.5 → 501; monthly: 501 / 12 = 41.75 → 42, 504 a year.
    const premium = pricePremium({ people: [{ basePremiumCents: 333, baseLabel: 'P', age: one(1500) }], region: one(1001), dependants: one(1000), deductible: one(1000), frequency: one(1000), periodsPerYear: 12 });
    expect(premium.steps.map((s) => s.subtotalCents)).toEqual([333, 500, 501, 501, 501, 504]);
    expect(premium.periodPremiumCents).toBe(42);
    expect(divideHalfUp(5, 2)).toBe(3);
    expect(divideHalfUp(4, 3)).toBe(1);
  });

  it('refuses factors that are not whole thousandths', () => {
    const one = (permille: number) => ({ permille, label: '' });
    const base = { people: [{ basePremiumCents: 100, baseLabel: 'P', age: one(1000) }], region: one(1000), dependants: one(1000), deductible: one(1000), frequency: one(1000), periodsPerYear: 1 };
    expect(() => pricePremium({ ...base, region: one(1000.5) })).toThrow(/region/);
    expect(() => pricePremium({ ...base, people: [] })).toThrow(/insured person/);
    expect(() => pricePremium({ ...base, periodsPerYear: 3 })).toThrow(/instalments/);
  });
});
