import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The account a new client gives on the application for reimbursements. It
 * waits here until the policy is issued, when it becomes the new customer's
 * payment details (so a first claim can be paid without the call center).
 */
export class ApplicationPaymentAccount1764920000000 implements MigrationInterface {
  name = 'ApplicationPaymentAccount1764920000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE policy_application ADD COLUMN iban text, ADD COLUMN account_holder text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE policy_application DROP COLUMN account_holder, DROP COLUMN iban`);
  }
}
