import { type StatusPeriod } from '@claims/portal-api/src/contracts/policy-standing';
// Type-only import: nothing of TypeORM loads in the workers.
import { type BreakdownLine } from '@claims/portal-api/src/claims/claim.entity';

/** The shapes of the portal's internal endpoints the workers read (see its OpenAPI document). */
export interface ClaimItemView {
  readonly id: string;
  readonly lineNumber: number;
  readonly serviceDate: string;
  readonly providerName: string;
  readonly providerId: string | null;
  readonly careCode: string;
  readonly description: string | null;
  readonly invoiceNumber: string | null;
  readonly amount: number;
  readonly status: 'pending' | 'accepted' | 'adjusted' | 'rejected';
  readonly reasonCode: string | null;
  readonly approvedAmount: number | null;
}

export interface BenefitView {
  readonly careCode: string;
  readonly label: string;
  readonly perItemLimit: number;
  readonly annualLimit: number;
  readonly waitingPeriodDays: number;
  readonly requiredDocuments: readonly string[];
}

/** What the policy has used and has left in the policy year of the claim's first care date. */
export interface CoverageView {
  readonly policyYear: { readonly from: string; readonly to: string };
  readonly annualLimit: number;
  readonly annualRemaining: number;
  readonly deductible: number;
  readonly deductibleRemaining: number;
  readonly benefits: readonly (BenefitView & { readonly used: number; readonly remaining: number; readonly coveredFrom: string })[];
}

/** The claim and its items, without policy, coverage or documents (GET /internal/claims/{id}/summary). */
export type ClaimSummary = Pick<ClaimFile, 'claim' | 'items'>;

export interface ClaimFile {
  readonly claim: { readonly id: string; readonly reference: string; readonly status: string; readonly currency: string; readonly totalClaimed: number; readonly totalApproved: number | null; readonly submittedAt: string; readonly fraudScore: number | null; readonly processInstanceKey: string | null; readonly breakdown: readonly BreakdownLine[] | null; readonly decisionNote: string | null };
  readonly items: readonly ClaimItemView[];
  readonly documents: readonly { readonly id: string; readonly type: string; readonly name: string }[];
  readonly policy: {
    readonly id: string;
    readonly number: string;
    readonly status: string;
    readonly startsOn: string;
    readonly endsOn: string | null;
    readonly currency: string;
    readonly annualDeductible: number;
    readonly coinsuranceRate: number;
    readonly annualLimit: number;
    readonly benefits: readonly BenefitView[];
    readonly coverage: CoverageView;
    /** The coverage of each policy year the claim's items fall in (absent from older portals). */
    readonly coverageByYear?: readonly CoverageView[];
    /** The policy's state history (absent from older portals: in force from start to end). */
    readonly statusPeriods?: readonly StatusPeriod[];
  } | null;
  readonly customer: { readonly id: string; readonly fullName: string; readonly email: string; readonly phone: string | null; readonly hasPaymentDetails: boolean };
}

export interface FraudContext {
  readonly claimId: string;
  readonly policyStartsOn: string | null;
  readonly earlierClaims: { readonly last30Days: number; readonly last365Days: number };
  /** The claims the portal found the same receipt file or invoice on, with where each stands. */
  readonly duplicateReceipts: readonly { readonly sha256: string; readonly claimReference: string; readonly claimStatus?: string }[];
  readonly duplicateInvoices: readonly { readonly invoiceNumber: string; readonly providerName: string; readonly providerId?: string | null; readonly claimReference: string; readonly claimStatus?: string }[];
  readonly usualAmounts: readonly { readonly careCode: string; readonly averageAmount: number; readonly samples: number }[];
  /** The claim file as `claim()` answers it: screening reads both in one request. */
  readonly file: ClaimFile;
}

export interface ItemDecision {
  readonly id: string;
  readonly status: 'pending' | 'accepted' | 'adjusted' | 'rejected';
  readonly reasonCode?: string | null;
  readonly approvedAmount?: number | null;
}

/** One line of the benefit calculation: the portal's own type. */
export type { BreakdownLine };

export interface ClaimUpdate {
  readonly status?: string;
  readonly message?: string;
  readonly visibleToClient?: boolean;
  readonly items?: readonly ItemDecision[];
  readonly fraudScore?: number;
  readonly fraudFlags?: readonly { readonly rule: string; readonly reason: string; readonly weight: number }[];
  /** Only 0, when a claim is declined: what a claim pays is set by the benefit calculation. */
  readonly totalApproved?: 0;
  readonly informationRequested?: string | null;
  readonly informationDue?: string | null;
  readonly decisionNote?: string | null;
}

export interface PaymentDetails {
  readonly accountHolder: string | null;
  readonly iban: string | null;
}

export interface BenefitCalculationRequest {
  readonly items: readonly { readonly itemId?: string; readonly decision: 'accept' | 'adjust' | 'decline'; readonly approvedAmount: number | null; readonly reasonCode: string | null }[];
  readonly decisionNote?: string;
}

export interface PayoutRecord {
  readonly id: string;
  /** The provider's idempotency key for this attempt. */
  readonly attemptKey: string;
  readonly status: 'pending' | 'paid' | 'rejected';
  readonly amount: number;
  /** Last four characters of the account the attempt pays into. */
  readonly accountHint: string;
  readonly providerReference: string | null;
  readonly rejectionReason: string | null;
}

export interface NotificationRecord {
  readonly dedupKey: string;
  readonly claimId?: string;
  readonly channel: 'email' | 'sms';
  readonly recipient: string;
  readonly template: string;
  readonly subject?: string;
  readonly providerMessageId?: string;
}
