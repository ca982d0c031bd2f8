import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../postgres/databases';

/** Set by jest/global-setup.ts: the superuser URL of the run's PostgreSQL. */
export const TEST_POSTGRES_URL_VARIABLE = 'CLAIMS_TEST_POSTGRES_URL';

export interface TestDatabase {
  readonly url: URL;
  drop(): Promise<void>;
}

/** A fresh, empty database of the suite's own on the test run's PostgreSQL. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = testPostgresUrl();
  const name = `test_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 40)}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(server, name);
  return { url, drop: () => dropDatabase(server, name) };
}

export function testPostgresUrl(): URL {
  const raw = process.env[TEST_POSTGRES_URL_VARIABLE];
  if (!raw) {
    throw new Error(`${TEST_POSTGRES_URL_VARIABLE} is not set: run integration tests through Jest's "integration" project (npm run test:int).`);
  }
  return new URL(raw);
}
