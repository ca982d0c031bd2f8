import fc from 'fast-check';
import { amount, duration } from './report-tables';

/** The reference: cents written out from their digits, never through a float. */
function reference(cents: number): string {
  const digits = String(Math.abs(cents)).padStart(3, '0');
  const units = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}${units}.${digits.slice(-2)}`;
}

describe('report cells', () => {
  test('amounts are the integer cents written out, exactly, for any amount', () => {
    fc.assert(fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (cents) => amount(cents) === reference(cents)));
    expect(amount(0)).toBe('0.00');
    expect(amount(1)).toBe('0.01');
    expect(amount(123456)).toBe('1,234.56');
  });

  test('durations in minutes, hours, then days', () => {
    expect(duration(30)).toBe('0.5 min');
    expect(duration(5400)).toBe('1.5 h');
    expect(duration(172_800)).toBe('2.0 d');
  });
});
