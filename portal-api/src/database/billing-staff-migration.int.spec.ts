import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from './data-source';

/** The billing staff migration goes up, down and up again on a real PostgreSQL. */
describe('migration BillingStaff', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('billing-staff-migration');
    dataSource = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const tables = async () => (await dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('premium_refund', 'billing_reconciliation') ORDER BY tablename`)).map((r) => r.tablename);
  const applied = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map((r) => r.name);

  test('creates the refund and reconciliation tables, and takes them away again without touching billing', async () => {
    expect(await migrate(dataSource)).toContain('BillingStaff1765000000029');
    expect(await tables()).toEqual(['billing_reconciliation', 'premium_refund']);
    while ((await applied()).includes('BillingStaff1765000000029')) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    expect(await applied()).toContain('PremiumBilling1765000000019');
    expect(await migrate(dataSource)).toContain('BillingStaff1765000000029');
    expect(await tables()).toEqual(['billing_reconciliation', 'premium_refund']);
  });
});
