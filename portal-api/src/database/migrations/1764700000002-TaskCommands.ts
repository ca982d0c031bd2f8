import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Staff actions on user tasks (claim, unclaim, complete) as an outbox: the
 * command is committed first, then sent to the engine, then settled (audit
 * entry and staff note) in a transaction of its own, so no transaction is
 * held across the engine call and a command whose answer was lost is
 * finished by the sweep rather than forgotten or applied twice.
 */
export class TaskCommands1764700000002 implements MigrationInterface {
  name = 'TaskCommands1764700000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE user_task_command (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_task_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('assign', 'unassign', 'complete')),
        variables jsonb NOT NULL DEFAULT '{}',
        actor_subject text NOT NULL,
        actor_name text NOT NULL,
        audit_action text NOT NULL,
        audit_details jsonb NOT NULL,
        claim_id uuid REFERENCES claim(id) ON DELETE CASCADE,
        staff_note text,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'refused')),
        created_at timestamptz NOT NULL DEFAULT now(),
        attempted_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz
      )`);
    // One command at a time per task: a second while the first is still being applied is refused (409).
    await db.query(`CREATE UNIQUE INDEX user_task_command_one_pending ON user_task_command (user_task_key) WHERE state = 'pending'`);
    await db.query(`CREATE INDEX user_task_command_waiting ON user_task_command (attempted_at) WHERE state = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE user_task_command');
  }
}
