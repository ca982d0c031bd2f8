import fc from 'fast-check';
import { addDays } from '../products/quote-dates';
import { cancellationRefund, daysInForce, type InvoicedPeriod, invoiceRefund, monthsInForce, type RefundRule, refundRuleOf } from './refund-calculation';
import { referenceSplit } from './testing/largest-remainder-reference';

/**
 * The reference, written apart from the implementation: the days of each
 * premium line walked one by one, each unused day adding the line's cents
 * per day (an exact rational); the sum split into used and unused by the
 * one-cent-at-a-time largest-remainder reference; the penalty rounded by
 * comparing exact rationals; and the credit placed as the client's account
 * would settle: the invoice's net falls by the credit (never below 0), and
 * what was paid above the new net goes back, the rest lowers what is open.
 */
function referenceRefund(invoice: InvoicedPeriod, cancelledFrom: string, rule: RefundRule) {
  const days: string[] = [];
  for (let day = invoice.period.from; day <= invoice.period.to; day = addDays(day, 1)) days.push(day);
  const unusedDays = days.filter((day) => day >= cancelledFrom).length;
  if (rule.method !== 'full' && unusedDays === 0) return null;
  const unusedCents = referenceUnused(invoice, cancelledFrom);
  let penaltyCents = 0;
  if (rule.method === 'short-rate' && days.some((day) => day < cancelledFrom)) {
    // The smallest p with (p + ½) × 10 000 > unused × bp: half up.
    const exact = BigInt(unusedCents) * BigInt(rule.penaltyBasisPoints);
    while (BigInt(penaltyCents) * 20_000n + 10_000n <= exact * 2n) penaltyCents += 1;
  }
  const credited = invoice.creditedCents ?? 0;
  const net = invoice.totalCents - credited;
  const wanted = rule.method === 'full' ? invoice.premiumCents : unusedCents - penaltyCents;
  const newNet = net - wanted > 0 ? net - wanted : 0;
  const creditCents = net - newNet;
  const refundCents = invoice.paidCents > newNet ? invoice.paidCents - newNet : 0;
  return { usedCents: invoice.premiumCents - unusedCents, unusedCents, penaltyCents, creditCents, creditOpenCents: creditCents - refundCents, refundCents, unusedDays };
}

/** Σ over lines and their unused days of cents ÷ line days, kept within 0 and the premium, split by the reference. */
function referenceUnused(invoice: InvoicedPeriod, cancelledFrom: string): number {
  if (invoice.premiumCents === 0) return 0;
  const lines = invoice.premiumLines ?? [{ period: invoice.period, cents: invoice.premiumCents }];
  const lengths = lines.map((line) => { let n = 0; for (let d = line.period.from; d <= line.period.to; d = addDays(d, 1)) n += 1; return BigInt(n); });
  const common = lengths.reduce((a, b) => a * b, 1n);
  let unused = 0n; // in 1 / common cents
  lines.forEach((line, index) => {
    for (let day = line.period.from; day <= line.period.to; day = addDays(day, 1)) if (day >= cancelledFrom) unused += (BigInt(line.cents) * common) / lengths[index]!;
  });
  const whole = BigInt(invoice.premiumCents) * common;
  const clamped = unused < 0n ? 0n : unused > whole ? whole : unused;
  return referenceSplit(invoice.premiumCents, [whole - clamped, clamped])[1]!;
}

/** An invoice of 1–400 days in 2025–2028: a premium, perhaps price changes or discounts over parts of it, fees, paid, partly paid or open, perhaps an earlier credit. */
const invoice: fc.Arbitrary<InvoicedPeriod> = fc
  .record({
    offset: fc.integer({ min: 0, max: 365 * 3 }),
    length: fc.integer({ min: 1, max: 400 }),
    baseCents: fc.integer({ min: 0, max: 500_000 }),
    changes: fc.array(fc.record({ start: fc.double({ min: 0, max: 1, noNaN: true }), end: fc.double({ min: 0, max: 1, noNaN: true }), share: fc.integer({ min: -100, max: 100 }) }), { maxLength: 3 }),
    feeCents: fc.integer({ min: 0, max: 5_000 }),
    paidShare: fc.integer({ min: 0, max: 100 }),
    creditedShare: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ offset, length, baseCents, changes, feeCents, paidShare, creditedShare }) => {
    const from = addDays('2025-01-01', offset);
    const to = addDays(from, length - 1);
    const premiumLines = [
      { period: { from, to }, cents: baseCents },
      // A price change or a discount from some day (to the end, or over a part): signed, over its own days.
      ...changes.map((c) => {
        const [a, b] = [Math.floor(c.start * (length - 1)), Math.floor(c.end * (length - 1))].sort((x, y) => x - y) as [number, number];
        return { period: { from: addDays(from, a), to: addDays(from, b) }, cents: Math.trunc((baseCents * c.share) / 100) };
      }).filter((line) => line.cents !== 0),
    ];
    const premiumCents = Math.max(0, premiumLines.reduce((sum, line) => sum + line.cents, 0));
    const totalCents = premiumCents + feeCents;
    const creditedCents = Math.floor((totalCents * creditedShare) / 100);
    const paidCents = Math.floor(((totalCents - creditedCents) * paidShare) / 100);
    return { invoiceId: `inv-${offset}`, period: { from, to }, premiumCents, premiumLines, totalCents, paidCents, creditedCents };
  });
/** A cancellation day from before the period to after it. */
const withCancellation = invoice.chain((inv) => fc.tuple(fc.constant(inv), fc.integer({ min: -20, max: 420 }).map((d) => addDays(inv.period.from, d))));
const rule: fc.Arbitrary<RefundRule> = fc.oneof(
  fc.constant<RefundRule>({ method: 'full', penaltyBasisPoints: 0 }),
  fc.constant<RefundRule>({ method: 'pro-rata', penaltyBasisPoints: 0 }),
  fc.integer({ min: 0, max: 10_000 }).map<RefundRule>((bp) => ({ method: 'short-rate', penaltyBasisPoints: bp })),
);

describe('cancellation refunds', () => {
  it('agree with the day-by-day reference on every cent', () => {
    fc.assert(fc.property(withCancellation, rule, ([inv, day], r) => {
      const got = invoiceRefund(inv, day, r);
      const want = referenceRefund(inv, day, r);
      expect(got === null ? null : { usedCents: got.usedCents, unusedCents: got.unusedCents, penaltyCents: got.penaltyCents, creditCents: got.creditCents, creditOpenCents: got.creditOpenCents, refundCents: got.refundCents, unusedDays: got.unusedDays }).toEqual(want);
    }), { numRuns: 300 });
  });

  it('a later cancellation never gives back more, and a day before the period gives back all of it', () => {
    fc.assert(fc.property(withCancellation, fc.integer({ min: 1, max: 60 }), ([inv, day], later) => {
      const proRata = { method: 'pro-rata', penaltyBasisPoints: 0 } as const;
      const early = invoiceRefund(inv, day, proRata);
      const late = invoiceRefund(inv, addDays(day, later), proRata);
      if (early === null) return expect(late).toBeNull();
      // Each line only loses unused days as the day moves on, so the exact unused share cannot grow (only rounding of a negative line could, by a cent).
      if (inv.premiumLines!.every((line) => line.cents >= 0)) expect(late?.unusedCents ?? 0).toBeLessThanOrEqual(early.unusedCents);
      expect(invoiceRefund(inv, addDays(inv.period.from, -1), proRata)!.unusedCents).toBe(inv.premiumCents);
    }));
  });

  it('never refunds more than was paid, nor more than the premium of the unused days (except in cooling-off)', () => {
    fc.assert(fc.property(withCancellation, rule, ([inv, day], r) => {
      const got = invoiceRefund(inv, day, r);
      if (got === null) return;
      expect(got.refundCents).toBeGreaterThanOrEqual(0);
      expect(got.refundCents).toBeLessThanOrEqual(inv.paidCents);
      expect(got.creditOpenCents).toBeLessThanOrEqual(inv.totalCents - inv.paidCents - (inv.creditedCents ?? 0));
      if (r.method !== 'full') expect(got.creditCents).toBeLessThanOrEqual(got.unusedCents);
      expect(got.creditCents).toBeLessThanOrEqual(inv.totalCents - (inv.creditedCents ?? 0));
    }));
  });

  it('short-rate never gives back more than pro rata, and more penalty never gives back more', () => {
    fc.assert(fc.property(withCancellation, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), ([inv, day], a, b) => {
      const proRata = invoiceRefund(inv, day, { method: 'pro-rata', penaltyBasisPoints: 0 });
      const [low, high] = a <= b ? [a, b] : [b, a];
      const lighter = invoiceRefund(inv, day, { method: 'short-rate', penaltyBasisPoints: low });
      const heavier = invoiceRefund(inv, day, { method: 'short-rate', penaltyBasisPoints: high });
      if (proRata === null) return expect([lighter, heavier]).toEqual([null, null]);
      expect(lighter!.creditCents).toBeLessThanOrEqual(proRata.creditCents);
      expect(heavier!.creditCents).toBeLessThanOrEqual(lighter!.creditCents);
      expect(heavier!.refundCents).toBeLessThanOrEqual(lighter!.refundCents);
    }));
  });

  it('over a policy, totals are the sums of the invoices that give something back', () => {
    fc.assert(fc.property(fc.array(withCancellation, { minLength: 1, maxLength: 5 }), rule, (pairs, r) => {
      const day = pairs[0]![1];
      const invoices = pairs.map(([inv], index) => ({ ...inv, invoiceId: `inv-${index}` }));
      const got = cancellationRefund(invoices, day, r);
      const each = invoices.map((inv) => referenceRefund(inv, day, r)).filter((x) => x !== null && x.creditCents > 0);
      expect(got.invoices).toHaveLength(each.length);
      expect(got.creditCents).toBe(each.reduce((sum, x) => sum + x!.creditCents, 0));
      expect(got.refundCents).toBe(each.reduce((sum, x) => sum + x!.refundCents, 0));
      expect(got.creditOpenCents).toBe(each.reduce((sum, x) => sum + x!.creditOpenCents, 0));
    }));
  });

  it('a worked example: a paid quarter of €300.00 cancelled with 30 of 92 days left', () => {
    const quarter: InvoicedPeriod = { invoiceId: 'inv-q4', period: { from: '2026-10-01', to: '2026-12-31' }, premiumCents: 30_000, totalCents: 30_000, paidCents: 30_000 };
    // 30 000 × 30 / 92 = 9 782.6…: the unused share rounds to 9 783, the used 20 217.
    expect(invoiceRefund(quarter, '2026-12-02', { method: 'pro-rata', penaltyBasisPoints: 0 })).toMatchObject({ unusedDays: 30, periodDays: 92, usedCents: 20_217, unusedCents: 9_783, creditCents: 9_783, refundCents: 9_783, creditOpenCents: 0 });
    // 10 % of 9 783 is 978.3: 978 kept.
    expect(invoiceRefund(quarter, '2026-12-02', { method: 'short-rate', penaltyBasisPoints: 1_000 })).toMatchObject({ penaltyCents: 978, creditCents: 8_805, refundCents: 8_805 });
    // Unpaid: the same credit lowers what is open, nothing goes back.
    expect(invoiceRefund({ ...quarter, paidCents: 0 }, '2026-12-02', { method: 'pro-rata', penaltyBasisPoints: 0 })).toMatchObject({ creditOpenCents: 9_783, refundCents: 0 });
    // The next quarter, paid in advance, never in force: given back whole, no penalty kept.
    const next: InvoicedPeriod = { invoiceId: 'inv-q1', period: { from: '2027-01-01', to: '2027-03-31' }, premiumCents: 30_000, totalCents: 30_000, paidCents: 30_000 };
    expect(invoiceRefund(next, '2026-12-02', { method: 'short-rate', penaltyBasisPoints: 1_000 })).toMatchObject({ usedCents: 0, unusedCents: 30_000, penaltyCents: 0, creditCents: 30_000, refundCents: 30_000 });
    expect(invoiceRefund(next, '2027-01-01', { method: 'short-rate', penaltyBasisPoints: 1_000 })).toMatchObject({ penaltyCents: 0, creditCents: 30_000 });
    // Half paid (€150.00 open): the credit takes the open part first.
    expect(invoiceRefund({ ...quarter, paidCents: 25_000 }, '2026-12-02', { method: 'pro-rata', penaltyBasisPoints: 0 })).toMatchObject({ creditOpenCents: 5_000, refundCents: 4_783 });
  });

  it('gives back each price for its own days when the price changed inside the period', () => {
    // January at €310.00, raised to €620.00 a month from the 17th: the credit of the old price and the charge of the new one for 17–31.
    const january: InvoicedPeriod = {
      invoiceId: 'inv-jan',
      period: { from: '2026-01-01', to: '2026-01-31' },
      premiumCents: 46_000,
      totalCents: 46_000,
      paidCents: 46_000,
      premiumLines: [
        { period: { from: '2026-01-01', to: '2026-01-31' }, cents: 31_000 },
        { period: { from: '2026-01-17', to: '2026-01-31' }, cents: -15_000 },
        { period: { from: '2026-01-17', to: '2026-01-31' }, cents: 30_000 },
      ],
    };
    // Cancelled from the 17th: the 15 days left were priced at €620.00 a month, €300.00 — not 15/31 of €460.00 (€222.58).
    expect(invoiceRefund(january, '2026-01-17', { method: 'pro-rata', penaltyBasisPoints: 0 })).toMatchObject({ usedCents: 16_000, unusedCents: 30_000, refundCents: 30_000 });
    // Cancelled from the 10th: 7 days at the old price (7 000) and the 15 at the new one (30 000).
    expect(invoiceRefund(january, '2026-01-10', { method: 'pro-rata', penaltyBasisPoints: 0 })).toMatchObject({ usedCents: 9_000, unusedCents: 37_000 });
  });

  it('counts days and whole months in force', () => {
    expect(daysInForce('2026-01-01', '2026-01-01')).toBe(0);
    expect(daysInForce('2026-01-01', '2026-01-15')).toBe(14);
    expect(monthsInForce('2026-01-31', '2026-02-28')).toBe(0);
    expect(monthsInForce('2026-01-15', '2026-07-15')).toBe(6);
    expect(monthsInForce('2026-01-15', '2026-07-14')).toBe(5);
    expect(monthsInForce('2025-11-01', '2026-02-01')).toBe(3);
  });

  it('refuses what the table must not answer and invoices that cannot be', () => {
    expect(() => refundRuleOf({ method: 'half', penaltyBasisPoints: 0 })).toThrow(/refund method/);
    expect(() => refundRuleOf({ method: 'short-rate', penaltyBasisPoints: 10_001 })).toThrow(/penalty/);
    expect(() => refundRuleOf({ method: 'pro-rata', penaltyBasisPoints: 100 })).toThrow(/no penalty/);
    expect(() => refundRuleOf(null)).toThrow(RangeError);
    expect(refundRuleOf({ method: 'short-rate', penaltyBasisPoints: 500 })).toEqual({ method: 'short-rate', penaltyBasisPoints: 500 });
    const inv: InvoicedPeriod = { invoiceId: 'x', period: { from: '2026-01-01', to: '2026-01-31' }, premiumCents: 100, totalCents: 100, paidCents: 101 };
    expect(() => invoiceRefund(inv, '2026-01-10', { method: 'pro-rata', penaltyBasisPoints: 0 })).toThrow(/at most its total/);
    expect(() => invoiceRefund({ ...inv, paidCents: 0 }, '2026-02-30', { method: 'pro-rata', penaltyBasisPoints: 0 })).toThrow(/YYYY-MM-DD/);
  });
});
