// Starts one real PostgreSQL for the whole integration run. Suites never share
// a database: each creates its own through createTestDatabase(), so Jest can
// run them in parallel workers.
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedPostgres } from '../deploy/src/postgres/embedded-postgres';
import { createLogger } from '../deploy/src/logger';
import { TEST_POSTGRES_URL_VARIABLE } from '../deploy/src/testing/test-database';

declare global {
  var claimsTestPostgres: { server: EmbeddedPostgres; folder: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env[TEST_POSTGRES_URL_VARIABLE]) return; // a server given from outside
  const folder = await mkdtemp(path.join(tmpdir(), 'claims-test-'));
  // PostgreSQL runs as "postgres" when we are root; it must be able to enter.
  await chmod(folder, 0o755);
  const server = await EmbeddedPostgres.start({
    dataDir: path.join(folder, 'postgres'),
    logger: createLogger('test-postgres', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }),
  });
  process.env[TEST_POSTGRES_URL_VARIABLE] = server.url.href;
  globalThis.claimsTestPostgres = { server, folder };
}
