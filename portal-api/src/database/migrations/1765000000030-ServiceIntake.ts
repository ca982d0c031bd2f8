import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Customer service, intake side: the mail that came to the claims mailbox
 * (one row per Message-ID, so a re-delivered mail is recognised), each of its
 * attachments with why it was refused when it was, the agents' queue over the
 * unmatched mail, and the satisfaction survey sent once per closed claim.
 */
export class ServiceIntake1765000000030 implements MigrationInterface {
  name = 'ServiceIntake1765000000030';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE intake_email (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message_id text NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 998),
        from_address text NOT NULL,
        from_name text NOT NULL DEFAULT '',
        subject text NOT NULL DEFAULT '',
        body_text text NOT NULL DEFAULT '',
        received_at timestamptz NOT NULL DEFAULT now(),
        size_bytes integer NOT NULL CHECK (size_bytes >= 0),
        status text NOT NULL CHECK (status IN ('queued', 'draft-opened', 'attached', 'dismissed')),
        queue_reason text CHECK (queue_reason IN ('unknown-sender', 'foreign-reference', 'closed-claim', 'no-attachment', 'attachments-refused', 'no-active-policy')),
        customer_id uuid REFERENCES customer(id),
        claim_id uuid REFERENCES claim(id),
        assigned_to text,
        resolved_by text,
        resolved_team text,
        resolved_at timestamptz,
        dismiss_reason text CHECK (length(dismiss_reason) <= 500),
        CHECK ((status = 'queued') = (resolved_at IS NULL)),
        CHECK (status <> 'queued' OR queue_reason IS NOT NULL),
        CHECK (status NOT IN ('draft-opened', 'attached') OR (claim_id IS NOT NULL AND customer_id IS NOT NULL)),
        CHECK (status <> 'dismissed' OR dismiss_reason IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX intake_email_queue ON intake_email (received_at) WHERE status = 'queued'`);
    await db.query(`CREATE INDEX intake_email_resolved ON intake_email (resolved_at) WHERE resolved_at IS NOT NULL`);
    await db.query(`
      CREATE TABLE intake_attachment (
        email_id uuid NOT NULL REFERENCES intake_email(id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 1),
        file_name text NOT NULL,
        media_type text,
        size_bytes integer NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL,
        storage_key text,
        refused_reason text,
        document_id uuid REFERENCES document(id),
        PRIMARY KEY (email_id, position),
        CHECK ((storage_key IS NULL) = (refused_reason IS NOT NULL)),
        CHECK (document_id IS NULL OR storage_key IS NOT NULL)
      )`);
    await db.query(`
      CREATE TABLE satisfaction_survey (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id uuid NOT NULL UNIQUE REFERENCES claim(id),
        customer_id uuid NOT NULL REFERENCES customer(id),
        agent text,
        team text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        answered_at timestamptz,
        score smallint CHECK (score BETWEEN 1 AND 5),
        comment text CHECK (length(comment) <= 2000),
        CHECK ((answered_at IS NULL) = (score IS NULL)),
        CHECK (expires_at > created_at)
      )`);
    await db.query(`CREATE INDEX satisfaction_survey_answered ON satisfaction_survey (answered_at) WHERE answered_at IS NOT NULL`);
    // The key survey links are signed with, made once per database unless a setting gives one.
    await db.query(`CREATE TABLE service_secret (name text PRIMARY KEY, value text NOT NULL CHECK (length(value) >= 32))`);
    await db.query(`INSERT INTO service_secret (name, value) VALUES ('survey-link', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE service_secret');
    await db.query('DROP TABLE satisfaction_survey');
    await db.query('DROP TABLE intake_attachment');
    await db.query('DROP TABLE intake_email');
  }
}
