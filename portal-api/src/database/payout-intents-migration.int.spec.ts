import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from './data-source';

/** The payout-intent migration goes up, down and up again on a real PostgreSQL. */
describe('migration PayoutIntents', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('payout-intents-migration');
    dataSource = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const indexes = async () => (await dataSource.query<{ indexname: string }[]>(`SELECT indexname FROM pg_indexes WHERE tablename = 'payout' ORDER BY indexname`)).map((r) => r.indexname);

  test('adds attempts and the pending status, and takes them away again', async () => {
    expect(await migrate(dataSource)).toContain('PayoutIntents1764650000000');
    expect(await indexes()).toEqual(expect.arrayContaining(['payout_attempt_once', 'payout_one_pending', 'payout_paid_once']));
    // Undo down to this migration (later ones, if any, first).
    const applied = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map((r) => r.name);
    while ((await applied()).includes('PayoutIntents1764650000000')) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await indexes()).not.toContain('payout_one_pending');
    const columns = (await dataSource.query<{ column_name: string }[]>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'payout'`)).map((r) => r.column_name);
    expect(columns).not.toContain('attempt');
    expect(await migrate(dataSource)).toContain('PayoutIntents1764650000000');
  });
});
