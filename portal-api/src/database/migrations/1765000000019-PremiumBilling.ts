import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Premium billing (issue 19, see billing/README.md): billing schedules,
 * gapless invoice and credit-note series, invoices and credit notes with
 * their lines, what the next invoice may carry (fees, discounts, approved
 * manual adjustments), payments recorded against invoices, and the
 * double-entry ledger. Money is integer cents in bigint columns with CHECKs;
 * every "exactly once" is a unique constraint the services lean on.
 */
export class PremiumBilling1765000000019 implements MigrationInterface {
  name = 'PremiumBilling1765000000019';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE billing_schedule (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL UNIQUE REFERENCES policy(id) ON DELETE CASCADE,
        frequency text NOT NULL CHECK (frequency IN ('yearly', 'half-yearly', 'quarterly', 'monthly')),
        anchor text NOT NULL CHECK (anchor IN ('issue-date', 'billing-day')),
        billing_day smallint CHECK (billing_day BETWEEN 1 AND 28),
        anchor_date date NOT NULL,
        issued_period_premium_cents bigint NOT NULL CHECK (issued_period_premium_cents >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        next_period_start date NOT NULL CHECK (next_period_start >= anchor_date),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((anchor = 'billing-day') = (billing_day IS NOT NULL)),
        CHECK (billing_day IS NULL OR extract(day FROM anchor_date) = billing_day)
      )`);
    // What the run scans: active schedules by their next period.
    await db.query(`CREATE INDEX billing_schedule_due ON billing_schedule (next_period_start) WHERE status = 'active'`);

    for (const table of ['invoice_series', 'credit_note_series']) {
      await db.query(`CREATE TABLE ${table} (series text PRIMARY KEY CHECK (series ~ '^[A-Z]+-[0-9]{4}$'), last_number bigint NOT NULL CHECK (last_number > 0))`);
    }

    await db.query(`
      CREATE TABLE invoice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        schedule_id uuid NOT NULL REFERENCES billing_schedule(id) ON DELETE CASCADE,
        period_from date NOT NULL,
        period_to date NOT NULL CHECK (period_to >= period_from),
        status text NOT NULL CHECK (status IN ('open', 'paid', 'void', 'written_off')),
        issued_on date NOT NULL,
        due_on date NOT NULL CHECK (due_on >= issued_on),
        currency char(3) NOT NULL,
        total_cents bigint NOT NULL CHECK (total_cents >= 0),
        adjusted_cents bigint NOT NULL DEFAULT 0,
        credited_cents bigint NOT NULL DEFAULT 0 CHECK (credited_cents >= 0),
        amount_paid_cents bigint NOT NULL DEFAULT 0 CHECK (amount_paid_cents >= 0),
        written_off_cents bigint NOT NULL DEFAULT 0 CHECK (written_off_cents >= 0),
        amount_open_cents bigint GENERATED ALWAYS AS (total_cents + adjusted_cents - credited_cents - amount_paid_cents - written_off_cents) STORED CHECK (amount_open_cents >= 0),
        write_off_key text UNIQUE,
        terms jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (schedule_id, period_from),
        CHECK (amount_paid_cents <= total_cents + adjusted_cents),
        CHECK (status <> 'open' OR amount_open_cents > 0),
        CHECK (status <> 'paid' OR amount_open_cents = 0),
        CHECK (status <> 'written_off' OR (amount_open_cents = 0 AND written_off_cents > 0))
      )`);
    await db.query(`CREATE INDEX invoice_policy ON invoice (policy_id, period_from)`);
    await db.query(`CREATE INDEX invoice_open_due ON invoice (due_on) WHERE status = 'open'`);
    await db.query(`
      CREATE TABLE invoice_line (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position > 0),
        kind text NOT NULL CHECK (kind IN ('premium', 'fee', 'discount', 'proration', 'adjustment')),
        code text NOT NULL,
        insured_person_id text,
        period_from date NOT NULL,
        period_to date NOT NULL CHECK (period_to >= period_from),
        cents bigint NOT NULL CHECK (cents <> 0),
        UNIQUE (invoice_id, position)
      )`);

    await db.query(`
      CREATE TABLE credit_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        invoice_id uuid REFERENCES invoice(id),
        schedule_id uuid REFERENCES billing_schedule(id) ON DELETE CASCADE,
        period_from date,
        period_to date,
        reason text NOT NULL CHECK (reason IN ('cancellation', 'correction', 'negative-invoice')),
        issued_on date NOT NULL,
        currency char(3) NOT NULL,
        total_cents bigint NOT NULL CHECK (total_cents > 0),
        terms jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (schedule_id, period_from),
        CHECK ((reason = 'negative-invoice') = (schedule_id IS NOT NULL AND period_from IS NOT NULL AND period_to IS NOT NULL)),
        CHECK (reason = 'negative-invoice' OR invoice_id IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX credit_note_policy ON credit_note (policy_id)`);
    await db.query(`
      CREATE TABLE credit_note_line (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        credit_note_id uuid NOT NULL REFERENCES credit_note(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position > 0),
        kind text NOT NULL CHECK (kind IN ('premium', 'fee', 'discount', 'proration', 'adjustment', 'refund')),
        code text NOT NULL,
        insured_person_id text,
        period_from date NOT NULL,
        period_to date NOT NULL CHECK (period_to >= period_from),
        cents bigint NOT NULL CHECK (cents <> 0),
        UNIQUE (credit_note_id, position)
      )`);

    // What the next invoice carries besides the premium.
    await db.query(`
      CREATE TABLE policy_discount (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 60),
        basis_points integer NOT NULL CHECK (basis_points BETWEEN 1 AND 10000),
        effective_from date NOT NULL,
        effective_to date CHECK (effective_to IS NULL OR effective_to >= effective_from)
      )`);
    await db.query(`ALTER TABLE policy_discount ADD CONSTRAINT policy_discount_no_overlap
      EXCLUDE USING gist (policy_id WITH =, code WITH =, daterange(effective_from, effective_to, '[]') WITH &&)`);
    await db.query(`
      CREATE TABLE pending_fee (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 60),
        cents bigint NOT NULL CHECK (cents > 0),
        idempotency_key text NOT NULL UNIQUE,
        -- The invoice (or, when the period came out negative, the credit note) that carried it.
        invoice_id uuid REFERENCES invoice(id),
        credit_note_id uuid REFERENCES credit_note(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (invoice_id IS NULL OR credit_note_id IS NULL)
      )`);
    await db.query(`CREATE INDEX pending_fee_unbilled ON pending_fee (policy_id) WHERE invoice_id IS NULL AND credit_note_id IS NULL`);
    await db.query(`
      CREATE TABLE manual_adjustment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        invoice_id uuid REFERENCES invoice(id),
        -- An adjustment of no particular invoice is a line of the next one (or of its credit note).
        billed_invoice_id uuid REFERENCES invoice(id),
        billed_credit_note_id uuid REFERENCES credit_note(id),
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 60),
        cents bigint NOT NULL CHECK (cents <> 0),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'applied')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        approved_by text CHECK (approved_by <> requested_by),
        decided_at timestamptz,
        idempotency_key text NOT NULL UNIQUE,
        CHECK (billed_invoice_id IS NULL OR billed_credit_note_id IS NULL)
      )`);
    await db.query(`CREATE INDEX manual_adjustment_policy ON manual_adjustment (policy_id)`);

    await db.query(`
      CREATE TABLE invoice_payment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        invoice_id uuid NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
        idempotency_key text NOT NULL UNIQUE,
        cents bigint NOT NULL CHECK (cents > 0),
        open_after_cents bigint NOT NULL CHECK (open_after_cents >= 0),
        status_after text NOT NULL CHECK (status_after IN ('open', 'paid')),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX invoice_payment_invoice ON invoice_payment (invoice_id)`);

    // The ledger.
    await db.query(`
      CREATE TABLE ledger_account (
        code text PRIMARY KEY,
        name text NOT NULL,
        normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit'))
      )`);
    await db.query(`INSERT INTO ledger_account (code, name, normal_side) VALUES
      ('premiums_receivable', 'Premiums receivable', 'debit'),
      ('premium_income', 'Premium income', 'credit'),
      ('cash', 'Cash', 'debit'),
      ('refunds_payable', 'Refunds payable', 'credit'),
      ('claim_payouts', 'Claim payouts', 'debit'),
      ('write_offs', 'Write-offs', 'debit')`);
    await db.query(`
      CREATE TABLE journal_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) > 0),
        kind text NOT NULL CHECK (kind IN ('invoice-issued', 'invoice-adjusted', 'credit-note-issued', 'refund-due', 'refund-paid', 'payment-received', 'invoice-written-off', 'claim-paid')),
        reference text NOT NULL CHECK (length(reference) > 0),
        posted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE journal_posting (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entry_id bigint NOT NULL REFERENCES journal_entry(id),
        position smallint NOT NULL CHECK (position > 0),
        account text NOT NULL REFERENCES ledger_account(code),
        side text NOT NULL CHECK (side IN ('debit', 'credit')),
        cents bigint NOT NULL CHECK (cents > 0),
        UNIQUE (entry_id, position)
      )`);
    await db.query(`CREATE INDEX journal_posting_account ON journal_posting (account)`);
    // Checked at commit, when all postings of the entry are in: debits equal credits, two postings at least.
    await db.query(`
      CREATE FUNCTION journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        checked bigint := coalesce(NEW.entry_id, OLD.entry_id);
        difference numeric;
        postings integer;
      BEGIN
        SELECT coalesce(sum(CASE side WHEN 'debit' THEN cents ELSE -cents END), 0), count(*) INTO difference, postings FROM journal_posting WHERE entry_id = checked;
        IF difference <> 0 OR postings < 2 THEN
          RAISE EXCEPTION 'journal entry % is not balanced: % postings, debits minus credits %', checked, postings, difference USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE CONSTRAINT TRIGGER journal_posting_balanced AFTER INSERT OR UPDATE OR DELETE ON journal_posting
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balanced()`);
    // An entry without postings is caught too: its first posting must come in the same transaction.
    await db.query(`
      CREATE FUNCTION journal_entry_has_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM journal_posting WHERE entry_id = NEW.id) THEN
          RAISE EXCEPTION 'journal entry % has no postings', NEW.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE CONSTRAINT TRIGGER journal_entry_posted AFTER INSERT ON journal_entry
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_has_postings()`);
    // Posted is posted: a correction is a new entry, never an edit.
    await db.query(`
      CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['journal_entry', 'journal_posting']) {
      await db.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['journal_posting', 'journal_entry', 'ledger_account', 'invoice_payment', 'manual_adjustment', 'pending_fee', 'policy_discount', 'credit_note_line', 'credit_note', 'invoice_line', 'invoice', 'credit_note_series', 'invoice_series', 'billing_schedule']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query('DROP FUNCTION ledger_append_only()');
    await db.query('DROP FUNCTION journal_entry_has_postings()');
    await db.query('DROP FUNCTION journal_entry_balanced()');
  }
}
