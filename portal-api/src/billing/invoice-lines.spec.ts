import fc from 'fast-check';
import { type InvoiceTerms, invoiceLines } from './invoice-lines';
import { addDays } from '../products/quote-dates';
import { periodLength } from './proration';
import { referenceSplit } from './testing/largest-remainder-reference';

const people = ['p-anna', 'p-ben', 'p-cleo', 'p-dan'];

/** Terms for a period of 28–92 days with members, changes inside it, discounts, fees and adjustments. */
const terms: fc.Arbitrary<InvoiceTerms> = fc
  .tuple(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 28, max: 92 }))
  .chain(([offset, length]) => {
    const from = addDays('2025-01-01', offset);
    const period = { from, to: addDays(from, length - 1) };
    const price = fc.integer({ min: 0, max: 2_000_000 });
    return fc.record({
      policyId: fc.constant('policy-1'),
      currency: fc.constant('EUR'),
      period: fc.constant(period),
      members: fc.uniqueArray(fc.record({ insuredPersonId: fc.constantFrom(...people), periodPremiumCents: price }), { selector: (m) => m.insuredPersonId, maxLength: 4 }),
      changes: fc.uniqueArray(
        fc.record({ insuredPersonId: fc.constantFrom(...people), effectiveFrom: fc.integer({ min: 0, max: length - 1 }).map((d) => addDays(from, d)), newPeriodPremiumCents: price }),
        { selector: (c) => `${c.insuredPersonId} ${c.effectiveFrom}`, maxLength: 6 },
      ),
      discounts: fc.uniqueArray(fc.record({ code: fc.constantFrom('family', 'loyalty', 'staff'), basisPoints: fc.integer({ min: 0, max: 3_333 }) }), { selector: (d) => d.code, maxLength: 3 }),
      fees: fc.array(fc.record({ code: fc.constantFrom('reminder', 'paper-invoice'), cents: fc.integer({ min: 1, max: 2_000 }) }), { maxLength: 2 }),
      adjustments: fc.array(fc.record({ code: fc.constantFrom('goodwill', 'correction'), cents: fc.integer({ min: -50_000, max: 50_000 }) }), { maxLength: 2 }),
    });
  });

/**
 * What a person's cover of the period costs, computed apart from the line
 * builder: the price at the start, and for each change (in date order) the
 * new price's share from that day less the old price's share from that day,
 * each share taken from the reference split of the period at that day.
 */
function referencePersonCents(t: InvoiceTerms, person: string): number {
  const days = periodLength(t.period);
  let price = t.members.find((m) => m.insuredPersonId === person)?.periodPremiumCents ?? 0;
  let total = price;
  const changes = (t.changes ?? []).filter((c) => c.insuredPersonId === person).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  for (const change of changes) {
    const after = periodLength({ from: change.effectiveFrom, to: t.period.to });
    const share = (cents: number) => referenceSplit(cents, [days - after, after])[1]!;
    total += share(change.newPeriodPremiumCents) - share(price);
    price = change.newPeriodPremiumCents;
  }
  return total;
}

function shuffled<T>(items: readonly T[] | undefined, seed: number): T[] {
  const copy = [...(items ?? [])];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = (seed * (i + 7)) % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('the lines of one invoice', () => {
  it('are the same for the same terms in any order (the preview is the invoice the run issues)', () => {
    fc.assert(fc.property(terms, fc.nat(), (t, seed) => {
      const reordered: InvoiceTerms = {
        ...t,
        members: shuffled(t.members, seed),
        changes: shuffled(t.changes, seed + 1),
        discounts: shuffled(t.discounts, seed + 2),
        fees: shuffled(t.fees, seed + 3),
        adjustments: shuffled(t.adjustments, seed + 4),
      };
      expect(invoiceLines(reordered)).toEqual(invoiceLines(structuredClone(t)));
    }), { numRuns: 500 });
  });

  it('add up: the total is the sum of the lines, and each part the sum of its kind', () => {
    fc.assert(fc.property(terms, (t) => {
      const invoice = invoiceLines(t);
      const of = (...kinds: string[]) => invoice.lines.filter((l) => kinds.includes(l.kind)).reduce((a, l) => a + l.cents, 0);
      expect(invoice.totalCents).toBe(invoice.lines.reduce((a, l) => a + l.cents, 0));
      expect(invoice.premiumCents).toBe(of('premium', 'proration'));
      expect(invoice.discountCents).toBe(of('discount'));
      expect(invoice.feeCents).toBe(of('fee'));
      expect(invoice.adjustmentCents).toBe(of('adjustment'));
      expect(invoice.lines.map((l) => l.position)).toEqual(invoice.lines.map((_, i) => i + 1));
      for (const line of invoice.lines) {
        expect(Number.isSafeInteger(line.cents) && line.cents !== 0).toBe(true);
        expect(line.periodFrom >= t.period.from && line.periodTo === t.period.to && line.periodFrom <= line.periodTo).toBe(true);
      }
    }), { numRuns: 500 });
  });

  it('charge each person exactly what the reference says their cover of the period costs', () => {
    fc.assert(fc.property(terms, (t) => {
      const invoice = invoiceLines(t);
      for (const person of people) {
        const billed = invoice.lines.filter((l) => l.insuredPersonId === person).reduce((a, l) => a + l.cents, 0);
        expect(billed).toBe(referencePersonCents(t, person));
      }
    }), { numRuns: 500 });
  });

  it('take off the discounts rounded half up as a whole, never more than the premium', () => {
    fc.assert(fc.property(terms, (t) => {
      const invoice = invoiceLines(t);
      const basisPoints = BigInt((t.discounts ?? []).reduce((a, d) => a + d.basisPoints, 0));
      const premium = BigInt(invoice.premiumCents);
      const expected = premium <= 0n ? 0n : (premium * basisPoints * 2n + 10_000n) / 20_000n;
      expect(0 - invoice.discountCents).toBe(Number(expected));
      expect(0 - invoice.discountCents).toBeLessThanOrEqual(Math.max(0, invoice.premiumCents));
    }), { numRuns: 500 });
  });

  it('on a known case: two people, one leaving mid-quarter, 10% family discount and a reminder fee', () => {
    const invoice = invoiceLines({
      policyId: 'policy-1', currency: 'EUR', period: { from: '2026-01-01', to: '2026-03-31' },
      members: [{ insuredPersonId: 'p-ben', periodPremiumCents: 30_000 }, { insuredPersonId: 'p-anna', periodPremiumCents: 45_000 }],
      changes: [{ insuredPersonId: 'p-ben', effectiveFrom: '2026-03-01', newPeriodPremiumCents: 0 }],
      discounts: [{ code: 'family', basisPoints: 1_000 }],
      fees: [{ code: 'reminder', cents: 500 }],
    });
    // Ben leaves for March: 31 of 90 days of €300.00 is €103.33 back.
    expect(invoice.lines.map((l) => [l.kind, l.code, l.insuredPersonId, l.periodFrom, l.cents])).toEqual([
      ['premium', 'premium', 'p-anna', '2026-01-01', 45_000],
      ['premium', 'premium', 'p-ben', '2026-01-01', 30_000],
      ['proration', 'credit-old-premium', 'p-ben', '2026-03-01', -10_333],
      ['discount', 'family', null, '2026-01-01', -6_467],
      ['fee', 'reminder', null, '2026-01-01', 500],
    ]);
    expect(invoice.totalCents).toBe(45_000 + 30_000 - 10_333 - 6_467 + 500);
  });

  it('refuses terms it cannot bill, naming what is wrong', () => {
    const base: InvoiceTerms = { policyId: 'p', currency: 'EUR', period: { from: '2026-01-01', to: '2026-01-31' }, members: [{ insuredPersonId: 'a', periodPremiumCents: 100 }] };
    expect(() => invoiceLines({ ...base, currency: 'eur' })).toThrow(/currency/);
    expect(() => invoiceLines({ ...base, members: [...base.members, ...base.members] })).toThrow(/twice/);
    expect(() => invoiceLines({ ...base, members: [{ insuredPersonId: 'a', periodPremiumCents: 1.5 }] })).toThrow(/period premium/);
    expect(() => invoiceLines({ ...base, changes: [{ insuredPersonId: 'a', effectiveFrom: '2026-02-01', newPeriodPremiumCents: 1 }] })).toThrow(RangeError);
    expect(() => invoiceLines({ ...base, changes: [1, 2].map((n) => ({ insuredPersonId: 'a', effectiveFrom: '2026-01-05', newPeriodPremiumCents: n })) })).toThrow(/two on 2026-01-05/);
    expect(() => invoiceLines({ ...base, discounts: [{ code: 'x', basisPoints: 6_000 }, { code: 'y', basisPoints: 5_000 }] })).toThrow(/100%/);
    expect(() => invoiceLines({ ...base, fees: [{ code: 'reminder', cents: 0 }] })).toThrow(/fee reminder/);
  });
});
