/** A policy's contract as GET /me/policies/{id}/contract answers it (the client's view: no notes for the file). */
export interface ContractView {
  readonly policy: { readonly id: string; readonly number: string; readonly product: string; readonly status: string; readonly statusToday: string; readonly startsOn: string; readonly endsOn: string; readonly currency: string; readonly annualDeductibleCents: number; readonly paymentFrequency: string };
  readonly statusHistory: readonly { readonly status: string; readonly effectiveFrom: string; readonly effectiveTo: string | null; readonly reason?: string; readonly recordedBy?: string }[];
  readonly versions: readonly { readonly version: number; readonly kind: string; readonly effectiveFrom: string; readonly effectiveTo: string | null; readonly change: string; readonly annualDeductibleCents: number; readonly insuredCount: number; readonly yearlyPremiumCents: number | null; readonly periodPremiumCents: number | null; readonly adjustmentCents: number; readonly recordedBy?: string }[];
  readonly dependants: readonly { readonly id: string; readonly fullName: string; readonly relationship: string; readonly birthDate: string | null; readonly effectiveFrom: string; readonly effectiveTo: string | null }[];
  readonly beneficiaries: readonly { readonly id: string; readonly fullName: string; readonly relationship: string; readonly sharePercent: number | null; readonly effectiveFrom: string; readonly effectiveTo: string | null }[];
  readonly renewal: null | { readonly id: string; readonly status: 'offered' | 'declined' | 'renewed' | 'expired'; readonly termEndsOn: string; readonly newEndsOn: string; readonly yearlyPremiumCents: number; readonly periodPremiumCents: number; readonly declinable: boolean };
}

/** A state as a client reads it. */
export const STATE_WORDS: Record<string, string> = {
  pending: 'Not started yet',
  active: 'In force',
  suspended: 'Suspended: care is not covered',
  lapsed: 'Lapsed (premium unpaid): care is not covered',
  cancelled: 'Cancelled',
  expired: 'Ended',
};
