import { addDays } from '../products/quote-dates';
import { type BilledMember, type InvoiceAdjustment, type InvoiceDiscount, type InvoiceFee, type InvoiceTerms, type PremiumChange } from './invoice-lines';
import { type DayRange, splitCents } from './proration';

/**
 * What a policy's invoice for one period is computed from, as the policy's
 * records say it: the one terms builder the billing run and the preview both
 * call (through `billing-terms-loader.ts`), so that a preview is the invoice.
 *
 * The policy's period premium (of the version in force on a day, or as issued
 * where no version covers it) is shared equally between the people insured
 * that day, the policyholder first, by largest remainder: the records keep the
 * premium per policy, not per person. A day on which anything changes (a
 * version starts, a dependant joins or leaves, cover starts or ends) becomes a
 * change for each person whose share moves; a policy that starts or ends
 * inside the period is people joining from 0 or leaving to 0.
 */
export interface PolicyBillingFacts {
  policyId: string;
  currency: string;
  /** The policyholder's insured-person id (their customer id). */
  holderId: string;
  /** The first and last day of cover (the end: the policy's end, or the day before it was cancelled). */
  cover: DayRange;
  issuedPeriodPremiumCents: number;
  versions: readonly { effectiveFrom: string; effectiveTo: string | null; periodPremiumCents: number | null }[];
  dependants: readonly { id: string; effectiveFrom: string; effectiveTo: string | null }[];
  discounts?: readonly (InvoiceDiscount & { effectiveFrom: string; effectiveTo: string | null })[];
  fees?: readonly InvoiceFee[];
  adjustments?: readonly InvoiceAdjustment[];
}

interface InsuredSpan {
  id: string;
  from: string;
  /** Last day insured, inclusive. */
  to: string;
}

export function invoiceTerms(facts: PolicyBillingFacts, period: DayRange): InvoiceTerms {
  const people: InsuredSpan[] = [
    { id: facts.holderId, from: facts.cover.from, to: facts.cover.to },
    ...[...facts.dependants]
      .sort((a, b) => compare(a.effectiveFrom, b.effectiveFrom) || compare(a.id, b.id))
      .map((d) => ({ id: d.id, from: later(d.effectiveFrom, facts.cover.from), to: earlier(d.effectiveTo ?? facts.cover.to, facts.cover.to) })),
  ].filter((person) => person.from <= person.to);

  const premiumOn = (day: string): number => {
    const version = facts.versions.find((v) => v.effectiveFrom <= day && (v.effectiveTo === null || day <= v.effectiveTo));
    return version?.periodPremiumCents ?? facts.issuedPeriodPremiumCents;
  };
  const sharesOn = (day: string): Map<string, number> => {
    const insured = people.filter((person) => person.from <= day && day <= person.to);
    if (insured.length === 0) return new Map();
    const shares = splitCents(premiumOn(day), insured.map(() => 1));
    return new Map(insured.map((person, index) => [person.id, shares[index]!]));
  };

  // Days inside the period (after its first) on which a share may move.
  const starts = new Set<string>();
  const consider = (day: string) => {
    if (day > period.from && day <= period.to) starts.add(day);
  };
  for (const version of facts.versions) {
    consider(version.effectiveFrom);
    if (version.effectiveTo !== null) consider(addDays(version.effectiveTo, 1));
  }
  for (const person of people) {
    consider(person.from);
    consider(addDays(person.to, 1));
  }

  const first = sharesOn(period.from);
  const members: BilledMember[] = [...first].map(([insuredPersonId, periodPremiumCents]) => ({ insuredPersonId, periodPremiumCents }));
  const changes: PremiumChange[] = [];
  const current = new Map(first);
  for (const day of [...starts].sort()) {
    const shares = sharesOn(day);
    for (const person of people) {
      const share = shares.get(person.id) ?? 0;
      if (share !== (current.get(person.id) ?? 0)) {
        changes.push({ insuredPersonId: person.id, effectiveFrom: day, newPeriodPremiumCents: share });
        current.set(person.id, share);
      }
    }
  }

  const discounts = (facts.discounts ?? [])
    .filter((d) => d.effectiveFrom <= period.from && (d.effectiveTo === null || period.from <= d.effectiveTo))
    .map(({ code, basisPoints }) => ({ code, basisPoints }));
  return {
    policyId: facts.policyId,
    currency: facts.currency,
    period: { ...period },
    members,
    changes,
    discounts,
    fees: [...(facts.fees ?? [])],
    adjustments: [...(facts.adjustments ?? [])],
  };
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

function earlier(a: string, b: string): string {
  return a < b ? a : b;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
