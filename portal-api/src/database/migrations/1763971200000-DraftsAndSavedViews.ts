import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Clients' unsent claim drafts and staff's saved task list views. */
export class DraftsAndSavedViews1763971200000 implements MigrationInterface {
  name = 'DraftsAndSavedViews1763971200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE claim_draft (
        subject text PRIMARY KEY,
        data jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE saved_task_view (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        query jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (owner, name)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE saved_task_view');
    await db.query('DROP TABLE claim_draft');
  }
}
