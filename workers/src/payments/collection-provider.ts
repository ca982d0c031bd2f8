/**
 * How a premium is taken from the client: a SEPA direct debit under the
 * client's mandate, or a charge on a card the provider has tokenised. The
 * idempotency key is the invoice's collection attempt
 * (`invoice:{id}:collection:{n}`): a provider treats two calls with the same
 * key as one charge, so a retried or replayed job never takes money twice.
 */
export type CollectionMethod =
  | { readonly kind: 'sepa-direct-debit'; readonly iban: string; readonly accountHolder: string; readonly mandateReference: string }
  | { readonly kind: 'card'; readonly token: string };

export interface CollectionRequest {
  readonly idempotencyKey: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly method: CollectionMethod;
  /** What the client sees on their statement. */
  readonly reference: string;
}

/**
 * Soft: the same method may work later (no funds today, the issuer busy), so
 * the retry schedule applies. Hard: it will not work again (account closed,
 * card stolen, no mandate); only a new method helps.
 */
export type DeclineKind = 'soft' | 'hard';

export type CollectionOutcome =
  | { readonly status: 'collected'; readonly providerReference: string }
  | {
      readonly status: 'declined';
      readonly kind: DeclineKind;
      /** The scheme's own code: a SEPA R-transaction reason (`AM04`) or a card decline code as Stripe names it (`insufficient_funds`). */
      readonly code: string;
      /** Plain words for the client: what failed and what to do. */
      readonly reason: string;
    };

export interface CollectionProvider {
  collect(request: CollectionRequest): Promise<CollectionOutcome>;
}
