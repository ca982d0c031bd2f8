import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/** The application's account for reimbursements: the migration goes up, down and up again on a real PostgreSQL. */
describe('migration ApplicationPaymentAccount', () => {
  const db = migrationDatabase('application-payment-account-migration');

  const columns = async () => (await db.dataSource.query<{ column_name: string }[]>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'policy_application' AND column_name IN ('iban', 'account_holder') ORDER BY 1`)).map((r) => r.column_name);

  test('adds the account columns to policy_application, and takes them away again', async () => {
    expect(await migrate(db.dataSource)).toContain('ApplicationPaymentAccount1764920000000');
    expect(await columns()).toEqual(['account_holder', 'iban']);
    // Undo down to this migration (later ones, if any, first).
    await db.undoThrough('ApplicationPaymentAccount1764920000000');
    expect(await columns()).toEqual([]);
    expect(await migrate(db.dataSource)).toContain('ApplicationPaymentAccount1764920000000');
    expect(await columns()).toEqual(['account_holder', 'iban']);
  });
});
