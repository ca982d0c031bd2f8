import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/**
 * Refunds of overpaid charges: the migration goes up (a refund is for a
 * credit note or an attempt, never both or neither; the journal takes
 * `overpayment-refund-due`), down and up again on a real PostgreSQL.
 */
describe('migration OverpaymentRefunds', () => {
  const db = migrationDatabase('overpayment-refunds-migration');
  const NAME = 'OverpaymentRefunds1765000000121';

  const entryOfKind = (kind: string) => db.accepts(`INSERT INTO journal_entry (idempotency_key, kind, reference) VALUES ('probe', $1, 'X')`, [kind]);
  const forOneCheck = async () => (await db.dataSource.query<{ def: string }[]>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'premium_refund_for_one'`))[0]?.def;

  test('lets a refund be for an attempt, takes the new journal kind, and takes both back', async () => {
    expect(await migrate(db.dataSource)).toContain(NAME);
    expect(await entryOfKind('overpayment-refund-due')).toBe(true);
    const [column] = await db.dataSource.query<{ is_nullable: string }[]>(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'premium_refund' AND column_name = 'credit_note_id'`);
    expect(column).toEqual({ is_nullable: 'YES' });
    expect(await forOneCheck()).toContain('num_nonnulls(credit_note_id, collection_attempt_id) = 1');
    await db.undoThrough(NAME);
    expect(await forOneCheck()).toBeUndefined();
    expect(await entryOfKind('overpayment-refund-due')).toBe(false);
    expect(await entryOfKind('payment-reversed')).toBe(true);
    expect(await db.dataSource.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'premium_refund' AND column_name = 'collection_attempt_id'`)).toEqual([]);
    expect(await migrate(db.dataSource)).toContain(NAME);
    expect(await forOneCheck()).toContain('num_nonnulls');
  });
});
