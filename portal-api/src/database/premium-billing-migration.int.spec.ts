import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from './data-source';

/** The premium billing migration goes up, down and up again on a real PostgreSQL, seeding its ledger accounts each time. */
describe('migration PremiumBilling', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('premium-billing-migration');
    dataSource = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const tables = async () => (await dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('billing_schedule', 'invoice', 'invoice_line', 'credit_note', 'journal_entry', 'journal_posting', 'ledger_account', 'manual_adjustment') ORDER BY tablename`)).map((r) => r.tablename);

  test('creates the billing tables with the six accounts, and takes them away again', async () => {
    expect(await migrate(dataSource)).toContain('PremiumBilling1765000000019');
    expect(await tables()).toHaveLength(8);
    expect((await dataSource.query<{ code: string }[]>('SELECT code FROM ledger_account ORDER BY code')).map((r) => r.code)).toEqual(['cash', 'claim_payouts', 'premium_income', 'premiums_receivable', 'refunds_payable', 'write_offs']);
    const applied = async () => (await dataSource.query<{ name: string }[]>('SELECT name FROM schema_migration')).map((r) => r.name);
    while ((await applied()).includes('PremiumBilling1765000000019')) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    expect(await migrate(dataSource)).toContain('PremiumBilling1765000000019');
    expect(await tables()).toHaveLength(8);
  });
});
