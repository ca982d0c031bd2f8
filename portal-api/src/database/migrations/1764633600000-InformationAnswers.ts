import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Clients' answers to requests for information, with the question each answers (before, only their length was audited). */
export class InformationAnswers1764633600000 implements MigrationInterface {
  name = 'InformationAnswers1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE claim_information_answer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        claim_id uuid NOT NULL REFERENCES claim(id) ON DELETE CASCADE,
        question text,
        answer text NOT NULL,
        document_ids jsonb NOT NULL DEFAULT '[]',
        answered_by text NOT NULL,
        answered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX claim_information_answer_claim ON claim_information_answer (claim_id, answered_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE claim_information_answer');
  }
}
