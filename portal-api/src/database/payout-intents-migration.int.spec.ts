import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/** The payout-intent migration goes up, down and up again on a real PostgreSQL. */
describe('migration PayoutIntents', () => {
  const db = migrationDatabase('payout-intents-migration');

  const indexes = async () => (await db.dataSource.query<{ indexname: string }[]>(`SELECT indexname FROM pg_indexes WHERE tablename = 'payout' ORDER BY indexname`)).map((r) => r.indexname);

  test('adds attempts and the pending status, and takes them away again', async () => {
    expect(await migrate(db.dataSource)).toContain('PayoutIntents1764650000000');
    expect(await indexes()).toEqual(expect.arrayContaining(['payout_attempt_once', 'payout_one_pending', 'payout_paid_once']));
    // Undo down to this migration (later ones, if any, first).
    await db.undoThrough('PayoutIntents1764650000000');
    expect(await indexes()).not.toContain('payout_one_pending');
    const columns = (await db.dataSource.query<{ column_name: string }[]>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'payout'`)).map((r) => r.column_name);
    expect(columns).not.toContain('attempt');
    expect(await migrate(db.dataSource)).toContain('PayoutIntents1764650000000');
  });
});
