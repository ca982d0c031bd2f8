import { type BreakdownLine } from '../claims/claim.entity';
import { type ItemStatus } from '../claims/claim-status';
import { NOTHING_USED, policyYearOf, type YearUsed } from '../customers/coverage';
import { careWords } from '../claims/care-wording';
import { formatDate } from '../claims/readable-dates';
import { fromCents, shareOf, toCents, toPermille } from './cents';

/**
 * What the policy pays for a claim, item by item, by one convention (the
 * root README's "How a benefit is calculated"), the same within a claim and
 * across claims:
 *
 * 1. eligible = the accepted amount (the claim's, or less if the adjuster
 *    lowered it), capped by the per-item limit, then by what is left of that
 *    kind of care's yearly limit (counted on eligible amounts);
 * 2. the yearly deductible is borne first, on eligible amounts, once per
 *    policy year across all the policy's claims;
 * 3. the insurer's co-insurance share of the rest, rounded half up to a cent;
 * 4. the annual limit caps what the insurer pays over the policy year.
 *
 * Items are taken in line order and each counts in the policy year of its own
 * service date. Every step is in integer cents. Pure: the portal locks the
 * policy and reads what other claims used; this decides.
 */

export interface BenefitTerms {
  readonly startsOn: string;
  readonly annualDeductible: number;
  /** The insurer's share after the deductible (numeric(4,3): 0.8 = 80 %). */
  readonly coinsuranceRate: number;
  readonly annualLimit: number;
  readonly benefits: readonly { readonly careCode: string; readonly label: string; readonly perItemLimit: number; readonly annualLimit: number }[];
}

export interface ItemToCalculate {
  readonly id: string;
  readonly lineNumber: number;
  readonly careCode: string;
  readonly serviceDate: string;
  readonly amount: number;
}

/** A person's or validation's decision on one item, as the process carries it. */
export interface ItemAssessment {
  /** The claim item's id; absent in instances started before items carried it, then matched by position. */
  readonly itemId?: string | null;
  readonly decision: 'accept' | 'adjust' | 'decline';
  readonly approvedAmount?: number | null;
  readonly reasonCode?: string | null;
}

export interface ItemDecision {
  readonly id: string;
  readonly status: ItemStatus;
  readonly reasonCode: string | null;
  readonly approvedAmount: number;
}

export interface BenefitResult {
  readonly breakdown: readonly BreakdownLine[];
  readonly decisions: readonly ItemDecision[];
  readonly totalPayableCents: number;
  readonly totalPayable: number;
}

/** Assessments that do not fit the claim's items; `field` names the part of the request at fault. */
export class AssessmentMismatch extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

/** The breakdown label a client reads: "2. Dental care, 2026-03-14". */
export function breakdownLabel(item: Pick<ItemToCalculate, 'lineNumber' | 'careCode' | 'serviceDate'>, benefitLabel?: string): string {
  return `${item.lineNumber}. ${benefitLabel ?? careWords(item.careCode)}, ${formatDate(item.serviceDate)}`;
}

/** Pairs each item with its assessment: by item id, or by position when the process holds no ids. */
export function matchAssessments<T extends ItemAssessment>(items: readonly ItemToCalculate[], assessments: readonly T[]): T[] {
  if (assessments.every((a) => !a.itemId)) {
    if (assessments.length !== items.length) throw new AssessmentMismatch('items', `holds ${assessments.length} decisions for the claim's ${items.length} items`);
    return [...assessments];
  }
  const byId = new Map<string, T>();
  assessments.forEach((assessment, index) => {
    const id = assessment.itemId;
    if (!id) throw new AssessmentMismatch(`items[${index}].itemId`, 'is missing while other decisions name their item');
    if (!items.some((item) => item.id === id)) throw new AssessmentMismatch(`items[${index}].itemId`, 'is not an item of this claim');
    if (byId.has(id)) throw new AssessmentMismatch(`items[${index}].itemId`, 'names an item decided twice');
    byId.set(id, assessment);
  });
  return items.map((item) => {
    const found = byId.get(item.id);
    if (!found) throw new AssessmentMismatch('items', `holds no decision for item ${item.lineNumber}`);
    return found;
  });
}

/** A policy year's running totals while the claim's items are counted. */
interface YearLedger {
  readonly eligibleByCare: Map<string, number>;
  deductible: number;
  paid: number;
}

/**
 * `usedBefore(yearFrom)` is what the policy's other counted claims used in
 * the policy year starting on `yearFrom` (cents).
 */
export function calculateBenefit(terms: BenefitTerms, items: readonly ItemToCalculate[], assessments: readonly ItemAssessment[], usedBefore: (yearFrom: string) => YearUsed = () => NOTHING_USED): BenefitResult {
  const ordered = [...items].sort((a, b) => a.lineNumber - b.lineNumber);
  const matched = matchAssessments(ordered, assessments);
  const permille = toPermille(terms.coinsuranceRate);
  const deductibleCents = toCents(terms.annualDeductible);
  const annualLimitCents = toCents(terms.annualLimit);
  const ledgers = new Map<string, YearLedger>();
  const ledgerOf = (serviceDate: string): YearLedger => {
    const from = policyYearOf(terms, serviceDate).from;
    let ledger = ledgers.get(from);
    if (!ledger) {
      const used = usedBefore(from);
      ledger = { eligibleByCare: new Map(used.eligibleByCare), deductible: used.deductible, paid: used.paid };
      ledgers.set(from, ledger);
    }
    return ledger;
  };
  const breakdown: BreakdownLine[] = [];
  const decisions: ItemDecision[] = [];
  let totalPayableCents = 0;
  ordered.forEach((item, index) => {
    const assessment = matched[index]!;
    const benefit = terms.benefits.find((b) => b.careCode === item.careCode);
    const label = breakdownLabel(item, benefit?.label);
    const claimed = toCents(item.amount);
    if (assessment.decision === 'decline' || !benefit) {
      const reasonCode = assessment.reasonCode ?? (benefit ? 'ADJUSTER_DECISION' : 'NOT_COVERED');
      breakdown.push({ itemId: item.id, label, claimed: item.amount, eligible: 0, deductible: 0, coinsurance: 0, paid: 0, note: reasonCode });
      decisions.push({ id: item.id, status: 'rejected', reasonCode, approvedAmount: 0 });
      return;
    }
    const ledger = ledgerOf(item.serviceDate);
    let eligible = claimed;
    let reasonCode: string | null = null;
    const capAt = (limit: number, code: string) => {
      const cap = Math.max(0, limit);
      if (eligible > cap) {
        eligible = cap;
        reasonCode = code;
      }
    };
    if (assessment.decision === 'adjust' && assessment.approvedAmount !== null && assessment.approvedAmount !== undefined) capAt(toCents(assessment.approvedAmount), assessment.reasonCode ?? 'ADJUSTER_DECISION');
    capAt(toCents(benefit.perItemLimit), 'ITEM_LIMIT');
    const careUsed = ledger.eligibleByCare.get(item.careCode) ?? 0;
    capAt(toCents(benefit.annualLimit) - careUsed, 'ANNUAL_LIMIT');
    ledger.eligibleByCare.set(item.careCode, careUsed + eligible);
    const deductible = Math.min(eligible, Math.max(0, deductibleCents - ledger.deductible));
    ledger.deductible += deductible;
    const share = shareOf(eligible - deductible, permille);
    const paid = Math.min(share, Math.max(0, annualLimitCents - ledger.paid));
    if (paid < share) reasonCode = 'POLICY_LIMIT';
    ledger.paid += paid;
    totalPayableCents += paid;
    breakdown.push({ itemId: item.id, label, claimed: item.amount, eligible: fromCents(eligible), deductible: fromCents(deductible), coinsurance: fromCents(eligible - deductible - share), paid: fromCents(paid), ...(reasonCode ? { note: reasonCode } : {}) });
    decisions.push({ id: item.id, status: eligible === claimed ? 'accepted' : eligible === 0 ? 'rejected' : 'adjusted', reasonCode, approvedAmount: fromCents(eligible) });
  });
  return { breakdown, decisions, totalPayableCents, totalPayable: fromCents(totalPayableCents) };
}
