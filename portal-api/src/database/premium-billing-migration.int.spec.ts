import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/** The premium billing migration goes up, down and up again on a real PostgreSQL, seeding its ledger accounts each time. */
describe('migration PremiumBilling', () => {
  const db = migrationDatabase('premium-billing-migration');

  const tables = async () => (await db.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('billing_schedule', 'invoice', 'invoice_line', 'credit_note', 'journal_entry', 'journal_posting', 'ledger_account', 'manual_adjustment') ORDER BY tablename`)).map((r) => r.tablename);

  test('creates the billing tables with the six accounts, and takes them away again', async () => {
    expect(await migrate(db.dataSource)).toContain('PremiumBilling1765000000019');
    expect(await tables()).toHaveLength(8);
    expect((await db.dataSource.query<{ code: string }[]>('SELECT code FROM ledger_account ORDER BY code')).map((r) => r.code)).toEqual(['cash', 'claim_payouts', 'premium_income', 'premiums_receivable', 'refunds_payable', 'write_offs']);
    await db.undoThrough('PremiumBilling1765000000019');
    expect(await tables()).toEqual([]);
    expect(await migrate(db.dataSource)).toContain('PremiumBilling1765000000019');
    expect(await tables()).toHaveLength(8);
  });
});
