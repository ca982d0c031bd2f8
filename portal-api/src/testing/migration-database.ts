import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source';

export interface MigrationDatabase {
  /** The data source, once the suite's beforeAll has made the database. */
  readonly dataSource: DataSource;
  /** The names of the migrations applied, oldest first. */
  applied(): Promise<string[]>;
  /** Undoes migrations, newest first, until `name` is no longer applied (the ones after it go first). */
  undoThrough(name: string): Promise<void>;
  /** Whether the schema takes the statement (a constraint's probe); rolled back either way. */
  accepts(sql: string, params?: unknown[]): Promise<boolean>;
}

/**
 * An empty database of its own for a migration test, made before the tests
 * of the calling `describe` and dropped after them: each migration's test
 * takes it up, down and up again on a real PostgreSQL.
 */
export function migrationDatabase(label: string): MigrationDatabase {
  let database: TestDatabase | undefined;
  let source: DataSource | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(label);
    source = await new DataSource(dataSourceOptions(database.url, 2)).initialize();
  });
  afterAll(async () => {
    await source?.destroy();
    await database?.drop();
  });
  const dataSource = () => {
    if (!source) throw new Error('the migration database is made in beforeAll');
    return source;
  };
  const applied = async () => (await dataSource().query<{ name: string }[]>('SELECT name FROM schema_migration ORDER BY id')).map((r) => r.name);
  return {
    get dataSource() {
      return dataSource();
    },
    applied,
    async undoThrough(name) {
      while ((await applied()).includes(name)) await dataSource().undoLastMigration({ transaction: 'each' });
    },
    accepts: (sql, params = []) =>
      dataSource().transaction(async (manager) => {
        await manager.query(`SAVEPOINT probe`);
        try {
          await manager.query(sql, params);
          return true;
        } catch {
          return false;
        } finally {
          await manager.query(`ROLLBACK TO SAVEPOINT probe`);
        }
      }),
  };
}
