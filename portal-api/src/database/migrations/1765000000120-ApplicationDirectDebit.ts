import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Whether the applicant asked, on the application, for premiums to be taken
 * from the account they gave by SEPA direct debit. The mandate is theirs to
 * give (the account alone is for reimbursements), so it is a choice kept
 * with the application; issuing the policy turns it into the policy's
 * payment method with a mandate signed that day.
 */
export class ApplicationDirectDebit1765000000120 implements MigrationInterface {
  name = 'ApplicationDirectDebit1765000000120';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE policy_application ADD COLUMN premiums_by_direct_debit boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE policy_application DROP COLUMN premiums_by_direct_debit`);
  }
}
