import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Notices staff actions owe clients, kept until the portal's mailer has sent them. */
export class ClientNotices1764590000000 implements MigrationInterface {
  name = 'ClientNotices1764590000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE client_notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id),
        claim_id uuid REFERENCES claim(id),
        template text NOT NULL,
        "values" jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await db.query('CREATE INDEX client_notice_unsent ON client_notice (created_at) WHERE sent_at IS NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE client_notice');
  }
}
