import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from './data-source';

/** The application's account for reimbursements: the migration goes up, down and up again on a real PostgreSQL. */
describe('migration ApplicationPaymentAccount', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('application-payment-account-migration');
    dataSource = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const columns = async () => (await dataSource.query<{ column_name: string }[]>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'policy_application' AND column_name IN ('iban', 'account_holder') ORDER BY 1`)).map((r) => r.column_name);

  test('adds the account columns to policy_application, and takes them away again', async () => {
    expect(await migrate(dataSource)).toContain('ApplicationPaymentAccount1764920000000');
    expect(await columns()).toEqual(['account_holder', 'iban']);
    const applied = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map((r) => r.name);
    // Undo down to this migration (later ones, if any, first).
    while ((await applied()).includes('ApplicationPaymentAccount1764920000000')) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await columns()).toEqual([]);
    expect(await migrate(dataSource)).toContain('ApplicationPaymentAccount1764920000000');
    expect(await columns()).toEqual(['account_holder', 'iban']);
  });
});
