import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Claims mailbox, review fixes: why a mail may now also wait for an agent —
 * its sender was not authenticated by our receiving host (a From header
 * alone proves nothing), it could not be taken in after several tries, or it
 * is larger than the intake reads.
 */
export class IntakeReasons1765000000031 implements MigrationInterface {
  name = 'IntakeReasons1765000000031';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE intake_email DROP CONSTRAINT intake_email_queue_reason_check, ADD CONSTRAINT intake_email_queue_reason_check
      CHECK (queue_reason IN ('unknown-sender', 'unverified-sender', 'foreign-reference', 'closed-claim', 'no-attachment', 'attachments-refused', 'no-active-policy', 'unreadable', 'too-large'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE intake_email DROP CONSTRAINT intake_email_queue_reason_check, ADD CONSTRAINT intake_email_queue_reason_check
      CHECK (queue_reason IN ('unknown-sender', 'foreign-reference', 'closed-claim', 'no-attachment', 'attachments-refused', 'no-active-policy'))`);
  }
}
