import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Customers, policies, claims, documents, payouts, notifications and the audit log. */
export class InitialDomain1763712000000 implements MigrationInterface {
  name = 'InitialDomain1763712000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE customer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject text NOT NULL UNIQUE,
        full_name text NOT NULL,
        email text NOT NULL,
        phone text,
        iban text,
        account_holder text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL UNIQUE,
        customer_id uuid NOT NULL REFERENCES customer(id),
        product text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'suspended', 'cancelled')),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        currency text NOT NULL,
        annual_deductible numeric(12,2) NOT NULL CHECK (annual_deductible >= 0),
        coinsurance_rate numeric(4,3) NOT NULL CHECK (coinsurance_rate BETWEEN 0 AND 1),
        annual_limit numeric(12,2) NOT NULL CHECK (annual_limit >= 0),
        CHECK (ends_on > starts_on)
      )`);
    await db.query(`CREATE INDEX policy_customer ON policy (customer_id)`);
    await db.query(`
      CREATE TABLE policy_benefit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        care_code text NOT NULL,
        label text NOT NULL,
        per_item_limit numeric(12,2) NOT NULL,
        annual_limit numeric(12,2) NOT NULL,
        waiting_period_days integer NOT NULL DEFAULT 0,
        required_documents text[] NOT NULL DEFAULT '{}',
        UNIQUE (policy_id, care_code)
      )`);
    await db.query(`CREATE SEQUENCE claim_reference_seq`);
    await db.query(`
      CREATE TABLE claim (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE,
        customer_id uuid NOT NULL REFERENCES customer(id),
        policy_id uuid NOT NULL REFERENCES policy(id),
        status text NOT NULL,
        currency text NOT NULL,
        total_claimed numeric(12,2) NOT NULL,
        total_approved numeric(12,2),
        total_paid numeric(12,2),
        description text,
        idempotency_key text,
        request_hash text NOT NULL,
        process_instance_key text,
        fraud_score integer,
        fraud_flags jsonb NOT NULL DEFAULT '[]',
        breakdown jsonb NOT NULL DEFAULT '[]',
        information_requested text,
        information_due timestamptz,
        decision_note text,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL
      )`);
    await db.query(`CREATE UNIQUE INDEX claim_idempotency ON claim (customer_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await db.query(`CREATE INDEX claim_customer ON claim (customer_id, submitted_at DESC)`);
    await db.query(`CREATE INDEX claim_status ON claim (status)`);
    await db.query(`CREATE INDEX claim_process_instance ON claim (process_instance_key)`);
    await db.query(`
      CREATE TABLE claim_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id uuid NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
        line_number integer NOT NULL,
        service_date date NOT NULL,
        provider_name text NOT NULL,
        provider_id text,
        care_code text NOT NULL,
        description text,
        invoice_number text,
        amount numeric(12,2) NOT NULL CHECK (amount > 0),
        status text NOT NULL,
        reason_code text,
        approved_amount numeric(12,2),
        UNIQUE (claim_id, line_number)
      )`);
    await db.query(`CREATE INDEX claim_item_invoice ON claim_item (invoice_number) WHERE invoice_number IS NOT NULL`);
    await db.query(`
      CREATE TABLE claim_event (
        id bigserial PRIMARY KEY,
        claim_id uuid NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL,
        status text,
        message text NOT NULL,
        visible_to_client boolean NOT NULL,
        actor text NOT NULL
      )`);
    await db.query(`CREATE INDEX claim_event_claim ON claim_event (claim_id, id)`);
    // Live status: every event wakes the API instances listening, whoever wrote it.
    await db.query(`
      CREATE FUNCTION claim_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('claim_events', NEW.claim_id::text);
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER claim_event_notify AFTER INSERT ON claim_event FOR EACH ROW EXECUTE FUNCTION claim_event_notify()`);
    await db.query(`
      CREATE TABLE document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id uuid NOT NULL REFERENCES claim(id),
        type text NOT NULL,
        name text NOT NULL,
        current_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL
      )`);
    await db.query(`CREATE INDEX document_claim_type ON document (claim_id, type)`);
    await db.query(`CREATE INDEX document_name ON document (lower(name) text_pattern_ops)`);
    await db.query(`
      CREATE TABLE document_version (
        document_id uuid NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        version integer NOT NULL,
        storage_key text NOT NULL,
        media_type text NOT NULL,
        size integer NOT NULL,
        sha256 text NOT NULL,
        file_name text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        uploaded_by text NOT NULL,
        PRIMARY KEY (document_id, version)
      )`);
    await db.query(`CREATE INDEX document_version_sha256 ON document_version (sha256)`);
    await db.query(`
      CREATE TABLE payout (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id uuid NOT NULL REFERENCES claim(id),
        attempt_key text NOT NULL UNIQUE,
        amount numeric(12,2) NOT NULL CHECK (amount > 0),
        currency text NOT NULL,
        status text NOT NULL CHECK (status IN ('paid', 'rejected')),
        account_hint text NOT NULL,
        provider_reference text,
        rejection_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Whatever the attempt keys, a claim is paid at most once.
    await db.query(`CREATE UNIQUE INDEX payout_paid_once ON payout (claim_id) WHERE status = 'paid'`);
    await db.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id uuid REFERENCES claim(id),
        dedup_key text NOT NULL UNIQUE,
        channel text NOT NULL CHECK (channel IN ('email', 'sms')),
        recipient text NOT NULL,
        template text NOT NULL,
        subject text,
        provider_message_id text,
        sent_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX notification_claim ON notification (claim_id)`);
    await db.query(`
      CREATE TABLE audit_entry (
        seq bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_subject text NOT NULL,
        actor_name text NOT NULL,
        action text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        details jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE
      )`);
    await db.query(`CREATE INDEX audit_entry_entity ON audit_entry (entity_type, entity_id)`);
    // Append-only, enforced by the database and not only by the code.
    await db.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP;
      END $$`);
    await db.query(`CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    await db.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_entry`);
    await db.query(`DROP FUNCTION audit_entry_append_only()`);
    await db.query(`DROP TABLE notification`);
    await db.query(`DROP TABLE payout`);
    await db.query(`DROP TABLE document_version`);
    await db.query(`DROP TABLE document`);
    await db.query(`DROP TABLE claim_event`);
    await db.query(`DROP FUNCTION claim_event_notify()`);
    await db.query(`DROP TABLE claim_item`);
    await db.query(`DROP TABLE claim`);
    await db.query(`DROP SEQUENCE claim_reference_seq`);
    await db.query(`DROP TABLE policy_benefit`);
    await db.query(`DROP TABLE policy`);
    await db.query(`DROP TABLE customer`);
  }
}
