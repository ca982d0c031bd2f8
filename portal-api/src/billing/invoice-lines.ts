import { divideHalfUp } from '../products/premium-arithmetic';
import { type DayRange, midTermChange, periodLength, splitCents } from './proration';

/**
 * What one invoice of a policy says, from the policy's terms for one billing
 * period. One pure function for both the billing run (which stores the lines)
 * and the preview a client sees before it: the same terms give the same lines,
 * whatever order the members, changes, fees and adjustments come in, so a
 * preview computed before the run is the invoice the run issues.
 */

export type InvoiceLineKind = 'premium' | 'fee' | 'discount' | 'proration' | 'adjustment';

/** An insured person and their premium for a whole period, as at the period's first day. */
export interface BilledMember {
  insuredPersonId: string;
  periodPremiumCents: number;
}

/**
 * A person's premium for a whole period changes from `effectiveFrom` on (a
 * mid-term change, contracts/mid-term-pricing). Someone who joins in the
 * period is not among the members and changes from 0; someone who leaves
 * changes to 0.
 */
export interface PremiumChange {
  insuredPersonId: string;
  effectiveFrom: string;
  newPeriodPremiumCents: number;
}

/** A fee charged once on this invoice (e.g. a reminder fee), in cents > 0. */
export interface InvoiceFee {
  code: string;
  cents: number;
}

/** A discount on the period's premium, in basis points (1/100 of a percent). */
export interface InvoiceDiscount {
  code: string;
  basisPoints: number;
}

/** A manual adjustment by staff (approved before it reaches here), signed cents. */
export interface InvoiceAdjustment {
  code: string;
  cents: number;
}

export interface InvoiceTerms {
  policyId: string;
  currency: string;
  period: DayRange;
  members: readonly BilledMember[];
  changes?: readonly PremiumChange[];
  fees?: readonly InvoiceFee[];
  discounts?: readonly InvoiceDiscount[];
  adjustments?: readonly InvoiceAdjustment[];
}

export interface InvoiceLine {
  /** 1, 2, … in the order printed. */
  position: number;
  kind: InvoiceLineKind;
  /** The premium, discount, fee or adjustment code the line is for. */
  code: string;
  insuredPersonId: string | null;
  periodFrom: string;
  periodTo: string;
  cents: number;
}

export interface InvoiceDraft {
  policyId: string;
  currency: string;
  period: DayRange;
  lines: InvoiceLine[];
  /** Premium and proration lines: what the cover of the period costs. */
  premiumCents: number;
  discountCents: number;
  feeCents: number;
  adjustmentCents: number;
  /** The sum of all lines. Below 0 the run issues a credit note instead of an invoice. */
  totalCents: number;
}

const MAX_BASIS_POINTS = 10_000;

export function invoiceLines(terms: InvoiceTerms): InvoiceDraft {
  const { period } = terms;
  periodLength(period);
  if (!/^[A-Z]{3}$/.test(terms.currency)) throw new RangeError(`Expected a currency as three capital letters, but it is ${terms.currency}.`);
  const lines: Omit<InvoiceLine, 'position'>[] = [];
  const whole = (kind: InvoiceLineKind, code: string, cents: number, insuredPersonId: string | null = null) =>
    ({ kind, code, insuredPersonId, periodFrom: period.from, periodTo: period.to, cents });

  // Premiums as at the first day, one line per person.
  const startPrice = new Map<string, number>();
  for (const member of terms.members) {
    wholeCents('period premium', member.periodPremiumCents, 0);
    if (startPrice.has(member.insuredPersonId)) throw new RangeError(`Expected each insured person once, but ${member.insuredPersonId} is there twice.`);
    startPrice.set(member.insuredPersonId, member.periodPremiumCents);
  }
  for (const id of [...startPrice.keys()].sort()) {
    if (startPrice.get(id)! !== 0) lines.push(whole('premium', 'premium', startPrice.get(id)!, id));
  }

  // Changes, per person in date order: credit the price that was, charge the one that is, from that day.
  const changes = [...(terms.changes ?? [])].sort((a, b) => compare(a.insuredPersonId, b.insuredPersonId) || compare(a.effectiveFrom, b.effectiveFrom));
  const price = new Map(startPrice);
  changes.forEach((change, index) => {
    wholeCents('new period premium', change.newPeriodPremiumCents, 0);
    const previous = changes[index - 1];
    if (previous && previous.insuredPersonId === change.insuredPersonId && previous.effectiveFrom === change.effectiveFrom) {
      throw new RangeError(`Expected one change per person and day, but ${change.insuredPersonId} has two on ${change.effectiveFrom}.`);
    }
    const old = price.get(change.insuredPersonId) ?? 0;
    const { creditOfOldCents, chargeOfNewCents } = midTermChange(old, change.newPeriodPremiumCents, period, change.effectiveFrom);
    const fromChange = { periodFrom: change.effectiveFrom, periodTo: period.to, insuredPersonId: change.insuredPersonId };
    if (creditOfOldCents !== 0) lines.push({ kind: 'proration', code: 'credit-old-premium', ...fromChange, cents: creditOfOldCents });
    if (chargeOfNewCents !== 0) lines.push({ kind: 'proration', code: 'charge-new-premium', ...fromChange, cents: chargeOfNewCents });
    price.set(change.insuredPersonId, change.newPeriodPremiumCents);
  });
  const premiumCents = sum(lines.map((line) => line.cents));

  // Discounts: the rounded total of all of them, shared by largest remainder, so
  // they never come to more than the premium (not even by a rounding cent).
  const discounts = [...(terms.discounts ?? [])].sort((a, b) => compare(a.code, b.code));
  const basisPoints = discounts.map((discount) => wholeCents(`basis points of discount ${discount.code}`, discount.basisPoints, 0));
  if (sum(basisPoints) > MAX_BASIS_POINTS) throw new RangeError(`Expected discounts of 100% at most together, but they are ${sum(basisPoints) / 100}%.`);
  uniqueCodes('discount', discounts);
  let discountCents = 0;
  if (premiumCents > 0 && sum(basisPoints) > 0) {
    // premium × basis points stays below 2^53 for any premium below €9 billion.
    const totalDiscount = divideHalfUp(premiumCents * sum(basisPoints), MAX_BASIS_POINTS);
    splitCents(totalDiscount, basisPoints).forEach((cents, index) => {
      if (cents !== 0) lines.push(whole('discount', discounts[index]!.code, -cents));
    });
    discountCents = 0 - totalDiscount; // never -0
  }

  const fees = [...(terms.fees ?? [])].sort((a, b) => compare(a.code, b.code) || a.cents - b.cents);
  for (const fee of fees) lines.push(whole('fee', fee.code, wholeCents(`fee ${fee.code}`, fee.cents, 1)));
  const adjustments = [...(terms.adjustments ?? [])].sort((a, b) => compare(a.code, b.code) || a.cents - b.cents);
  for (const adjustment of adjustments) {
    if (wholeCents(`adjustment ${adjustment.code}`, adjustment.cents, -Number.MAX_SAFE_INTEGER) !== 0) lines.push(whole('adjustment', adjustment.code, adjustment.cents));
  }

  const feeCents = sum(fees.map((fee) => fee.cents));
  const adjustmentCents = sum(adjustments.map((adjustment) => adjustment.cents));
  return {
    policyId: terms.policyId,
    currency: terms.currency,
    period: { ...period },
    lines: lines.map((line, index) => ({ position: index + 1, ...line })),
    premiumCents,
    discountCents,
    feeCents,
    adjustmentCents,
    totalCents: premiumCents + discountCents + feeCents + adjustmentCents,
  };
}

function wholeCents(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`Expected the ${name} as a whole number of at least ${min}, but it is ${value}.`);
  return value;
}

function uniqueCodes(what: string, items: readonly { code: string }[]): void {
  const seen = new Set<string>();
  for (const { code } of items) {
    if (seen.has(code)) throw new RangeError(`Expected each ${what} once, but ${code} is there twice.`);
    seen.add(code);
  }
}

/** Code-point order, not locale order: the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
