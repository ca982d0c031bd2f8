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
  // The debtor refused or asked the money back: debiting again would go against their instruction.
  MS02: { kind: 'hard', reason: 'You asked your bank to refuse this direct debit. Please pay the invoice by card or transfer, or tell us if something is wrong with it.' },
  MD06: { kind: 'hard', reason: 'You asked your bank to return this direct debit. Please pay the invoice another way, or tell us if something is wrong with it.' },
  MD07: { kind: 'hard', reason: 'Your bank reports that the account holder has died. Please contact us.' },
  AM05: { kind: 'hard', reason: 'Your bank refused this direct debit as a duplicate. We will check it and contact you.' },
  AG01: { kind: 'hard', reason: 'Your bank account does not accept direct debits. Please give us another account or pay by card.' },
  SL01: { kind: 'hard', reason: 'Your bank refused the direct debit on your instruction. Please pay the invoice another way.' },
};

/** What the client reads when the issuer's reason is one they should not be told (stolen, fraud) or says no more. */
const CARD_DECLINED = 'Your card was declined. Please pay with another card or by direct debit.';

/**
 * Card decline codes as Stripe names them. Soft ones are worth retrying on a
 * later day; hard ones mean the card must not be charged again.
 */
export const CARD_DECLINE_CODES: Readonly<Record<string, DeclineMeaning>> = {
  insufficient_funds: { kind: 'soft', reason: 'Your card was declined for insufficient funds. We will try again; please make sure the amount is available.' },
  do_not_honor: { kind: 'soft', reason: 'Your card issuer declined the payment without saying why. We will try again; if it fails again, please call your card issuer.' },
  try_again_later: { kind: 'soft', reason: 'Your card issuer could not take the payment just now. We will try again.' },
  processing_error: { kind: 'soft', reason: 'The card payment failed because of a processing error. We will try again.' },
  stolen_card: { kind: 'hard', reason: CARD_DECLINED },
  lost_card: { kind: 'hard', reason: CARD_DECLINED },
  expired_card: { kind: 'hard', reason: 'Your card has expired. Please give us a current card or pay by direct debit.' },
  card_not_supported: { kind: 'hard', reason: 'Your card does not support this kind of payment. Please use another card or pay by direct debit.' },
  // The issuer will never approve these (Visa's category 1, Mastercard's "do not try again"): retrying is refused by the schemes.
  pickup_card: { kind: 'hard', reason: CARD_DECLINED },
  fraudulent: { kind: 'hard', reason: CARD_DECLINED },
  restricted_card: { kind: 'hard', reason: CARD_DECLINED },
  security_violation: { kind: 'hard', reason: CARD_DECLINED },
  transaction_not_allowed: { kind: 'hard', reason: 'Your card does not allow this kind of payment. Please use another card or pay by direct debit.' },
  invalid_account: { kind: 'hard', reason: 'Your card issuer does not know this card any more. Please give us a current card or pay by direct debit.' },
  incorrect_number: { kind: 'hard', reason: 'The card number we have is not valid. Please give us your card again.' },
  revocation_of_authorization: { kind: 'hard', reason: 'You withdrew our permission to charge this card. Please choose how you want to pay.' },
  revocation_of_all_authorizations: { kind: 'hard', reason: 'You withdrew our permission to charge this card. Please choose how you want to pay.' },
  stop_payment_order: { kind: 'hard', reason: 'You asked your card issuer to stop our payments. Please choose how you want to pay.' },
  // Strong customer authentication: only the client can complete it, so a retry without them cannot pass.
  authentication_required: { kind: 'hard', reason: 'Your card issuer wants you to confirm this payment. Please pay the invoice yourself with "Pay now".' },
};

/**
 * The meaning of a code a provider answered with. A code not in the tables
 * counts as hard: the card schemes fine repeated retries of declines the issuer
 * will never approve, and a SEPA return we do not know may be the debtor's own
 * refusal; the client is asked to act instead, and the grace period still runs.
 */
export function meaningOfDecline(code: string): DeclineMeaning {
  if (Object.hasOwn(SEPA_REASON_CODES, code)) return SEPA_REASON_CODES[code]!;
  if (Object.hasOwn(CARD_DECLINE_CODES, code)) return CARD_DECLINE_CODES[code]!;
  return { kind: 'hard', reason: 'Your payment was declined. Please pay the invoice with "Pay now" or change your payment method; contact us if you need help.' };
}
