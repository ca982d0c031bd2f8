import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/** The underwriter's words kept on the application: the migration goes up, down and up again on a real PostgreSQL. */
describe('migration UnderwriterNotes', () => {
  const db = migrationDatabase('underwriter-notes-migration');

  const columns = async () => (await db.dataSource.query<{ column_name: string }[]>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'policy_application' AND column_name IN ('underwriter_question', 'underwriting_note') ORDER BY 1`)).map((r) => r.column_name);

  test('adds the underwriter\'s columns to policy_application, and takes them away again', async () => {
    expect(await migrate(db.dataSource)).toContain('UnderwriterNotes1764930000000');
    expect(await columns()).toEqual(['underwriter_question', 'underwriting_note']);
    await db.undoThrough('UnderwriterNotes1764930000000');
    expect(await columns()).toEqual([]);
    expect(await migrate(db.dataSource)).toContain('UnderwriterNotes1764930000000');
    expect(await columns()).toEqual(['underwriter_question', 'underwriting_note']);
  });
});
