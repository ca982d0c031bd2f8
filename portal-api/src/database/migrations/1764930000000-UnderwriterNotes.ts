import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The underwriter's free text (it often holds medical facts) kept on the
 * application instead of in process variables, which the operations view
 * shows: the question they are about to ask (until the worker sends it) and
 * their note for the file. Their words for a declined client go to the
 * existing client_reason column.
 */
export class UnderwriterNotes1764930000000 implements MigrationInterface {
  name = 'UnderwriterNotes1764930000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE policy_application ADD COLUMN underwriter_question text, ADD COLUMN underwriting_note text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE policy_application DROP COLUMN underwriting_note, DROP COLUMN underwriter_question`);
  }
}
