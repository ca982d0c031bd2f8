import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The dashboards and the client's payment date estimate read the status
 * history by status and time ("claims paid in the last 90 days", "reviews
 * begun this month"); without this they would read every claim's events.
 */
export class DashboardIndexes1764910000017 implements MigrationInterface {
  name = 'DashboardIndexes1764910000017';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX claim_event_status_at ON claim_event (status, at) WHERE status IS NOT NULL`);
    // Completions per person in a range, and each task's latest command.
    await db.query(`CREATE INDEX user_task_command_settled ON user_task_command (user_task_key, settled_at) WHERE state = 'done'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX user_task_command_settled`);
    await db.query(`DROP INDEX claim_event_status_at`);
  }
}
