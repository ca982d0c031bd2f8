import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/**
 * The contract-administration migration: a policy inserted with the columns
 * of before (as the application process's issuePolicy does) stays valid and
 * is active, priced yearly; the new states are accepted; down and up again.
 */
describe('migration ContractAdministration', () => {
  const db = migrationDatabase('contract-administration-migration');

  const insertOldStyle = async (number: string) => {
    const [customer] = await db.dataSource.query<{ id: string }[]>(`INSERT INTO customer (subject, full_name, email) VALUES ($1, 'Old Style', 'old@example.com') RETURNING id`, [`subject-${number}`]);
    const [policy] = await db.dataSource.query<{ id: string }[]>(
      `INSERT INTO policy (number, customer_id, product, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit)
       VALUES ($1, $2, 'Health Plus', 'active', '2026-01-01', '2026-12-31', 'EUR', 100, 0.8, 25000) RETURNING id`,
      [number, customer!.id],
    );
    return policy!.id;
  };

  test('keeps inserts of before valid, takes the six states, and goes down and up again', async () => {
    expect(await migrate(db.dataSource)).toContain('ContractAdministration1764900000000');
    const id = await insertOldStyle('POL-OLD-1');
    expect(await db.dataSource.query('SELECT status, region, payment_frequency, holder_birth_date, renewal_process_key FROM policy WHERE id = $1', [id])).toEqual([{ status: 'active', region: 'urban', payment_frequency: 'yearly', holder_birth_date: null, renewal_process_key: null }]);
    await db.dataSource.query(`UPDATE policy SET status = 'lapsed' WHERE id = $1`, [id]);
    await expect(db.dataSource.query(`UPDATE policy SET status = 'dormant' WHERE id = $1`, [id])).rejects.toThrow(/policy_status_check/);
    // One state per day: overlapping periods are refused by the database.
    await db.dataSource.query(`INSERT INTO policy_status_period (policy_id, status, effective_from, effective_to, reason, recorded_by) VALUES ($1, 'active', '2026-01-01', NULL, 'issued', 'test')`, [id]);
    await expect(db.dataSource.query(`INSERT INTO policy_status_period (policy_id, status, effective_from, effective_to, reason, recorded_by) VALUES ($1, 'lapsed', '2026-03-01', '2026-03-31', 'unpaid', 'test')`, [id])).rejects.toThrow(/policy_status_period_no_overlap/);
    await db.undoThrough('ContractAdministration1764900000000');
    expect(await db.dataSource.query('SELECT status FROM policy WHERE id = $1', [id])).toEqual([{ status: 'suspended' }]);
    // The migration's own tables are gone; tables of earlier migrations (policy_benefit, policy_application) stay.
    const contractTables = ['policy_member', 'policy_renewal', 'policy_status_period', 'policy_version'];
    const left = (await db.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE tablename = ANY($1) ORDER BY tablename`, [contractTables])).map((r) => r.tablename);
    expect(left).toEqual([]);
    expect((await db.dataSource.query<{ tablename: string }[]>(`SELECT tablename FROM pg_tables WHERE tablename = 'policy_benefit'`)).length).toBe(1);
    expect(await migrate(db.dataSource)).toContain('ContractAdministration1764900000000');
    expect((await db.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM policy_version'))[0]!.n).toBe(0);
  });
});
