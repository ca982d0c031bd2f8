/** What the portal's renewal endpoints answer (internal/policies/{id}/…; see its OpenAPI document). */
export type RenewalPlan =
  | { readonly planned: false; readonly why: string }
  | { readonly planned: true; readonly policyId: string; readonly customerId: string; readonly termEndsOn: string; readonly offerAt: string; readonly remindAt: string; readonly endsAt: string };

export interface RenewalOffer {
  readonly id: string;
  readonly status: 'offered' | 'declined' | 'renewed' | 'expired';
  readonly policyNumber: string;
  readonly product: string;
  readonly currency: string;
  readonly termEndsOn: string;
  readonly newEndsOn: string;
  readonly yearlyPremiumCents: number;
  readonly periodPremiumCents: number;
  readonly paymentFrequency: string;
}
