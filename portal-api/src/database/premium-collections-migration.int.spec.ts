import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/**
 * The premium collections migration goes up, down and up again on a real
 * PostgreSQL: its tables, the one pending attempt per invoice, and the ledger
 * kind `payment-reversed` it adds (and takes back).
 */
describe('migration PremiumCollections', () => {
  const db = migrationDatabase('premium-collections-migration');

  const tables = async () => (await db.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('payment_method', 'collection_case', 'collection_attempt') ORDER BY tablename`)).map((r) => r.tablename);
  /** Whether the journal takes an entry of `kind` (rolled back either way: an entry without postings never commits). */
  const journalTakes = (kind: string) => db.accepts(`INSERT INTO journal_entry (idempotency_key, kind, reference) VALUES ('probe', $1, 'X')`, [kind]);

  test('creates the collection tables and the reversal kind, and takes them away again', async () => {
    expect(await migrate(db.dataSource)).toContain('PremiumCollections1765000000119');
    expect(await tables()).toEqual(['collection_attempt', 'collection_case', 'payment_method']);
    expect(await journalTakes('payment-reversed')).toBe(true);
    expect(await journalTakes('payment-refused')).toBe(false);
    const [index] = await db.dataSource.query<{ indexdef: string }[]>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'collection_attempt_one_pending'`);
    expect(index!.indexdef).toMatch(/UNIQUE INDEX .* \(invoice_id\) WHERE \(outcome = 'pending'/);
    await db.undoThrough('PremiumCollections1765000000119');
    expect(await tables()).toEqual([]);
    expect(await journalTakes('payment-reversed')).toBe(false);
    expect(await journalTakes('payment-received')).toBe(true);
    expect(await migrate(db.dataSource)).toContain('PremiumCollections1765000000119');
    expect(await tables()).toHaveLength(3);
  });
});
