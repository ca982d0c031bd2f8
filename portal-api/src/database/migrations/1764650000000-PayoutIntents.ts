import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Payouts are recorded as an intent (`pending`) before the payment provider
 * is called; attempts are numbered per claim, with one open attempt at most.
 */
export class PayoutIntents1764650000000 implements MigrationInterface {
  name = 'PayoutIntents1764650000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE payout ADD COLUMN attempt integer CHECK (attempt > 0)`);
    await db.query(`ALTER TABLE payout DROP CONSTRAINT payout_status_check`);
    await db.query(`ALTER TABLE payout ADD CONSTRAINT payout_status_check CHECK (status IN ('pending', 'paid', 'rejected'))`);
    await db.query(`CREATE UNIQUE INDEX payout_attempt_once ON payout (claim_id, attempt) WHERE attempt IS NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX payout_one_pending ON payout (claim_id) WHERE status = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX payout_one_pending`);
    await db.query(`DROP INDEX payout_attempt_once`);
    await db.query(`DELETE FROM payout WHERE status = 'pending'`);
    await db.query(`ALTER TABLE payout DROP CONSTRAINT payout_status_check`);
    await db.query(`ALTER TABLE payout ADD CONSTRAINT payout_status_check CHECK (status IN ('paid', 'rejected'))`);
    await db.query(`ALTER TABLE payout DROP COLUMN attempt`);
  }
}
