import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Customer service (issue 20): every contact with a customer, on any channel,
 * and the follow-ups promised during it.
 *
 * `customer_interaction` is append-only: a mistake is put right by a new row
 * that names the row it corrects (`corrects_id`), never by changing the old
 * one, so the timeline shows what the agent wrote and when. A trigger refuses
 * UPDATE and DELETE. `notes` are the agent's own words and never reach the
 * client; `summary` is what the contact was about.
 *
 * A retried request (the agent's double click, a mail read twice by the
 * intake) carries the same `idempotency_key` and finds the row it wrote.
 *
 * `follow_up` is one promise with a due date, assigned to an agent or to a
 * team (exactly one of them), driven by the customer-follow-up process;
 * `closed_at` is set exactly when it is done or cancelled.
 *
 * A claim records the channel it came in by (the extranet, a phone call with
 * an agent, an email to the claims mailbox) and the agent who filed it for the
 * client, if one did. Claims of before came in by the extranet.
 */
export class CustomerService1765000000020 implements MigrationInterface {
  name = 'CustomerService1765000000020';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE customer_interaction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id),
        channel text NOT NULL CHECK (channel IN ('call', 'email', 'chat', 'letter', 'sms')),
        direction text NOT NULL CHECK (direction IN ('in', 'out')),
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 500),
        notes text CHECK (notes IS NULL OR length(notes) <= 4000),
        outcome text CHECK (outcome IS NULL OR length(outcome) BETWEEN 1 AND 200),
        claim_id uuid REFERENCES claim(id),
        policy_id uuid REFERENCES policy(id),
        agent_subject text NOT NULL,
        agent_name text NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        corrects_id uuid REFERENCES customer_interaction(id),
        idempotency_key text CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 200),
        CHECK (corrects_id IS NULL OR corrects_id <> id),
        UNIQUE (customer_id, idempotency_key)
      )`);
    await db.query('CREATE INDEX customer_interaction_timeline ON customer_interaction (customer_id, occurred_at DESC, id DESC)');
    await db.query('CREATE INDEX customer_interaction_claim ON customer_interaction (claim_id) WHERE claim_id IS NOT NULL');
    await db.query('CREATE INDEX customer_interaction_corrects ON customer_interaction (corrects_id) WHERE corrects_id IS NOT NULL');
    await db.query(`
      CREATE FUNCTION customer_interaction_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'customer_interaction is append-only: record a correction instead' USING ERRCODE = 'restrict_violation';
      END $$`);
    await db.query(`CREATE TRIGGER customer_interaction_append_only BEFORE UPDATE OR DELETE ON customer_interaction
      FOR EACH ROW EXECUTE FUNCTION customer_interaction_append_only()`);
    await db.query(`
      CREATE TABLE follow_up (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id),
        interaction_id uuid NOT NULL REFERENCES customer_interaction(id),
        assignee_agent text CHECK (assignee_agent IS NULL OR length(assignee_agent) BETWEEN 1 AND 100),
        assignee_team text CHECK (assignee_team IS NULL OR length(assignee_team) BETWEEN 1 AND 100),
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'escalated', 'cancelled')),
        outcome text CHECK (outcome IS NULL OR length(outcome) BETWEEN 1 AND 500),
        process_instance_key text UNIQUE,
        escalated_at timestamptz,
        closed_at timestamptz,
        closed_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (num_nonnulls(assignee_agent, assignee_team) = 1),
        CHECK ((status IN ('done', 'cancelled')) = (closed_at IS NOT NULL AND closed_by IS NOT NULL)),
        CHECK (status <> 'done' OR outcome IS NOT NULL),
        CHECK (status <> 'escalated' OR escalated_at IS NOT NULL)
      )`);
    await db.query('CREATE INDEX follow_up_customer ON follow_up (customer_id, due_at)');
    await db.query('CREATE UNIQUE INDEX follow_up_interaction ON follow_up (interaction_id)');
    await db.query(`ALTER TABLE claim
      ADD COLUMN intake_channel text NOT NULL DEFAULT 'extranet' CHECK (intake_channel IN ('extranet', 'phone', 'email')),
      ADD COLUMN filed_by_agent text,
      ADD CONSTRAINT claim_phone_has_agent CHECK (intake_channel <> 'phone' OR filed_by_agent IS NOT NULL)`);
    await db.query(`CREATE INDEX follow_up_open_due ON follow_up (due_at) WHERE status IN ('open', 'escalated')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE claim DROP CONSTRAINT claim_phone_has_agent, DROP COLUMN filed_by_agent, DROP COLUMN intake_channel');
    await db.query('DROP TABLE follow_up');
    await db.query('DROP TABLE customer_interaction');
    await db.query('DROP FUNCTION customer_interaction_append_only()');
  }
}
