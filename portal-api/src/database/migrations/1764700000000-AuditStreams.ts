import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Audit entries chained per stream (the entity they are about, `claim:<id>`)
 * instead of in one chain for the whole table, so audited writes on different
 * claims no longer queue behind one lock. Entries written before keep their
 * single chain (`stream` NULL) and are verified as before.
 */
export class AuditStreams1764700000000 implements MigrationInterface {
  name = 'AuditStreams1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_entry ADD COLUMN stream text`);
    // The append reads its stream's last entry under the stream's lock.
    await db.query(`CREATE INDEX audit_entry_stream ON audit_entry (stream, seq) WHERE stream IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    // Rows are append-only: entries chained per stream cannot be re-linked into one chain, and
    // without the column the old verification would report them as broken. Refuse rather than lie.
    const rows = (await db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE stream IS NOT NULL`)) as { n: number }[];
    if (rows[0]!.n > 0) throw new Error('audit_entry holds entries chained per stream; they cannot be folded back into one chain');
    await db.query(`DROP INDEX audit_entry_stream`);
    await db.query(`ALTER TABLE audit_entry DROP COLUMN stream`);
  }
}
