import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A charge can take more than is open by the time it lands (the invoice was
 * lowered, credited or closed while it was in flight). That cash is the
 * client's: it becomes a premium refund of its own, for the collection
 * attempt that took it, sent by the same refund payout sweep as a credit
 * note's. So a refund is for exactly one of a credit note or an attempt.
 *
 * A direct debit can still come back from the client's bank for weeks, so
 * its refund is held (`send_after`) until then; a return meanwhile cancels
 * it (`cancelled`). The journal takes the entries that move the client's
 * credit to refunds payable and back (`overpayment-refund-due`,
 * `overpayment-refund-cancelled`, billing/ledger-model.ts).
 */
export class OverpaymentRefunds1765000000121 implements MigrationInterface {
  name = 'OverpaymentRefunds1765000000121';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE premium_refund ALTER COLUMN credit_note_id DROP NOT NULL, ADD COLUMN collection_attempt_id uuid UNIQUE REFERENCES collection_attempt(id)`);
    await db.query(`ALTER TABLE premium_refund ADD CONSTRAINT premium_refund_for_one CHECK (num_nonnulls(credit_note_id, collection_attempt_id) = 1)`);
    await db.query(`ALTER TABLE premium_refund ADD COLUMN send_after timestamptz NOT NULL DEFAULT now()`);
    await db.query(`ALTER TABLE premium_refund DROP CONSTRAINT premium_refund_status_check, ADD CONSTRAINT premium_refund_status_check CHECK (status IN ('pending', 'paid', 'cancelled'))`);
    await db.query(`ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_kind_check`);
    await db.query(
      `ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_kind_check CHECK (kind IN ('invoice-issued', 'invoice-adjusted', 'credit-note-issued', 'refund-due', 'overpayment-refund-due', 'overpayment-refund-cancelled', 'refund-paid', 'payment-received', 'payment-reversed', 'invoice-written-off', 'claim-paid'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    // Taking the schema back would drop refunds the clients are owed: refuse while any exists.
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM premium_refund WHERE collection_attempt_id IS NOT NULL`)) as [{ n: number }];
    if (n > 0) throw new Error(`Cannot undo OverpaymentRefunds: ${n} refunds of overpaid charges exist, which the earlier schema cannot hold.`);
    await db.query(`ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_kind_check`);
    await db.query(
      `ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_kind_check CHECK (kind IN ('invoice-issued', 'invoice-adjusted', 'credit-note-issued', 'refund-due', 'refund-paid', 'payment-received', 'payment-reversed', 'invoice-written-off', 'claim-paid'))`,
    );
    await db.query(`ALTER TABLE premium_refund DROP CONSTRAINT premium_refund_status_check, ADD CONSTRAINT premium_refund_status_check CHECK (status IN ('pending', 'paid'))`);
    await db.query(`ALTER TABLE premium_refund DROP CONSTRAINT premium_refund_for_one, DROP COLUMN send_after, DROP COLUMN collection_attempt_id, ALTER COLUMN credit_note_id SET NOT NULL`);
  }
}
