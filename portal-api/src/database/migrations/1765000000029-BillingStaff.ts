import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Premium billing for staff (issue 19, see billing/README.md): refunds owed
 * to clients after a cancellation, paid once by their idempotency key; one
 * cancellation credit note per invoice; and the daily reconciliation report
 * of the ledger against the operational tables.
 */
export class BillingStaff1765000000029 implements MigrationInterface {
  name = 'BillingStaff1765000000029';

  async up(db: QueryRunner): Promise<void> {
    // A cancellation is credited once per invoice, whatever retries or a second cancellation call do.
    await db.query(`CREATE UNIQUE INDEX credit_note_cancellation_once ON credit_note (invoice_id) WHERE reason = 'cancellation'`);
    await db.query(`
      CREATE TABLE premium_refund (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        credit_note_id uuid NOT NULL UNIQUE REFERENCES credit_note(id),
        -- The payment provider's key: one refund for one credit note, however often it is sent.
        idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) > 0),
        cents bigint NOT NULL CHECK (cents > 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid')),
        provider_reference text,
        created_at timestamptz NOT NULL DEFAULT now(),
        paid_at timestamptz,
        CHECK ((status = 'paid') = (paid_at IS NOT NULL AND provider_reference IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX premium_refund_pending ON premium_refund (created_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX premium_refund_paid_at ON premium_refund (paid_at) WHERE status = 'paid'`);
    await db.query(`
      CREATE TABLE billing_reconciliation (
        day date PRIMARY KEY,
        ok boolean NOT NULL,
        checks jsonb NOT NULL,
        unbalanced_entries jsonb NOT NULL,
        run_at timestamptz NOT NULL DEFAULT now()
      )`);
    // What the day's flows are read by.
    await db.query(`CREATE INDEX journal_entry_posted_at ON journal_entry (posted_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX journal_entry_posted_at');
    await db.query('DROP TABLE billing_reconciliation');
    await db.query('DROP TABLE premium_refund');
    await db.query('DROP INDEX credit_note_cancellation_once');
  }
}
