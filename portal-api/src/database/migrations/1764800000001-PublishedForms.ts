import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The forms the portal shows outside a user task, kept by the portal itself:
 * Camunda 8 links a form only to user tasks and none start events, and its
 * REST API returns a form's content only through those, so the extranet's
 * request form (the claim process starts on a message) cannot come from the
 * engine. Each changed content is a new version; unchanged content is not.
 */
export class PublishedForms1764800000001 implements MigrationInterface {
  name = 'PublishedForms1764800000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE published_form (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        form_id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        schema jsonb NOT NULL,
        content_sha256 text NOT NULL,
        source text NOT NULL CHECK (source IN ('repository', 'deployment')),
        published_by text NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (form_id, version)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE published_form');
  }
}
