import { migrationDatabase } from '../testing/migration-database';
import { migrate } from './data-source';

/** The applicant's direct-debit choice: the migration goes up (existing applications default to no), down and up again on a real PostgreSQL. */
describe('migration ApplicationDirectDebit', () => {
  const db = migrationDatabase('application-direct-debit-migration');

  const column = async () => (await db.dataSource.query<{ data_type: string; is_nullable: string; column_default: string }[]>(`SELECT data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = 'policy_application' AND column_name = 'premiums_by_direct_debit'`))[0];

  test('adds the choice to policy_application, false for applications taken before, and takes it away again', async () => {
    expect(await migrate(db.dataSource)).toContain('ApplicationDirectDebit1765000000120');
    expect(await column()).toEqual({ data_type: 'boolean', is_nullable: 'NO', column_default: 'false' });
    await db.undoThrough('ApplicationDirectDebit1765000000120');
    expect(await column()).toBeUndefined();
    expect(await migrate(db.dataSource)).toContain('ApplicationDirectDebit1765000000120');
    expect(await column()).toBeDefined();
  });
});
