import { type EntityManager } from 'typeorm';
import { Problem } from '../http/problem';
import { post } from './ledger-store';

export interface RefundPaid {
  refundId: string;
  cents: number;
  providerReference: string;
  /** True when it was recorded paid before: nothing moved now. */
  replayed: boolean;
}

/**
 * Records that the payment provider sent a refund (the provider called with
 * the refund's `premium-refund:<credit note id>` key, so a resend is one
 * payment), and posts `refund-paid` by the key `refund:<refund id>`, in the
 * caller's transaction under the refund's row lock: a replay, a second
 * worker or a crash between provider and portal records and posts it once.
 */
export async function markRefundPaid(manager: EntityManager, refundId: string, providerReference: string): Promise<RefundPaid> {
  const [refund] = await manager.query<{ id: string; cents: number; status: 'pending' | 'paid'; provider_reference: string | null; number: string }[]>(
    `SELECT r.id, r.cents::float8 AS cents, r.status, r.provider_reference, coalesce(n.number, ai.number) AS number
       FROM premium_refund r LEFT JOIN credit_note n ON n.id = r.credit_note_id LEFT JOIN collection_attempt a ON a.id = r.collection_attempt_id LEFT JOIN invoice ai ON ai.id = a.invoice_id WHERE r.id = $1 FOR UPDATE OF r`,
    [refundId],
  );
  if (!refund) throw Problem.notFound('refund', refundId);
  if (refund.status === 'paid') {
    if (refund.provider_reference !== providerReference) throw Problem.conflict(`Refund ${refundId} was paid as ${refund.provider_reference}, not ${providerReference}.`);
    return { refundId, cents: refund.cents, providerReference, replayed: true };
  }
  await manager.query(`UPDATE premium_refund SET status = 'paid', provider_reference = $2, paid_at = now() WHERE id = $1`, [refundId, providerReference]);
  await post(manager, { kind: 'refund-paid', key: `refund:${refundId}`, reference: refund.number, cents: refund.cents });
  return { refundId, cents: refund.cents, providerReference, replayed: false };
}
