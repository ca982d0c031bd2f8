import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Contract administration (issue 18): the six policy states with their
 * effective-dated history, the terms in force over time (policy versions, one
 * per issue, mid-term change, renewal), dependants and beneficiaries with
 * effective dates, and renewal offers. Every new policy column has a default,
 * so a policy inserted with the columns of before stays valid (active, priced
 * yearly, no history: "in force from start to end").
 */
export class ContractAdministration1764900000000 implements MigrationInterface {
  name = 'ContractAdministration1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE policy DROP CONSTRAINT IF EXISTS policy_status_check');
    await db.query(`ALTER TABLE policy ADD CONSTRAINT policy_status_check CHECK (status IN ('pending', 'active', 'suspended', 'lapsed', 'cancelled', 'expired'))`);
    await db.query(`ALTER TABLE policy
      ADD COLUMN region text NOT NULL DEFAULT 'urban',
      ADD COLUMN payment_frequency text NOT NULL DEFAULT 'yearly' CHECK (payment_frequency IN ('yearly', 'half-yearly', 'quarterly', 'monthly')),
      ADD COLUMN holder_birth_date date,
      ADD COLUMN renewal_process_key text`);
    await db.query(`
      CREATE TABLE policy_status_period (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'lapsed', 'cancelled', 'expired')),
        effective_from date NOT NULL,
        effective_to date CHECK (effective_to IS NULL OR effective_to >= effective_from),
        reason text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One state per day: "was the policy in force on the care date" has one answer.
    await db.query(`ALTER TABLE policy_status_period ADD CONSTRAINT policy_status_period_no_overlap
      EXCLUDE USING gist (policy_id WITH =, daterange(effective_from, effective_to, '[]') WITH &&)`);
    await db.query(`
      CREATE TABLE policy_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        version integer NOT NULL CHECK (version > 0),
        kind text NOT NULL CHECK (kind IN ('issued', 'mid-term-change', 'renewal')),
        effective_from date NOT NULL,
        effective_to date CHECK (effective_to IS NULL OR effective_to >= effective_from),
        product_version_id uuid REFERENCES product_version(id),
        annual_deductible_cents bigint NOT NULL CHECK (annual_deductible_cents >= 0),
        insured_count integer NOT NULL CHECK (insured_count > 0),
        yearly_premium_cents bigint CHECK (yearly_premium_cents >= 0),
        period_premium_cents bigint CHECK (period_premium_cents >= 0),
        adjustment_cents bigint NOT NULL DEFAULT 0,
        breakdown jsonb,
        change text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (policy_id, version)
      )`);
    await db.query(`ALTER TABLE policy_version ADD CONSTRAINT policy_version_no_overlap
      EXCLUDE USING gist (policy_id WITH =, daterange(effective_from, effective_to, '[]') WITH &&)`);
    await db.query(`
      CREATE TABLE policy_member (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('dependant', 'beneficiary')),
        full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
        relationship text NOT NULL,
        birth_date date,
        share_percent integer CHECK (share_percent BETWEEN 1 AND 100),
        effective_from date NOT NULL,
        effective_to date CHECK (effective_to IS NULL OR effective_to >= effective_from),
        CHECK ((kind = 'dependant' AND birth_date IS NOT NULL AND share_percent IS NULL) OR (kind = 'beneficiary' AND share_percent IS NOT NULL))
      )`);
    await db.query('CREATE INDEX policy_member_policy ON policy_member (policy_id)');
    await db.query(`
      CREATE TABLE policy_renewal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES policy(id) ON DELETE CASCADE,
        term_ends_on date NOT NULL,
        new_ends_on date NOT NULL CHECK (new_ends_on > term_ends_on),
        product_version_id uuid NOT NULL REFERENCES product_version(id),
        annual_deductible_cents bigint NOT NULL CHECK (annual_deductible_cents >= 0),
        insured_count integer NOT NULL CHECK (insured_count > 0),
        yearly_premium_cents bigint NOT NULL CHECK (yearly_premium_cents >= 0),
        period_premium_cents bigint NOT NULL CHECK (period_premium_cents >= 0),
        breakdown jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('offered', 'declined', 'renewed', 'expired')),
        offered_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        UNIQUE (policy_id, term_ends_on)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE policy_renewal');
    await db.query('DROP TABLE policy_member');
    await db.query('DROP TABLE policy_version');
    await db.query('DROP TABLE policy_status_period');
    await db.query('ALTER TABLE policy DROP COLUMN region, DROP COLUMN payment_frequency, DROP COLUMN holder_birth_date, DROP COLUMN renewal_process_key');
    await db.query(`UPDATE policy SET status = CASE WHEN status = 'lapsed' THEN 'suspended' WHEN status = 'expired' THEN 'cancelled' WHEN status = 'pending' THEN 'active' ELSE status END`);
    await db.query('ALTER TABLE policy DROP CONSTRAINT policy_status_check');
    await db.query(`ALTER TABLE policy ADD CONSTRAINT policy_status_check CHECK (status IN ('active', 'suspended', 'cancelled'))`);
  }
}
