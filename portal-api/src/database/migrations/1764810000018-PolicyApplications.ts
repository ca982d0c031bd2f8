import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Policy applications (issue 18): the application record the portal keeps
 * (people, the health questionnaire, the underwriting outcome, the offer),
 * so that medical answers never become process variables; and the documents
 * a client receives outside a claim (a policy's schedule), for "my documents";
 * and the documents a client sends with an application.
 */
export class PolicyApplications1764810000018 implements MigrationInterface {
  name = 'PolicyApplications1764810000018';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE policy_application_number_seq START 1`);
    await db.query(`
      CREATE TABLE policy_application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reference text NOT NULL UNIQUE DEFAULT ('APP-' || lpad(nextval('policy_application_number_seq')::text, 6, '0')),
        owner_subject text NOT NULL,
        quote_id uuid NOT NULL UNIQUE REFERENCES quote (id),
        status text NOT NULL CHECK (status IN ('submitted', 'referred', 'information-requested', 'offered', 'accepted', 'issued', 'declined', 'expired')),
        people jsonb NOT NULL,
        contact jsonb NOT NULL,
        questionnaire jsonb NOT NULL,
        outcome text CHECK (outcome IN ('accept', 'refer', 'decline')),
        reason_codes text[] NOT NULL DEFAULT '{}',
        client_reason text,
        information_request text,
        information_kind text CHECK (information_kind IN ('information', 'medical-exam')),
        information_due timestamptz,
        information_answer text,
        offer_valid_until timestamptz,
        process_instance_key text,
        decided_by text,
        policy_id uuid UNIQUE REFERENCES policy (id),
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX policy_application_owner_idx ON policy_application (owner_subject, created_at DESC)`);
    // What the client sends with an application (a medical report, an exam's results): read by the underwriter only.
    await db.query(`
      CREATE TABLE application_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id uuid NOT NULL REFERENCES policy_application (id),
        name text NOT NULL,
        storage_key text NOT NULL,
        media_type text NOT NULL,
        size integer NOT NULL,
        sha256 text NOT NULL,
        uploaded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX application_document_application_idx ON application_document (application_id, created_at)`);
    await db.query(`
      CREATE TABLE client_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer (id),
        policy_id uuid REFERENCES policy (id),
        kind text NOT NULL CHECK (kind IN ('policy-schedule')),
        name text NOT NULL,
        storage_key text NOT NULL,
        media_type text NOT NULL,
        size integer NOT NULL,
        sha256 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (policy_id, kind)
      )`);
    await db.query(`CREATE INDEX client_document_customer_idx ON client_document (customer_id, created_at DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE client_document');
    await db.query('DROP TABLE application_document');
    await db.query('DROP TABLE policy_application');
    await db.query('DROP SEQUENCE policy_application_number_seq');
  }
}
