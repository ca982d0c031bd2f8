import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/** The billing staff migration goes up, down and up again on a real PostgreSQL. */
describe('migration BillingStaff', () => {
  const db = migrationDatabase('billing-staff-migration');

  const tables = async () => (await db.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('premium_refund', 'billing_reconciliation') ORDER BY tablename`)).map((r) => r.tablename);

  test('creates the refund and reconciliation tables, and takes them away again without touching billing', async () => {
    expect(await migrate(db.dataSource)).toContain('BillingStaff1765000000029');
    expect(await tables()).toEqual(['billing_reconciliation', 'premium_refund']);
    await db.undoThrough('BillingStaff1765000000029');
    expect(await tables()).toEqual([]);
    expect(await db.applied()).toContain('PremiumBilling1765000000019');
    expect(await migrate(db.dataSource)).toContain('BillingStaff1765000000029');
    expect(await tables()).toEqual(['billing_reconciliation', 'premium_refund']);
  });
});
