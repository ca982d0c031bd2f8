/**
 * How a benefit reaches the client's bank. The idempotency key is the
 * claim's payout attempt (`claim:{id}:payout:{n}`, from the portal's payout
 * intent): a provider must treat two calls with the same key as one payment
 * (banks' payment APIs take such a key for exactly this).
 */
export interface PayoutRequest {
  readonly idempotencyKey: string;
  readonly amount: number;
  readonly currency: string;
  readonly accountHolder: string | null;
  readonly iban: string | null;
  /** What the client sees on their statement. */
  readonly reference: string;
}

export type PayoutOutcome = { readonly status: 'paid'; readonly providerReference: string } | { readonly status: 'rejected'; readonly reason: string };

export interface PaymentProvider {
  pay(request: PayoutRequest): Promise<PayoutOutcome>;
}
