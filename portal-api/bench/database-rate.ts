// The anchor for the portal's claim submissions: what the same PostgreSQL
// does with a claim-shaped transaction and nothing else in the way. Each
// transaction is the portal's draft without the application: 3 inserts of 4
// rows (a claim, its two items in one statement, an audit entry), fsync and
// synchronous commit on as the portal runs, from CONCURRENCY clients via
// node-postgres, in a database of its own on the same server.
import pg from 'pg';
import { ensureDatabase, withDatabase } from '@claims/deploy';

export interface DatabaseRate {
  readonly transactions: number;
  readonly perSecond: number;
}

export async function measureDatabaseRate(serverUrl: URL, options: { transactions: number; concurrency: number }): Promise<DatabaseRate> {
  const url = await ensureDatabase(withDatabase(serverUrl, 'postgres'), 'bench_claim_shape');
  const pool = new pg.Pool({ connectionString: url.href, max: options.concurrency });
  pool.on('error', () => undefined);
  try {
    await pool.query(`
      DROP TABLE IF EXISTS shape_audit, shape_item, shape_claim;
      CREATE TABLE shape_claim (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), reference text NOT NULL UNIQUE, customer_id uuid NOT NULL, status text NOT NULL, total_claimed numeric(12,2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE shape_item (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), claim_id uuid NOT NULL REFERENCES shape_claim (id), line_number int NOT NULL, provider_name text NOT NULL, amount numeric(12,2) NOT NULL);
      CREATE TABLE shape_audit (seq bigserial PRIMARY KEY, stream text NOT NULL, action text NOT NULL, details jsonb NOT NULL, hash text NOT NULL);
      CREATE INDEX ON shape_audit (stream, seq);`);
    const { rows } = await pool.query<{ fsync: string; synchronous_commit: string }>(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit`);
    if (rows[0]?.fsync !== 'on' || rows[0]?.synchronous_commit !== 'on') throw new Error(`the anchor needs durable commits, and this server has ${JSON.stringify(rows[0])}`);
    const customerId = '00000000-0000-4000-8000-000000000001';
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        const client = await pool.connect();
        try {
          while (next < options.transactions) {
            const n = next++;
            await client.query('BEGIN');
            const claim = await client.query<{ id: string }>(`INSERT INTO shape_claim (reference, customer_id, status, total_claimed) VALUES ($1, $2, 'draft', $3) RETURNING id`, [`SHAPE-${process.pid}-${n}`, customerId, 32.5]);
            const claimId = claim.rows[0]!.id;
            await client.query(`INSERT INTO shape_item (claim_id, line_number, provider_name, amount) VALUES ($1, 1, 'Provider', 20), ($1, 2, 'Pharmacy', 12.5)`, [claimId]);
            await client.query(`INSERT INTO shape_audit (stream, action, details, hash) VALUES ($1, 'claim.created', $2, md5($1))`, [`claim:${claimId}`, JSON.stringify({ items: 2 })]);
            await client.query('COMMIT');
          }
        } finally {
          client.release();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await pool.query('DROP TABLE shape_audit, shape_item, shape_claim');
    return { transactions: options.transactions, perSecond: options.transactions / seconds };
  } finally {
    await pool.end();
  }
}
