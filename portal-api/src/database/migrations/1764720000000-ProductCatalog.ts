import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The product catalog (products, versions with effective dates, benefit
 * schedules) and quotes. Money is integer cents (bigint), rates are
 * thousandths. A policy may name the product version it was sold on; its
 * own schedule (policy_benefit) stays the copy the benefit calculation reads.
 */
export class ProductCatalog1764720000000 implements MigrationInterface {
  name = 'ProductCatalog1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE product (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9_]{1,39}$'),
        name text NOT NULL,
        category text NOT NULL,
        summary text NOT NULL
      )`);
    await db.query(`
      CREATE TABLE product_version (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_id uuid NOT NULL REFERENCES product(id),
        version integer NOT NULL CHECK (version > 0),
        effective_from date NOT NULL,
        effective_to date CHECK (effective_to IS NULL OR effective_to >= effective_from),
        currency text NOT NULL,
        annual_limit_cents bigint NOT NULL CHECK (annual_limit_cents > 0),
        coinsurance_permille integer NOT NULL CHECK (coinsurance_permille BETWEEN 0 AND 1000),
        deductible_options_cents bigint[] NOT NULL CHECK (cardinality(deductible_options_cents) > 0),
        max_entry_age integer NOT NULL CHECK (max_entry_age BETWEEN 0 AND 120),
        UNIQUE (product_id, version)
      )`);
    // Two versions of a product never overlap, so "the terms on a date" has one answer.
    await db.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await db.query(`ALTER TABLE product_version ADD CONSTRAINT product_version_no_overlap
      EXCLUDE USING gist (product_id WITH =, daterange(effective_from, effective_to, '[]') WITH &&)`);
    await db.query(`
      CREATE TABLE product_benefit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_version_id uuid NOT NULL REFERENCES product_version(id) ON DELETE CASCADE,
        care_code text NOT NULL,
        label text NOT NULL,
        per_item_limit_cents bigint NOT NULL CHECK (per_item_limit_cents > 0),
        annual_limit_cents bigint NOT NULL CHECK (annual_limit_cents >= per_item_limit_cents),
        waiting_period_days integer NOT NULL CHECK (waiting_period_days >= 0),
        required_documents text[] NOT NULL,
        UNIQUE (product_version_id, care_code)
      )`);
    await db.query('ALTER TABLE policy ADD COLUMN product_version_id uuid REFERENCES product_version(id)');
    await db.query(`
      CREATE TABLE quote (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_subject text NOT NULL,
        product_version_id uuid NOT NULL REFERENCES product_version(id),
        starts_on date NOT NULL,
        region text NOT NULL,
        deductible_cents bigint NOT NULL CHECK (deductible_cents >= 0),
        payment_frequency text NOT NULL CHECK (payment_frequency IN ('yearly', 'half-yearly', 'quarterly', 'monthly')),
        insured jsonb NOT NULL,
        currency text NOT NULL,
        period_premium_cents bigint NOT NULL CHECK (period_premium_cents >= 0),
        periods_per_year integer NOT NULL CHECK (periods_per_year IN (1, 2, 4, 12)),
        yearly_premium_cents bigint NOT NULL CHECK (yearly_premium_cents = period_premium_cents * periods_per_year),
        breakdown jsonb NOT NULL,
        pricing jsonb NOT NULL,
        valid_until date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX quote_owner ON quote (owner_subject, created_at DESC)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE quote');
    await db.query('ALTER TABLE policy DROP COLUMN product_version_id');
    await db.query('DROP TABLE product_benefit');
    await db.query('DROP TABLE product_version');
    await db.query('DROP TABLE product');
  }
}
