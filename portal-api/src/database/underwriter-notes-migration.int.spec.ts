import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from './data-source';

/** The underwriter's words kept on the application: the migration goes up, down and up again on a real PostgreSQL. */
describe('migration UnderwriterNotes', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('underwriter-notes-migration');
    dataSource = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const columns = async () => (await dataSource.query<{ column_name: string }[]>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'policy_application' AND column_name IN ('underwriter_question', 'underwriting_note') ORDER BY 1`)).map((r) => r.column_name);

  test('adds the underwriter\'s columns to policy_application, and takes them away again', async () => {
    expect(await migrate(dataSource)).toContain('UnderwriterNotes1764930000000');
    expect(await columns()).toEqual(['underwriter_question', 'underwriting_note']);
    const applied = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map((r) => r.name);
    while ((await applied()).includes('UnderwriterNotes1764930000000')) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await columns()).toEqual([]);
    expect(await migrate(dataSource)).toContain('UnderwriterNotes1764930000000');
    expect(await columns()).toEqual(['underwriter_question', 'underwriting_note']);
  });
});
