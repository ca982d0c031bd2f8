import { breakdownLabel } from '@claims/portal-api/src/benefits/benefit-calculation';
import { refusalOn } from '@claims/portal-api/src/contracts/policy-standing';
import { type BenefitView, type ClaimFile, type ClaimItemView } from '../portal/portal-types';

/**
 * The policy checks of a claim, item by item: the policy was in force on the
 * date of care, the care is in the benefit schedule, its waiting period has
 * passed, its yearly limit is not used up, and the documents the schedule asks
 * for are on the claim. Pure: the worker fetches, this decides.
 */
export type ValidationOutcome = 'valid' | 'incomplete' | 'rejected';

/**
 * One item as the process carries it: what a person deciding needs, no
 * medical detail. `itemId` is the claim item's id, which the calculation
 * matches decisions by (instances started before it existed carry none and
 * are matched by position).
 */
export interface ItemAssessment {
  /** The claim item this row is about: rows match items by id, never by position. */
  readonly itemId: string;
  readonly label: string;
  readonly amount: number;
  readonly decision: 'accept' | 'adjust' | 'decline';
  readonly reasonCode: string | null;
  readonly approvedAmount: number | null;
}

export interface ValidationResult {
  readonly outcome: ValidationOutcome;
  readonly items: readonly ItemAssessment[];
  /** Item ids and their reason, for the items validation declines. */
  readonly declined: readonly { readonly id: string; readonly reasonCode: string }[];
  readonly missingDocuments: readonly string[];
}

export const DOCUMENT_WORDING: Record<string, string> = {
  receipt: 'the receipt',
  prescription: 'the prescription',
  'medical-report': 'the medical report',
  referral: 'the referral letter',
  'bank-details': 'your bank details',
};

export function validateClaim(file: ClaimFile): ValidationResult {
  const items = itemsInOrder(file);
  const present = new Set(file.documents.map((d) => d.type));
  const required = new Set<string>();
  const declined: { id: string; reasonCode: string }[] = [];
  const assessments = items.map((item) => {
    const benefit = file.policy?.benefits.find((b) => b.careCode === item.careCode);
    const reasonCode = declineReason(file, item, benefit);
    if (reasonCode) declined.push({ id: item.id, reasonCode });
    else for (const document of benefit?.requiredDocuments ?? []) required.add(document);
    return { itemId: item.id, label: itemLabel(item, benefit), amount: item.amount, decision: reasonCode ? ('decline' as const) : ('accept' as const), reasonCode, approvedAmount: null };
  });
  const missingDocuments = [...required].filter((type) => !present.has(type)).sort();
  const outcome: ValidationOutcome = declined.length === items.length ? 'rejected' : missingDocuments.length > 0 ? 'incomplete' : 'valid';
  return { outcome, items: assessments, declined, missingDocuments };
}

function declineReason(file: ClaimFile, item: ClaimItemView, benefit: BenefitView | undefined): string | null {
  const policy = file.policy;
  if (!policy) return 'POLICY_INACTIVE';
  // Lapsed, suspended, cancelled, expired or not yet started on the care date: not covered (portals before the history send none).
  const standing = refusalOn({ startsOn: policy.startsOn, endsOn: policy.endsOn ?? '9999-12-31' }, policy.statusPeriods ?? [], item.serviceDate);
  if (standing) return standing;
  if (!benefit) return 'NOT_COVERED';
  // The policy year of the item's own service date.
  const year = policy.coverageByYear?.find((c) => c.policyYear.from <= item.serviceDate && item.serviceDate <= c.policyYear.to) ?? policy.coverage;
  const coverage = year.benefits.find((b) => b.careCode === item.careCode);
  if (coverage && item.serviceDate < coverage.coveredFrom) return 'WAITING_PERIOD';
  if ((coverage && coverage.remaining <= 0) || year.annualRemaining <= 0) return 'ANNUAL_LIMIT';
  return null;
}

/** A claim's items in the order the client listed them (the order the process's `items` variable follows). */
export function itemsInOrder(file: Pick<ClaimFile, 'items'>): ClaimItemView[] {
  return [...file.items].sort((a, b) => a.lineNumber - b.lineNumber);
}

/** The same label the breakdown shows. */
export function itemLabel(item: Pick<ClaimItemView, 'lineNumber' | 'careCode' | 'serviceDate'>, benefit?: Pick<BenefitView, 'label'>): string {
  return breakdownLabel(item, benefit?.label);
}

/** The question put to the client when documents are missing. */
export function missingDocumentsQuestion(missing: readonly string[]): string {
  const names = missing.map((type) => DOCUMENT_WORDING[type] ?? type);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `Please upload ${list} for the care on this request.`;
}
