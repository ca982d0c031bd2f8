import { type DeclineKind } from './collection-provider';

/** What a decline code means for the retry schedule, and what the client is told. */
export interface DeclineMeaning {
  readonly kind: DeclineKind;
  readonly reason: string;
}

/**
 * SEPA direct-debit R-transaction reason codes (ISO 20022 ExternalStatusReason)
 * that a collection meets. Insufficient funds and an unspecified refusal may
 * pass on a later day; a closed or blocked account, a wrong account number or
 * a missing mandate will not.
 */
export const SEPA_REASON_CODES: Readonly<Record<string, DeclineMeaning>> = {
  AM04: { kind: 'soft', reason: 'Your bank refused the direct debit for insufficient funds. We will try again; please make sure the amount is available.' },
  MS03: { kind: 'soft', reason: 'Your bank refused the direct debit without giving a reason. We will try again; if it fails again, please ask your bank.' },
  AC01: { kind: 'hard', reason: 'Your bank does not know the account number we have. Please give us your current bank details.' },
  AC04: { kind: 'hard', reason: 'Your bank account is closed. Please give us a new bank account or card.' },
  AC06: { kind: 'hard', reason: 'Your bank account is blocked for direct debits. Please ask your bank or give us another account or card.' },
  MD01: { kind: 'hard', reason: 'Your bank has no valid direct-debit mandate from you for us. Please sign a new mandate or pay by card.' },
};

/**
 * Card decline codes as Stripe names them. Soft ones are worth retrying on a
 * later day; hard ones mean the card must not be charged again.
 */
export const CARD_DECLINE_CODES: Readonly<Record<string, DeclineMeaning>> = {
  insufficient_funds: { kind: 'soft', reason: 'Your card was declined for insufficient funds. We will try again; please make sure the amount is available.' },
  do_not_honor: { kind: 'soft', reason: 'Your card issuer declined the payment without saying why. We will try again; if it fails again, please call your card issuer.' },
  try_again_later: { kind: 'soft', reason: 'Your card issuer could not take the payment just now. We will try again.' },
  processing_error: { kind: 'soft', reason: 'The card payment failed because of a processing error. We will try again.' },
  stolen_card: { kind: 'hard', reason: 'Your card was declined. Please pay with another card or by direct debit.' },
  lost_card: { kind: 'hard', reason: 'Your card was declined. Please pay with another card or by direct debit.' },
  expired_card: { kind: 'hard', reason: 'Your card has expired. Please give us a current card or pay by direct debit.' },
  card_not_supported: { kind: 'hard', reason: 'Your card does not support this kind of payment. Please use another card or pay by direct debit.' },
};

/**
 * The meaning of a code a provider answered with. A code not in the tables
 * counts as soft: the retry schedule is short and ends in reminders and a
 * grace period anyway, while treating it as hard would skip every retry on a
 * decline that may well pass tomorrow.
 */
export function meaningOfDecline(code: string): DeclineMeaning {
  return SEPA_REASON_CODES[code] ?? CARD_DECLINE_CODES[code] ?? { kind: 'soft', reason: 'Your payment was declined. We will try again; if it fails again, please contact us or change your payment method.' };
}
