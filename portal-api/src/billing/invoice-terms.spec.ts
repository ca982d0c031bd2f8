import fc from 'fast-check';
import { addDays } from '../products/quote-dates';
import { invoiceLines } from './invoice-lines';
import { invoiceTerms, type PolicyBillingFacts } from './invoice-terms';
import { referenceSplit } from './testing/largest-remainder-reference';

const period = { from: '2026-03-01', to: '2026-03-31' };
const base: PolicyBillingFacts = { policyId: 'p', currency: 'EUR', holderId: 'holder', cover: { from: '2026-01-01', to: '2026-12-31' }, issuedPeriodPremiumCents: 10_001, versions: [], dependants: [] };

describe('invoice terms from a policy\'s records', () => {
  test('a quiet period bills the premium shared equally, the cents left over going to the policyholder first, then the dependants in order', () => {
    const terms = invoiceTerms({ ...base, dependants: [{ id: 'kid-b', effectiveFrom: '2026-01-01', effectiveTo: null }, { id: 'kid-a', effectiveFrom: '2026-01-01', effectiveTo: null }] }, period);
    expect(terms.members).toEqual([{ insuredPersonId: 'holder', periodPremiumCents: 3_334 }, { insuredPersonId: 'kid-a', periodPremiumCents: 3_334 }, { insuredPersonId: 'kid-b', periodPremiumCents: 3_333 }]);
    expect(terms.changes).toEqual([]);
    expect(invoiceLines(terms).premiumCents).toBe(10_001);
  });

  test('cover starting or ending inside the period is people joining from 0 and leaving to 0', () => {
    const starts = invoiceTerms({ ...base, cover: { from: '2026-03-11', to: '2027-03-10' } }, period);
    expect(starts.members).toEqual([]);
    expect(starts.changes).toEqual([{ insuredPersonId: 'holder', effectiveFrom: '2026-03-11', newPeriodPremiumCents: 10_001 }]);
    const ends = invoiceTerms({ ...base, cover: { from: '2026-01-01', to: '2026-03-20' } }, period);
    expect(ends.changes).toEqual([{ insuredPersonId: 'holder', effectiveFrom: '2026-03-21', newPeriodPremiumCents: 0 }]);
    // 11 of 31 days from 10,001: the later piece of the largest-remainder split by days.
    expect(invoiceLines(ends).premiumCents).toBe(10_001 - referenceSplit(10_001, [20, 11])[1]!);
  });

  test('for any records, each person\'s price on each day of the period is their equal share of that day\'s premium', () => {
    const facts = fc.record({
      premium: fc.integer({ min: 0, max: 500_000 }),
      versions: fc.uniqueArray(fc.record({ at: fc.integer({ min: -40, max: 40 }), premium: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: null }) }), { selector: (v) => v.at, maxLength: 3 }),
      dependants: fc.array(fc.record({ from: fc.integer({ min: -40, max: 40 }), length: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }) }), { maxLength: 4 }),
      coverFrom: fc.integer({ min: -40, max: 35 }),
      coverLength: fc.integer({ min: 0, max: 120 }),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const cuts = [...f.versions].sort((a, b) => a.at - b.at);
        const versions = cuts.map((v, i) => ({ effectiveFrom: addDays(period.from, v.at), effectiveTo: cuts[i + 1] ? addDays(period.from, cuts[i + 1]!.at - 1) : null, periodPremiumCents: v.premium }));
        const dependants = f.dependants.map((d, i) => ({ id: `kid-${i}`, effectiveFrom: addDays(period.from, d.from), effectiveTo: d.length === null ? null : addDays(period.from, d.from + d.length) }));
        const cover = { from: addDays(period.from, f.coverFrom), to: addDays(period.from, f.coverFrom + f.coverLength) };
        const terms = invoiceTerms({ ...base, issuedPeriodPremiumCents: f.premium, versions, dependants, cover }, period);
        // Replay the members and changes day by day, and compare with the shares worked out from scratch for that day.
        const price = new Map(terms.members.map((m) => [m.insuredPersonId, m.periodPremiumCents]));
        for (let day = period.from; day <= period.to; day = addDays(day, 1)) {
          for (const change of terms.changes ?? []) if (change.effectiveFrom === day) price.set(change.insuredPersonId, change.newPeriodPremiumCents);
          const inCover = day >= cover.from && day <= cover.to;
          const insured = inCover ? ['holder', ...dependants.filter((d) => d.effectiveFrom <= day && (d.effectiveTo === null || day <= d.effectiveTo)).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : a.id < b.id ? -1 : 1)).map((d) => d.id)] : [];
          const version = versions.find((v) => v.effectiveFrom <= day && (v.effectiveTo === null || day <= v.effectiveTo));
          const shares = insured.length ? referenceSplit(version?.periodPremiumCents ?? f.premium, insured.map(() => 1)) : [];
          const expected = new Map(insured.map((id, i) => [id, shares[i]!]));
          for (const id of new Set([...price.keys(), ...expected.keys()])) expect({ day, id, cents: price.get(id) ?? 0 }).toEqual({ day, id, cents: expected.get(id) ?? 0 });
        }
        // And the lines those terms give are valid lines (no change twice on a day, whole cents).
        expect(() => invoiceLines(terms)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
