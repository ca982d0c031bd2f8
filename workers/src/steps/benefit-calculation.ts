import { type BreakdownLine, type ClaimFile, type ItemDecision } from '../portal/portal-types';
import { type ItemAssessment, itemLabel, itemsInOrder } from './claim-validation';
import { fromCents, toCents } from './money';

/**
 * What the policy pays for each item, in the order a client reads it:
 * accepted amount (the adjuster's, or the claim), capped by the per-item
 * limit, then by what is left of the yearly limits (per kind of care and for
 * the policy); the deductible left for the year comes off first, and the
 * policy pays its co-insurance share of the rest.
 */
export interface BenefitResult {
  readonly breakdown: readonly BreakdownLine[];
  readonly decisions: readonly ItemDecision[];
  readonly totalPayable: number;
}

export function calculateBenefit(file: ClaimFile, assessments: readonly ItemAssessment[]): BenefitResult {
  const policy = file.policy;
  if (!policy) throw new Error(`Claim ${file.claim.reference} has no policy to calculate a benefit from.`);
  const items = itemsInOrder(file);
  if (assessments.length !== items.length) throw new Error(`The process holds ${assessments.length} item decisions for ${items.length} items of claim ${file.claim.reference}.`);
  const benefitLeft = new Map(policy.coverage.benefits.map((b) => [b.careCode, toCents(b.remaining)]));
  let annualLeft = toCents(policy.coverage.annualRemaining);
  let deductibleLeft = toCents(policy.coverage.deductibleRemaining);
  const rate = policy.coinsuranceRate;
  const breakdown: BreakdownLine[] = [];
  const decisions: ItemDecision[] = [];
  items.forEach((item, index) => {
    const assessment = assessments[index]!;
    const benefit = policy.benefits.find((b) => b.careCode === item.careCode);
    const label = itemLabel(item, benefit);
    const claimed = toCents(item.amount);
    if (assessment.decision === 'decline' || !benefit) {
      const reasonCode = assessment.reasonCode ?? (benefit ? 'ADJUSTER_DECISION' : 'NOT_COVERED');
      breakdown.push({ itemId: item.id, label, claimed: item.amount, eligible: 0, deductible: 0, coinsurance: 0, paid: 0, note: reasonCode });
      decisions.push({ id: item.id, status: 'rejected', reasonCode, approvedAmount: 0 });
      return;
    }
    let eligible = assessment.decision === 'adjust' && assessment.approvedAmount !== null ? Math.min(claimed, toCents(assessment.approvedAmount)) : claimed;
    let reasonCode: string | null = eligible < claimed ? (assessment.reasonCode ?? 'ADJUSTER_DECISION') : null;
    const capBy = (limit: number, code: string) => {
      if (eligible > limit) {
        eligible = Math.max(0, limit);
        reasonCode = code;
      }
    };
    capBy(toCents(benefit.perItemLimit), 'ITEM_LIMIT');
    capBy(benefitLeft.get(item.careCode) ?? 0, 'ANNUAL_LIMIT');
    capBy(annualLeft, 'ANNUAL_LIMIT');
    benefitLeft.set(item.careCode, (benefitLeft.get(item.careCode) ?? 0) - eligible);
    annualLeft -= eligible;
    const deductible = Math.min(eligible, deductibleLeft);
    deductibleLeft -= deductible;
    const paid = Math.round((eligible - deductible) * rate);
    breakdown.push({ itemId: item.id, label, claimed: item.amount, eligible: fromCents(eligible), deductible: fromCents(deductible), coinsurance: fromCents(eligible - deductible - paid), paid: fromCents(paid), ...(reasonCode ? { note: reasonCode } : {}) });
    decisions.push({ id: item.id, status: eligible === claimed ? 'accepted' : eligible === 0 ? 'rejected' : 'adjusted', reasonCode, approvedAmount: fromCents(eligible) });
  });
  return { breakdown, decisions, totalPayable: fromCents(breakdown.reduce((sum, line) => sum + toCents(line.paid), 0)) };
}
