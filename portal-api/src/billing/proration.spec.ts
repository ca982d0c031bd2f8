import fc from 'fast-check';
import { addDays } from '../products/quote-dates';
import { midTermChange, periodLength, prorateOverDays, splitCents } from './proration';
import { referenceSplit } from './testing/largest-remainder-reference';

const cents = fc.integer({ min: -50_000_000, max: 50_000_000 });
const weights = fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0));
/** A period of 1 to 400 days in 2024–2030, and days inside it to cut at. */
const periodWithCuts = fc
  .tuple(fc.integer({ min: 0, max: 365 * 6 }), fc.integer({ min: 1, max: 400 }))
  .chain(([offset, length]) => {
    const from = addDays('2024-01-01', offset);
    const period = { from, to: addDays(from, length - 1) };
    const cut = fc.integer({ min: 1, max: Math.max(1, length - 1) }).map((d) => addDays(from, d));
    return fc.tuple(fc.constant(period), length > 1 ? fc.array(cut, { maxLength: 10 }) : fc.constant([] as string[]));
  });

describe('splitting a price in integer cents', () => {
  it('gives the same pieces as the one-cent-at-a-time reference, summing to the price exactly', () => {
    fc.assert(fc.property(cents, weights, (total, w) => {
      const pieces = splitCents(total, w);
      expect(pieces).toEqual(referenceSplit(total, w));
      expect(pieces.reduce((a, b) => a + b, 0)).toBe(total);
    }), { numRuns: 2_000 });
  });

  it('keeps every piece less than a cent from its exact share', () => {
    fc.assert(fc.property(cents, weights, (total, w) => {
      const sum = BigInt(w.reduce((a, b) => a + b, 0));
      splitCents(total, w).forEach((piece, index) => {
        const error = BigInt(piece) * sum - BigInt(total) * BigInt(w[index]!);
        expect(error < 0n ? -error : error).toBeLessThan(sum);
      });
    }));
  });

  it('refuses fractions of a cent and weights that cannot split', () => {
    expect(() => splitCents(10.5, [1])).toThrow(RangeError);
    expect(() => splitCents(10, [])).toThrow(RangeError);
    expect(() => splitCents(10, [0, 0])).toThrow(RangeError);
    expect(() => splitCents(10, [1, -1])).toThrow(RangeError);
    expect(splitCents(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitCents(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });
});

describe('a period price over sub-periods', () => {
  it('covers the period day by day and sums to the plan price of the period, for any split', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), periodWithCuts, (price, [period, cuts]) => {
      const pieces = prorateOverDays(price, period, cuts);
      expect(pieces.reduce((a, p) => a + p.cents, 0)).toBe(price);
      expect(pieces.reduce((a, p) => a + p.days, 0)).toBe(periodLength(period));
      expect(pieces[0]!.from).toBe(period.from);
      expect(pieces.at(-1)!.to).toBe(period.to);
      pieces.slice(1).forEach((piece, index) => expect(piece.from).toBe(addDays(pieces[index]!.to, 1)));
      expect(pieces.map((p) => p.cents)).toEqual(referenceSplit(price, pieces.map((p) => p.days)));
    }), { numRuns: 1_000 });
  });

  it('on a known case: €100.00 for March split on the 16th is 15 and 16 days', () => {
    expect(prorateOverDays(10_000, { from: '2026-03-01', to: '2026-03-31' }, ['2026-03-16']).map((p) => [p.days, p.cents]))
      .toEqual([[15, 4_839], [16, 5_161]]);
  });

  it('refuses cut days outside the period and days that do not exist', () => {
    const march = { from: '2026-03-01', to: '2026-03-31' };
    expect(() => prorateOverDays(100, march, ['2026-03-01'])).toThrow(RangeError);
    expect(() => prorateOverDays(100, march, ['2026-04-01'])).toThrow(RangeError);
    // A day that does not exist sorts inside the period as text; it must not be read as another day.
    const februaryToMarch = { from: '2026-02-01', to: '2026-03-31' };
    expect(() => prorateOverDays(100, februaryToMarch, ['2026-02-30'])).toThrow(/YYYY-MM-DD/);
    expect(() => midTermChange(100, 200, februaryToMarch, '2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => prorateOverDays(100, { from: '2026-02-30', to: '2026-03-31' })).toThrow(RangeError);
    expect(() => prorateOverDays(100, { from: '2026-03-31', to: '2026-03-01' })).toThrow(RangeError);
  });
});

describe('a mid-term change inside a period', () => {
  const changeCase = periodWithCuts.chain(([period]) =>
    fc.tuple(fc.constant(period), fc.integer({ min: 0, max: periodLength(period) - 1 }).map((d) => addDays(period.from, d))));

  it('charges old-before plus new-after: the same cents as the period split at the change day', () => {
    fc.assert(fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 10_000_000 }), changeCase, (oldPrice, newPrice, [period, day]) => {
      const change = midTermChange(oldPrice, newPrice, period, day);
      expect(change.creditOfOldCents).toBeLessThanOrEqual(0);
      expect(change.chargeOfNewCents).toBeGreaterThanOrEqual(0);
      const cutAt = day === period.from ? [] : [day];
      const oldPieces = prorateOverDays(oldPrice, period, cutAt);
      const newPieces = prorateOverDays(newPrice, period, cutAt);
      // Paid over the period: the old price up to the day, the new one from it.
      const before = cutAt.length === 0 ? 0 : oldPieces[0]!.cents;
      expect(oldPrice + change.creditOfOldCents).toBe(before);
      expect(change.chargeOfNewCents).toBe(newPieces.at(-1)!.cents);
      expect(change.daysFromChange).toBe(cutAt.length === 0 ? periodLength(period) : newPieces.at(-1)!.days);
    }), { numRuns: 1_000 });
  });

  it('is the mirror image when the change is undone, and nothing when the price stays', () => {
    fc.assert(fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 10_000_000 }), changeCase, (a, b, [period, day]) => {
      const there = midTermChange(a, b, period, day);
      const back = midTermChange(b, a, period, day);
      expect(there.creditOfOldCents + there.chargeOfNewCents).toBe(0 - (back.creditOfOldCents + back.chargeOfNewCents));
      const same = midTermChange(a, a, period, day);
      expect(same.creditOfOldCents + same.chargeOfNewCents).toBe(0);
    }));
  });

  it('from the first day replaces the whole price, and refuses days outside the period', () => {
    const q = { from: '2026-01-01', to: '2026-03-31' };
    expect(midTermChange(30_000, 36_000, q, '2026-01-01')).toEqual({ daysFromChange: 90, daysInPeriod: 90, creditOfOldCents: -30_000, chargeOfNewCents: 36_000 });
    expect(() => midTermChange(30_000, 36_000, q, '2026-04-01')).toThrow(RangeError);
    expect(() => midTermChange(-1, 36_000, q, '2026-02-01')).toThrow(RangeError);
  });
});
