import fc from 'fast-check';
import { type YearUsed, policyYearOf } from '../customers/coverage';
import { AssessmentMismatch, calculateBenefit, type BenefitTerms, type ItemAssessment, type ItemToCalculate } from './benefit-calculation';
import { shareOf, toCents, toPermille } from './cents';

/**
 * The calculation against a reference written plainly here: BigInt cents, one
 * ledger per policy year kept across every claim of the policy (where the
 * implementation is given each claim's predecessors summed from their
 * breakdowns, as the portal reads them), its own policy-year arithmetic on
 * the date strings, and rounding half up as floor((2·x·p + 1000) / 2000).
 */

interface RefPolicy {
  readonly start: string;
  readonly deductible: bigint;
  readonly permille: bigint;
  readonly annualLimit: bigint;
  readonly care: ReadonlyMap<string, { perItem: bigint; yearly: bigint }>;
}

interface RefItem {
  readonly id: string;
  readonly line: number;
  readonly care: string;
  readonly date: string;
  readonly claimed: bigint;
  readonly decision: 'accept' | 'adjust' | 'decline';
  readonly approved: bigint | null;
}

interface RefLine {
  readonly eligible: bigint;
  readonly deductible: bigint;
  readonly coinsurance: bigint;
  readonly paid: bigint;
}

/** Which policy year (0, 1, …) a date falls in: whole years since the start, counting the anniversary day. */
function refYear(start: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(start.slice(0, 4));
  return date.slice(5) < start.slice(5) ? years - 1 : years;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const atLeastZero = (a: bigint) => (a < 0n ? 0n : a);

function reference(policy: RefPolicy, claims: readonly (readonly RefItem[])[]): RefLine[][] {
  const ledgers = new Map<number, { care: Map<string, bigint>; deductible: bigint; paid: bigint }>();
  return claims.map((items) =>
    [...items]
      .sort((a, b) => a.line - b.line)
      .map((item) => {
        const terms = policy.care.get(item.care);
        if (item.decision === 'decline' || !terms) return { eligible: 0n, deductible: 0n, coinsurance: 0n, paid: 0n };
        const year = refYear(policy.start, item.date);
        if (!ledgers.has(year)) ledgers.set(year, { care: new Map(), deductible: 0n, paid: 0n });
        const ledger = ledgers.get(year)!;
        let eligible = item.claimed;
        if (item.decision === 'adjust' && item.approved !== null) eligible = min(eligible, item.approved);
        eligible = min(eligible, terms.perItem);
        eligible = min(eligible, atLeastZero(terms.yearly - (ledger.care.get(item.care) ?? 0n)));
        ledger.care.set(item.care, (ledger.care.get(item.care) ?? 0n) + eligible);
        const deductible = min(eligible, atLeastZero(policy.deductible - ledger.deductible));
        ledger.deductible += deductible;
        const rest = eligible - deductible;
        const share = (2n * rest * policy.permille + 1000n) / 2000n;
        const paid = min(share, atLeastZero(policy.annualLimit - ledger.paid));
        ledger.paid += paid;
        return { eligible, deductible, coinsurance: rest - share, paid };
      }),
  );
}

// --- generators -------------------------------------------------------------

const CARE = ['GP_VISIT', 'DENTAL', 'PHYSIO'];
const cents = (max: number) => fc.integer({ min: 0, max });
const units = (c: number | bigint) => Number(c) / 100;

const policyArb = fc.record({
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  deductible: cents(50_000),
  permille: fc.integer({ min: 0, max: 1000 }),
  annualLimit: cents(400_000),
  care: fc.tuple(cents(60_000), cents(150_000), cents(60_000), cents(150_000), cents(60_000), cents(150_000)),
});

const itemArb = fc.record({
  care: fc.constantFrom(...CARE, 'OPTICAL'), // OPTICAL is not in the schedule
  dayOffset: fc.integer({ min: 0, max: 729 }), // two policy years from the start
  claimed: fc.integer({ min: 1, max: 120_000 }),
  decision: fc.constantFrom('accept', 'accept', 'adjust', 'decline'),
  approved: fc.option(cents(120_000), { nil: null }),
});

const claimsArb = fc.array(fc.array(itemArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 });

type PolicyGen = typeof policyArb extends fc.Arbitrary<infer T> ? T : never;
type ItemGen = typeof itemArb extends fc.Arbitrary<infer T> ? T : never;

function setUp(p: PolicyGen, claimsGen: readonly (readonly ItemGen[])[]) {
  const start = `2024-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const [gpItem, gpYear, dentalItem, dentalYear, physioItem, physioYear] = p.care;
  const limits = [
    [gpItem, gpYear],
    [dentalItem, dentalYear],
    [physioItem, physioYear],
  ] as const;
  const terms: BenefitTerms = {
    startsOn: start,
    annualDeductible: units(p.deductible),
    coinsuranceRate: p.permille / 1000,
    annualLimit: units(p.annualLimit),
    benefits: CARE.map((careCode, i) => ({ careCode, label: careCode, perItemLimit: units(limits[i]![0]), annualLimit: units(limits[i]![1]) })),
  };
  const refPolicy: RefPolicy = {
    start,
    deductible: BigInt(p.deductible),
    permille: BigInt(p.permille),
    annualLimit: BigInt(p.annualLimit),
    care: new Map(CARE.map((code, i) => [code, { perItem: BigInt(limits[i]![0]), yearly: BigInt(limits[i]![1]) }])),
  };
  const claims = claimsGen.map((items, c) =>
    items.map((g, line): RefItem & { item: ItemToCalculate; assessment: ItemAssessment } => {
      const id = `00000000-0000-4000-8000-${String(c * 100 + line).padStart(12, '0')}`;
      const date = new Date(startMs + g.dayOffset * 86_400_000).toISOString().slice(0, 10);
      return {
        id,
        line: line + 1,
        care: g.care,
        date,
        claimed: BigInt(g.claimed),
        decision: g.decision,
        approved: g.approved === null ? null : BigInt(g.approved),
        item: { id, lineNumber: line + 1, careCode: g.care, serviceDate: date, amount: units(g.claimed) },
        assessment: { itemId: id, decision: g.decision, approvedAmount: g.approved === null ? null : units(g.approved), reasonCode: null },
      };
    }),
  );
  return { terms, refPolicy, claims };
}

/** The claims one after the other, each given what the earlier ones' breakdowns used, as the portal reads them. */
function runImplementation(terms: BenefitTerms, claims: ReturnType<typeof setUp>['claims']) {
  const recorded: { careCode: string; serviceDate: string; eligible: number; deductible: number; paid: number }[] = [];
  return claims.map((claim) => {
    const usedBefore = (from: string): YearUsed => {
      const lines = recorded.filter((r) => policyYearOf(terms, r.serviceDate).from === from);
      const eligibleByCare = new Map<string, number>();
      for (const r of lines) eligibleByCare.set(r.careCode, (eligibleByCare.get(r.careCode) ?? 0) + toCents(r.eligible));
      return { eligibleByCare, deductible: lines.reduce((s, r) => s + toCents(r.deductible), 0), paid: lines.reduce((s, r) => s + toCents(r.paid), 0) };
    };
    const result = calculateBenefit(
      terms,
      claim.map((c) => c.item),
      claim.map((c) => c.assessment),
      usedBefore,
    );
    result.breakdown.forEach((line, i) => recorded.push({ careCode: claim[i]!.care, serviceDate: claim[i]!.date, eligible: line.eligible, deductible: line.deductible, paid: line.paid }));
    return result;
  });
}

describe('benefit calculation (property-based, against a BigInt reference)', () => {
  test('every line of every claim equals the reference, across claims and policy years', () => {
    fc.assert(
      fc.property(policyArb, claimsArb, (p, claimsGen) => {
        const { terms, refPolicy, claims } = setUp(p, claimsGen);
        const expected = reference(refPolicy, claims);
        const actual = runImplementation(terms, claims);
        actual.forEach((result, c) => {
          const want = expected[c]!;
          expect(result.breakdown.map((l) => [toCents(l.eligible), toCents(l.deductible), toCents(l.coinsurance), toCents(l.paid)])).toEqual(want.map((l) => [Number(l.eligible), Number(l.deductible), Number(l.coinsurance), Number(l.paid)]));
          const total = want.reduce((s, l) => s + l.paid, 0n);
          expect(result.totalPayableCents).toBe(Number(total));
          expect(toCents(result.totalPayable)).toBe(Number(total));
        });
      }),
      { numRuns: 400 },
    );
  });

  test('per policy year: the deductible is borne at most once, limits are never exceeded, amounts are whole cents', () => {
    fc.assert(
      fc.property(policyArb, claimsArb, (p, claimsGen) => {
        const { terms, refPolicy, claims } = setUp(p, claimsGen);
        const actual = runImplementation(terms, claims);
        const perYear = new Map<number, { deductible: number; paid: number; eligible: number; care: Map<string, number> }>();
        actual.forEach((result, c) =>
          result.breakdown.forEach((line, i) => {
            const item = claims[c]![i]!;
            const year = refYear(refPolicy.start, item.date);
            const totals = perYear.get(year) ?? { deductible: 0, paid: 0, eligible: 0, care: new Map<string, number>() };
            perYear.set(year, totals);
            for (const value of [line.eligible, line.deductible, line.coinsurance, line.paid]) expect(toCents(value) / 100).toBe(value); // exactly a whole number of cents
            totals.deductible += toCents(line.deductible);
            totals.paid += toCents(line.paid);
            totals.eligible += toCents(line.eligible);
            totals.care.set(item.care, (totals.care.get(item.care) ?? 0) + toCents(line.eligible));
            const care = refPolicy.care.get(item.care);
            if (care) expect(BigInt(toCents(line.eligible)) <= min(item.claimed, care.perItem)).toBe(true);
            expect(toCents(line.paid)).toBeLessThanOrEqual(toCents(line.eligible) - toCents(line.deductible));
          }),
        );
        for (const totals of perYear.values()) {
          expect(totals.paid).toBeLessThanOrEqual(p.annualLimit);
          // Borne once: never more than the deductible, and all of it once the eligible amounts reach it.
          expect(totals.deductible).toBe(Math.min(p.deductible, totals.eligible));
          for (const [code, used] of totals.care) expect(BigInt(used) <= (refPolicy.care.get(code)?.yearly ?? 0n)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('decisions are matched by item id, whatever their order; by position only when no id is carried', () => {
    fc.assert(
      fc.property(policyArb, fc.array(itemArb, { minLength: 1, maxLength: 6 }), fc.integer(), (p, items, seed) => {
        const { terms, claims } = setUp(p, [items]);
        const claim = claims[0]!;
        const inOrder = calculateBenefit(terms, claim.map((c) => c.item), claim.map((c) => c.assessment));
        const shuffled = [...claim].sort((a, b) => ((a.line * 7919 + seed) % 13) - ((b.line * 7919 + seed) % 13));
        expect(calculateBenefit(terms, claim.map((c) => c.item), shuffled.map((c) => c.assessment))).toEqual(inOrder);
        expect(calculateBenefit(terms, claim.map((c) => c.item), claim.map((c) => ({ ...c.assessment, itemId: undefined })))).toEqual(inOrder);
      }),
    );
  });

  test('decisions that do not fit the items are refused, naming the part at fault', () => {
    const { terms, claims } = setUp({ month: 1, day: 1, deductible: 0, permille: 800, annualLimit: 100_000, care: [10_000, 50_000, 10_000, 50_000, 10_000, 50_000] }, [[{ care: 'GP_VISIT', dayOffset: 10, claimed: 5000, decision: 'accept', approved: null }, { care: 'GP_VISIT', dayOffset: 11, claimed: 5000, decision: 'accept', approved: null }]]);
    const items = claims[0]!.map((c) => c.item);
    const assessments = claims[0]!.map((c) => c.assessment);
    const refusal = (a: ItemAssessment[]) => {
      try {
        calculateBenefit(terms, items, a);
      } catch (error) {
        return error instanceof AssessmentMismatch ? error.field : error;
      }
      return 'accepted';
    };
    expect(refusal([assessments[0]!])).toBe('items');
    expect(refusal([assessments[0]!, { ...assessments[1]!, itemId: '00000000-0000-4000-8000-999999999999' }])).toBe('items[1].itemId');
    expect(refusal([assessments[0]!, assessments[0]!])).toBe('items[1].itemId');
    expect(refusal([{ ...assessments[0]!, itemId: undefined }])).toBe('items');
  });

  test('a worked example: two claims, the deductible once, the annual limit on what is paid', () => {
    const terms: BenefitTerms = { startsOn: '2025-06-01', annualDeductible: 100, coinsuranceRate: 0.8, annualLimit: 150, benefits: [{ careCode: 'GP_VISIT', label: 'GP visit', perItemLimit: 100, annualLimit: 1000 }] };
    const item = (id: string, amount: number, serviceDate = '2026-01-10'): ItemToCalculate => ({ id, lineNumber: 1, careCode: 'GP_VISIT', serviceDate, amount });
    const first = calculateBenefit(terms, [item('a', 120)], [{ itemId: 'a', decision: 'accept' }]);
    expect(first.breakdown[0]).toMatchObject({ eligible: 100, deductible: 100, coinsurance: 0, paid: 0, note: 'ITEM_LIMIT' });
    const used: YearUsed = { eligibleByCare: new Map([['GP_VISIT', 10000]]), deductible: 10000, paid: 0 };
    const second = calculateBenefit(terms, [item('b', 80.01)], [{ itemId: 'b', decision: 'accept' }], () => used);
    // 80 % of 80.01 is 64.008: 64.01 rounded half up per item; no deductible left.
    expect(second.breakdown[0]).toMatchObject({ eligible: 80.01, deductible: 0, coinsurance: 16, paid: 64.01 });
    const capped = calculateBenefit(terms, [item('c', 100)], [{ itemId: 'c', decision: 'accept' }], () => ({ ...used, paid: 12000 }));
    expect(capped.breakdown[0]).toMatchObject({ eligible: 100, paid: 30, note: 'POLICY_LIMIT' });
    // Care in the next policy year bears that year's deductible.
    const nextYear = calculateBenefit(terms, [item('d', 100, '2026-06-01')], [{ itemId: 'd', decision: 'accept' }], (from) => (from === '2025-06-01' ? used : { eligibleByCare: new Map(), deductible: 0, paid: 0 }));
    expect(nextYear.breakdown[0]).toMatchObject({ deductible: 100, paid: 0 });
  });
});

describe('cents', () => {
  test('amounts, rates and shares in integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 1000 }), (c, p) => {
        expect(toCents(c / 100)).toBe(c);
        expect(toPermille(p / 1000)).toBe(p);
        expect(BigInt(shareOf(c, p))).toBe((2n * BigInt(c) * BigInt(p) + 1000n) / 2000n);
      }),
    );
  });
});
