import fc from 'fast-check';
import type { PaymentFrequency } from '../products/premium-arithmetic';
import { billingPeriod, billingPeriodIndexOn } from './billing-periods';
import { addDays } from '../products/quote-dates';
import { periodLength } from './proration';

const frequency = fc.constantFrom<PaymentFrequency>('monthly', 'quarterly', 'half-yearly', 'yearly');
const anchor = fc.integer({ min: 0, max: 365 * 30 }).map((d) => addDays('2000-01-01', d));
const bounds: Record<PaymentFrequency, [number, number]> = { monthly: [28, 31], quarterly: [89, 92], 'half-yearly': [181, 184], yearly: [365, 366] };

describe('billing periods of a schedule', () => {
  it('tile the time from the anchor, each as long as its frequency allows', () => {
    fc.assert(fc.property(anchor, frequency, fc.integer({ min: 0, max: 60 }), (a, f, n) => {
      const period = billingPeriod(a, f, n);
      const next = billingPeriod(a, f, n + 1);
      expect(next.from).toBe(addDays(period.to, 1));
      const [min, max] = bounds[f];
      const days = periodLength(period);
      expect(days).toBeGreaterThanOrEqual(min);
      expect(days).toBeLessThanOrEqual(max);
      if (n === 0) expect(period.from).toBe(a);
    }), { numRuns: 1_000 });
  });

  it('start on the anchor day of the month, or the last day of a shorter month', () => {
    fc.assert(fc.property(anchor, frequency, fc.integer({ min: 0, max: 60 }), (a, f, n) => {
      const from = billingPeriod(a, f, n).from;
      const anchorDay = Number(a.slice(8));
      const lastOfMonth = Number(addDays(`${addDays(`${from.slice(0, 7)}-28`, 4).slice(0, 7)}-01`, -1).slice(8));
      expect(Number(from.slice(8))).toBe(Math.min(anchorDay, lastOfMonth));
    }), { numRuns: 1_000 });
  });

  it('find the period that holds any day after the anchor', () => {
    fc.assert(fc.property(anchor, frequency, fc.integer({ min: 0, max: 3_000 }), (a, f, offset) => {
      const day = addDays(a, offset);
      const period = billingPeriod(a, f, billingPeriodIndexOn(a, f, day));
      expect(period.from <= day && day <= period.to).toBe(true);
    }), { numRuns: 1_000 });
  });

  it('on known cases: a 31 January anchor bills monthly on 28 (29) February and 31 March', () => {
    expect([0, 1, 2].map((n) => billingPeriod('2026-01-31', 'monthly', n))).toEqual([
      { from: '2026-01-31', to: '2026-02-27' }, { from: '2026-02-28', to: '2026-03-30' }, { from: '2026-03-31', to: '2026-04-29' },
    ]);
    expect(billingPeriod('2028-01-31', 'monthly', 1).from).toBe('2028-02-29');
    expect(billingPeriod('2026-11-15', 'quarterly', 1)).toEqual({ from: '2027-02-15', to: '2027-05-14' });
    expect(() => billingPeriod('2026-02-30', 'monthly', 0)).toThrow(RangeError);
    expect(() => billingPeriod('2026-01-01', 'monthly', -1)).toThrow(RangeError);
    expect(() => billingPeriodIndexOn('2026-01-01', 'monthly', '2025-12-31')).toThrow(RangeError);
  });
});
