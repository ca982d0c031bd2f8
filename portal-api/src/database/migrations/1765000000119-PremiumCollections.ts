import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Collections on top of the invoices (1765000000019-PremiumBilling):
 *
 * - `payment_method`: how a policy's premiums are taken, a SEPA direct-debit
 *   mandate (the IBAN for the debit, its masked form for screens, the mandate
 *   reference unique as SEPA requires) or a provider's card token; one default
 *   per policy (partial unique index), older ones kept with `replaced_at` so
 *   an attempt still names the method it charged.
 * - `collection_attempt`: one row per charge of an invoice, numbered from 1
 *   per trigger (the schedule's, the client's "Pay now"); the idempotency key
 *   (`invoice:<id>:collection:<n>`, `invoice:<id>:pay-now:<n>`) is unique, so
 *   a retried job asks the provider with the same key and records one
 *   outcome, and at most one attempt per invoice is pending at a time.
 * - `collection_case`: one per invoice (the process instance watching it) and
 *   the dates its plan fixed, so the extranet shows this client's real dates.
 */
export class PremiumCollections1765000000119 implements MigrationInterface {
  name = 'PremiumCollections1765000000119';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE payment_method (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id),
        policy_id uuid NOT NULL REFERENCES policy(id),
        kind text NOT NULL CHECK (kind IN ('sepa-direct-debit', 'card')),
        account_holder text,
        iban text,
        iban_masked text,
        mandate_reference text UNIQUE,
        mandate_signed_on date,
        card_token text,
        card_brand text,
        card_last4 char(4),
        is_default boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        replaced_at timestamptz,
        CHECK (kind <> 'sepa-direct-debit' OR (iban IS NOT NULL AND iban_masked IS NOT NULL AND account_holder IS NOT NULL AND mandate_reference IS NOT NULL AND mandate_signed_on IS NOT NULL)),
        CHECK (kind <> 'card' OR (card_token IS NOT NULL AND card_last4 IS NOT NULL)),
        CHECK (NOT is_default OR replaced_at IS NULL)
      )`);
    await db.query(`CREATE UNIQUE INDEX payment_method_one_default ON payment_method (policy_id) WHERE is_default`);
    await db.query(`CREATE INDEX payment_method_customer ON payment_method (customer_id)`);
    await db.query(`
      CREATE TABLE collection_case (
        invoice_id uuid PRIMARY KEY REFERENCES invoice(id),
        policy_id uuid NOT NULL REFERENCES policy(id),
        process_instance_key text,
        status text NOT NULL DEFAULT 'collecting' CHECK (status IN ('collecting', 'paid', 'overdue', 'lapsed', 'reinstated', 'written-off')),
        due_on date NOT NULL,
        grace_ends_on date NOT NULL,
        lapses_on date NOT NULL,
        reinstatable_until date NOT NULL,
        retry_days integer[] NOT NULL DEFAULT '{}',
        -- Raised when a returned debit reopens the invoice: the next instance hears only its own round's messages.
        round integer NOT NULL DEFAULT 1 CHECK (round >= 1),
        lapsed_from date,
        reinstated_on date,
        written_off_on date,
        started_at timestamptz NOT NULL DEFAULT now(),
        CHECK (due_on <= grace_ends_on AND grace_ends_on < lapses_on AND lapses_on <= reinstatable_until)
      )`);
    await db.query(`CREATE INDEX collection_case_policy ON collection_case (policy_id, status)`);
    await db.query(`
      CREATE TABLE collection_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoice(id),
        attempt integer NOT NULL CHECK (attempt >= 1),
        idempotency_key text NOT NULL UNIQUE,
        payment_method_id uuid NOT NULL REFERENCES payment_method(id),
        trigger text NOT NULL CHECK (trigger IN ('schedule', 'pay-now')),
        amount_cents bigint NOT NULL CHECK (amount_cents > 0),
        currency char(3) NOT NULL,
        outcome text NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'collected', 'submitted', 'declined', 'returned')),
        provider_payment_id text UNIQUE,
        decline_code text,
        decline_kind text CHECK (decline_kind IN ('soft', 'hard')),
        decline_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        UNIQUE (invoice_id, trigger, attempt),
        CHECK ((outcome IN ('declined', 'returned')) = (decline_code IS NOT NULL AND decline_kind IS NOT NULL)),
        CHECK (outcome NOT IN ('collected', 'submitted', 'returned') OR provider_payment_id IS NOT NULL)
      )`);
    // One charge in flight per invoice: a scheduled retry and the client's "Pay now" never both take the amount.
    // A returned direct debit is reversed in the ledger (billing/ledger-model.ts `payment-reversed`).
    await db.query(`ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_kind_check`);
    await db.query(`ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_kind_check CHECK (kind IN ('invoice-issued', 'invoice-adjusted', 'credit-note-issued', 'refund-due', 'refund-paid', 'payment-received', 'payment-reversed', 'invoice-written-off', 'claim-paid'))`);
    await db.query(`CREATE UNIQUE INDEX collection_attempt_one_pending ON collection_attempt (invoice_id) WHERE outcome = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE collection_attempt`);
    await db.query(`ALTER TABLE journal_entry DROP CONSTRAINT journal_entry_kind_check`);
    await db.query(`ALTER TABLE journal_entry ADD CONSTRAINT journal_entry_kind_check CHECK (kind IN ('invoice-issued', 'invoice-adjusted', 'credit-note-issued', 'refund-due', 'refund-paid', 'payment-received', 'invoice-written-off', 'claim-paid'))`);
    await db.query(`DROP TABLE collection_case`);
    await db.query(`DROP TABLE payment_method`);
  }
}
