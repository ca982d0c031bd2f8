/** The portal API's answers, as the web apps read them (see /api/docs for the full shapes). */

export interface ClaimItemView {
  readonly id: string;
  readonly lineNumber: number;
  readonly serviceDate: string;
  readonly providerName: string;
  readonly careCode: string;
  /** The kind of care in words, as the API says it. */
  readonly careLabel?: string;
  readonly description: string | null;
  readonly invoiceNumber: string | null;
  readonly amount: number;
  readonly status: string;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly approvedAmount: number | null;
}

export interface BreakdownLine {
  readonly itemId: string;
  readonly label: string;
  readonly claimed: number;
  readonly eligible: number;
  readonly deductible: number;
  readonly coinsurance: number;
  readonly paid: number;
  readonly note?: string;
  /** The note in plain words. */
  readonly reason?: string | null;
}

export interface TimelineEntry {
  readonly id: string;
  readonly at: string;
  readonly kind: string;
  readonly status: string | null;
  readonly message: string;
  readonly actor: string | null;
}

export interface DocumentView {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly mediaType?: string;
  readonly size?: number;
  readonly createdAt: string;
}

export interface PayoutView {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: string;
  readonly accountHint: string | null;
  readonly rejectionReason: string | null;
  readonly createdAt: string;
}

export interface ClaimView {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly statusText: string;
  readonly policyId: string;
  readonly currency: string;
  readonly totalClaimed: number;
  readonly totalApproved: number | null;
  readonly totalPaid: number | null;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly informationRequested: string | null;
  readonly informationDue: string | null;
  readonly decisionNote: string | null;
  readonly items: readonly ClaimItemView[];
  readonly breakdown: readonly BreakdownLine[];
  readonly fraudScore?: number | null;
  readonly fraudFlags?: readonly { code: string; reason: string; weight?: number }[] | null;
}

export interface ClaimDetail extends ClaimView {
  /** The claim's process is held up by a technical problem (an open incident); what it is stays with staff. */
  readonly technicalDelay?: boolean;
  /** When comparable claims were paid (an estimate from the last 90 days' durations); null when paid, declined or too few compare. */
  readonly estimatedPayment?: { readonly date: string; readonly basedOnClaims: number; readonly windowDays: number; readonly percentile: number } | null;
  readonly timeline: readonly TimelineEntry[];
  readonly documents: readonly DocumentView[];
  readonly payouts: readonly PayoutView[];
}

export interface BenefitCoverage {
  readonly careCode: string;
  readonly label: string;
  readonly perItemLimit: number;
  readonly annualLimit: number;
  readonly used: number;
  readonly remaining: number;
  readonly coveredFrom: string;
  /** The kinds of document a claim for this care needs (receipt, prescription, medical-report). */
  readonly requiredDocuments?: readonly string[];
}

export interface Coverage {
  readonly policyYear: { readonly from: string; readonly to: string };
  readonly annualLimit: number;
  readonly annualUsed: number;
  readonly annualRemaining: number;
  readonly deductible: number;
  readonly deductibleUsed: number;
  readonly deductibleRemaining: number;
  readonly benefits: readonly BenefitCoverage[];
}

export interface PolicyView {
  readonly id: string;
  readonly number: string;
  readonly product: string;
  readonly status: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly currency: string;
  readonly coverage: Coverage | null;
}
