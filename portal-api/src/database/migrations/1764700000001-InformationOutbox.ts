import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A client's answer is committed first and published to the engine after the
 * commit (record, commit, call): `published_at` says whether the engine has
 * it, so the sweep republishes only what did not get through. Answers kept
 * before were published inside their transaction, so they count as published.
 */
export class InformationOutbox1764700000001 implements MigrationInterface {
  name = 'InformationOutbox1764700000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE claim_information_answer ADD COLUMN published_at timestamptz`);
    await db.query(`UPDATE claim_information_answer SET published_at = answered_at`);
    await db.query(`CREATE INDEX claim_information_answer_unpublished ON claim_information_answer (answered_at) WHERE published_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX claim_information_answer_unpublished`);
    await db.query(`ALTER TABLE claim_information_answer DROP COLUMN published_at`);
  }
}
