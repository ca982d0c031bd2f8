import { type Logger } from 'pino';
import { type DataSource } from 'typeorm';
import { markRefundPaid } from './premium-refunds';

/**
 * The payment provider claim payouts go through (workers/src/payments),
 * seen from here: the same call shape, so the same provider (the embedded
 * ledger, or a bank's API) sends premium refunds. It must treat two calls
 * with one idempotency key as one payment; `amount` is in currency units.
 */
export interface RefundPaymentProvider {
  pay(request: { idempotencyKey: string; amount: number; currency: string; accountHolder: string | null; iban: string | null; reference: string }): Promise<{ status: 'paid'; providerReference: string } | { status: 'rejected'; reason: string }>;
}

export type RefundPayoutOutcome =
  | { refundId: string; status: 'paid'; providerReference: string }
  /** The provider refused (no account, a bad IBAN): still pending, sent again on the next pass once the details are fixed. */
  | { refundId: string; status: 'rejected'; reason: string }
  /** The call failed (the provider down, the answer lost): still pending, sent again with the same key. */
  | { refundId: string; status: 'failed'; reason: string };

/**
 * Sends each pending premium refund (oldest first, up to `limit`) through
 * the provider with the refund's own key (`premium-refund:<credit note id>`,
 * or `premium-refund:attempt:<attempt id>` for a charge that overpaid)
 * and records it paid (`markRefundPaid`: `refund-paid` posted once), one
 * refund per transaction with its row locked `SKIP LOCKED` across the call:
 * two passes at once never send the same refund together, and a crash
 * between the provider's answer and the commit leaves the refund pending, so
 * the next pass sends it again and the provider answers the first payment
 * without paying twice.
 */
export async function payPendingRefunds(dataSource: DataSource, provider: RefundPaymentProvider, logger: Logger, limit = 100): Promise<RefundPayoutOutcome[]> {
  const due = await dataSource.query<{ id: string }[]>(`SELECT id FROM premium_refund WHERE status = 'pending' AND send_after <= now() ORDER BY created_at, id LIMIT $1`, [limit]);
  const outcomes: RefundPayoutOutcome[] = [];
  for (const { id } of due) {
    try {
      const outcome = await dataSource.transaction((manager) => payOne(manager, provider, id));
      if (!outcome) continue;
      outcomes.push(outcome);
      if (outcome.status === 'paid') logger.info({ refundId: id, providerReference: outcome.providerReference }, 'premium refund paid');
      else logger.warn({ refundId: id, reason: outcome.reason }, 'premium refund refused by the payment provider: left pending');
    } catch (error) {
      outcomes.push({ refundId: id, status: 'failed', reason: (error as Error).message });
      logger.error({ refundId: id, err: error }, 'premium refund could not be sent: left pending, retried on the next pass');
    }
  }
  return outcomes;
}

async function payOne(manager: DataSource['manager'], provider: RefundPaymentProvider, refundId: string): Promise<RefundPayoutOutcome | null> {
  const [refund] = await manager.query<{ key: string; cents: string; currency: string; number: string; holder: string | null; iban: string | null }[]>(
    `SELECT r.idempotency_key AS key, r.cents::text AS cents, r.currency, coalesce(n.number, ai.number) AS number, c.account_holder AS holder, c.iban
       FROM premium_refund r LEFT JOIN credit_note n ON n.id = r.credit_note_id LEFT JOIN collection_attempt a ON a.id = r.collection_attempt_id LEFT JOIN invoice ai ON ai.id = a.invoice_id
       JOIN policy p ON p.id = r.policy_id JOIN customer c ON c.id = p.customer_id
      WHERE r.id = $1 AND r.status = 'pending' AND r.send_after <= now() FOR UPDATE OF r SKIP LOCKED`,
    [refundId],
  );
  // Paid meanwhile, or another pass holds it.
  if (!refund) return null;
  const cents = Number(refund.cents);
  const answer = await provider.pay({ idempotencyKey: refund.key, amount: cents / 100, currency: refund.currency, accountHolder: refund.holder, iban: refund.iban, reference: `Refund ${refund.number}` });
  if (answer.status === 'rejected') return { refundId, status: 'rejected', reason: answer.reason };
  await markRefundPaid(manager, refundId, answer.providerReference);
  return { refundId, status: 'paid', providerReference: answer.providerReference };
}
