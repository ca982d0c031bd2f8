import { createHash } from 'node:crypto';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { type CollectionOutcome, type CollectionProvider, type CollectionRequest } from './collection-provider';
import { meaningOfDecline } from './decline-codes';

/**
 * Card tokens that decline, named as Stripe's test tokens are, so a test or
 * a demo can make a charge fail the way the real sandbox does. Any other
 * token charges.
 */
export const TEST_CARD_TOKENS: Readonly<Record<string, string>> = {
  tok_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  tok_chargeDeclinedDoNotHonor: 'do_not_honor',
  tok_chargeDeclinedTryAgainLater: 'try_again_later',
  tok_chargeDeclinedProcessingError: 'processing_error',
  tok_chargeDeclinedStolenCard: 'stolen_card',
  tok_chargeDeclinedLostCard: 'lost_card',
  tok_chargeDeclinedExpiredCard: 'expired_card',
  tok_chargeDeclinedCardNotSupported: 'card_not_supported',
};

/**
 * Valid German IBANs (checksums hold) whose direct debit returns with the
 * given R-transaction reason. Any other valid IBAN is collected.
 */
export const TEST_IBANS: Readonly<Record<string, string>> = {
  DE62370400440532013001: 'AM04',
  DE35370400440532013002: 'MS03',
  DE08370400440532013003: 'AC04',
  DE78370400440532013004: 'AC06',
  DE51370400440532013005: 'MD01',
};

/** One charge the provider executed (repeats of a key are not charges). */
export interface CollectionCharge {
  readonly idempotencyKey: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly method: CollectionRequest['method']['kind'];
  readonly outcome: CollectionOutcome;
}

/**
 * The embedded system's collection provider: no bank or card network, so it
 * refuses what they would refuse at once (an IBAN failing its checksum, a
 * debit without a mandate), declines for the test IBANs and tokens and for
 * the attempts a test asked to decline, and otherwise collects. Like a real
 * provider it is idempotent on the key: the first call with a key decides
 * (and is remembered before any await, so parallel calls with one key share
 * it); every later call gets the same answer and charges nothing. A repeat
 * for another amount is refused, as providers refuse a reused key with other
 * parameters.
 */
export class EmbeddedCollectionProvider implements CollectionProvider {
  private readonly decided = new Map<string, { readonly request: CollectionRequest; readonly outcome: Promise<CollectionOutcome> }>();
  private readonly executed: CollectionCharge[] = [];
  private forcedDeclines: { remaining: number; code: string } = { remaining: 0, code: '' };

  constructor(private readonly delayMs = 0) {}

  /**
   * Test control: the next `attempts` new charges (not repeats of a key)
   * decline with `code`, whatever the method, as sandboxes let one script a
   * run of failures followed by a success.
   */
  declineNext(attempts: number, code = 'insufficient_funds'): void {
    if (!Number.isInteger(attempts) || attempts < 0) throw new RangeError(`declineNext takes a whole number of attempts, not ${attempts}.`);
    this.forcedDeclines = { remaining: attempts, code };
  }

  /** Every charge executed, oldest first. */
  charges(): CollectionCharge[] {
    return [...this.executed];
  }

  collect(request: CollectionRequest): Promise<CollectionOutcome> {
    if (!Number.isInteger(request.amountCents) || request.amountCents <= 0) return Promise.reject(new RangeError(`A collection is a positive whole number of cents, not ${request.amountCents}.`));
    const earlier = this.decided.get(request.idempotencyKey);
    if (earlier) {
      // As real providers do, a key stands for one whole request: the same key with another amount, method or reference is a bug to surface, not a replay.
      if (canonicalRequest(earlier.request) !== canonicalRequest(request)) {
        return Promise.reject(new Error(`Collection ${request.idempotencyKey} was already made for ${earlier.request.amountCents} ${earlier.request.currency} with other details; a repeat that differs is refused.`));
      }
      return earlier.outcome;
    }
    const outcome = this.decide(request);
    this.executed.push({ idempotencyKey: request.idempotencyKey, amountCents: request.amountCents, currency: request.currency, method: request.method.kind, outcome });
    const answer = this.delayMs > 0 ? new Promise<CollectionOutcome>((resolve) => setTimeout(() => resolve(outcome), this.delayMs)) : Promise.resolve(outcome);
    this.decided.set(request.idempotencyKey, { request, outcome: answer });
    return answer;
  }

  private decide(request: CollectionRequest): CollectionOutcome {
    if (this.forcedDeclines.remaining > 0) {
      this.forcedDeclines.remaining -= 1;
      return declined(this.forcedDeclines.code);
    }
    const method = request.method;
    if (method.kind === 'card') {
      const code = Object.hasOwn(TEST_CARD_TOKENS, method.token) ? TEST_CARD_TOKENS[method.token] : undefined;
      if (code) return declined(code);
    } else {
      const iban = electronicFormatIBAN(method.iban) ?? '';
      if (!isValidIBAN(iban)) return declined('AC01');
      if (!method.mandateReference.trim()) return declined('MD01');
      const code = Object.hasOwn(TEST_IBANS, iban) ? TEST_IBANS[iban] : undefined;
      if (code) return declined(code);
    }
    const reference = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16).toUpperCase();
    return { status: 'collected', providerReference: `COLLECT-${reference}` };
  }
}

function declined(code: string): CollectionOutcome {
  const meaning = meaningOfDecline(code);
  return { status: 'declined', kind: meaning.kind, code, reason: meaning.reason };
}

/** A request's every field in a fixed order, so two requests compare equal only when nothing differs. */
function canonicalRequest(request: CollectionRequest): string {
  const method = request.method.kind === 'card'
    ? ['card', request.method.token]
    : ['sepa-direct-debit', electronicFormatIBAN(request.method.iban) ?? request.method.iban, request.method.accountHolder, request.method.mandateReference];
  return JSON.stringify([request.amountCents, request.currency, request.reference, method]);
}
