import pg from 'pg';
import { withDatabase } from '../settings';

/**
 * Creates the database on the server when it does not exist yet and returns
 * its URL. Safe to call on every start.
 */
export async function ensureDatabase(server: URL, name: string): Promise<URL> {
  const client = new pg.Client({ connectionString: withDatabase(server, 'postgres').href });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    }
  } catch (error) {
    // Two starts racing to create it: the loser finds it made.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
  return withDatabase(server, name);
}

export async function dropDatabase(server: URL, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(server, 'postgres').href });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
