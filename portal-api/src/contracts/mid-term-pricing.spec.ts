import fc from 'fast-check';
import { daysIncluded, proRataAdjustmentCents } from './mid-term-pricing';
import { nearestOption } from './renewals.service';

/**
 * An independent reference: exact rationals in BigInt, and the nearest whole
 * cent found by comparing distances (ties away from zero), not by the
 * remainder arithmetic the implementation uses.
 */
function reference(oldCents: number, newCents: number, daysLeft: number, daysInYear: number): number {
  const numerator = (BigInt(newCents) - BigInt(oldCents)) * BigInt(daysLeft);
  const denominator = BigInt(daysInYear);
  const floor = numerator >= 0n ? numerator / denominator : -((-numerator + denominator - 1n) / denominator);
  const candidates = [floor, floor + 1n];
  const distance = (k: bigint) => (k * denominator - numerator < 0n ? numerator - k * denominator : k * denominator - numerator);
  const [a, b] = candidates.map(distance) as [bigint, bigint];
  if (a !== b) return Number(a < b ? candidates[0]! : candidates[1]!);
  return Number(numerator < 0n ? candidates[0]! : candidates[1]!);
}

const cents = fc.integer({ min: 0, max: 50_000_000 });
const year = fc.integer({ min: 1, max: 366 }).chain((days) => fc.tuple(fc.constant(days), fc.integer({ min: 0, max: days })));

describe('mid-term re-pricing in integer cents', () => {
  it('matches the exact rational reference, rounded half away from zero', () => {
    fc.assert(fc.property(cents, cents, year, (oldCents, newCents, [daysInYear, daysLeft]) => {
      expect(proRataAdjustmentCents(oldCents, newCents, daysLeft, daysInYear)).toBe(reference(oldCents, newCents, daysLeft, daysInYear));
    }), { numRuns: 2_000 });
  });

  it('charges a rise exactly as much as it refunds the same fall, and the whole difference for a whole year', () => {
    fc.assert(fc.property(cents, cents, year, (oldCents, newCents, [daysInYear, daysLeft]) => {
      const rise = proRataAdjustmentCents(oldCents, newCents, daysLeft, daysInYear);
      expect(proRataAdjustmentCents(newCents, oldCents, daysLeft, daysInYear)).toBe(rise === 0 ? 0 : -rise);
      expect(Number.isSafeInteger(rise)).toBe(true);
      expect(proRataAdjustmentCents(oldCents, newCents, daysInYear, daysInYear)).toBe(newCents - oldCents);
      expect(proRataAdjustmentCents(oldCents, newCents, 0, daysInYear)).toBe(0);
    }));
  });

  it('on a known case: €120.00 more a year from day 184 of 365 is €59.84 (182 days left)', () => {
    expect(proRataAdjustmentCents(100_000, 112_000, 182, 365)).toBe(5_984);
    expect(proRataAdjustmentCents(100_000, 100_001, 183, 365)).toBe(1); // 0.501 cent rounds up
    expect(proRataAdjustmentCents(100_001, 100_000, 183, 365)).toBe(-1);
    expect(daysIncluded('2026-01-01', '2026-12-31')).toBe(365);
  });

  it('refuses fractions of a cent and impossible days', () => {
    expect(() => proRataAdjustmentCents(100.5, 0, 1, 365)).toThrow(RangeError);
    expect(() => proRataAdjustmentCents(0, 100, 366, 365)).toThrow(RangeError);
    expect(() => proRataAdjustmentCents(0, 100, 1, 0)).toThrow(RangeError);
  });
});

describe('the deductible kept on renewal', () => {
  it('is the same option when the current version offers it, else the nearest (the lower of two as near)', () => {
    expect(nearestOption([10_000, 25_000, 50_000], 25_000)).toBe(25_000);
    expect(nearestOption([10_000, 25_000, 50_000], 30_000)).toBe(25_000);
    expect(nearestOption([10_000, 30_000], 20_000)).toBe(10_000);
    expect(nearestOption([50_000, 100_000], 0)).toBe(50_000);
  });
});
