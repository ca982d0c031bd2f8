/* eslint-disable no-console -- a profiling aid reports on the terminal */
// BENCH_EXPLAIN=1 npm run bench -w portal-api: after the submissions, the
// claim path's hot statements under EXPLAIN (ANALYZE, BUFFERS) on the data
// the benchmark left, in a transaction rolled back (the writes change nothing).
import pg from 'pg';

export async function explainHotQueries(portalDatabaseUrl: URL): Promise<void> {
  const db = new pg.Client({ connectionString: portalDatabaseUrl.href });
  await db.connect();
  try {
    const [claim] = (await db.query<{ id: string; customer_id: string; policy_id: string; idempotency_key: string; subject: string }>(
      `SELECT c.id, c.customer_id, c.policy_id, c.idempotency_key, cu.subject FROM claim c JOIN customer cu ON cu.id = c.customer_id WHERE c.idempotency_key IS NOT NULL ORDER BY c.submitted_at DESC LIMIT 1`,
    )).rows;
    if (!claim) throw new Error('no claim to explain with');
    const { rows: counts } = await db.query<{ claims: number; items: number; audit: number }>(`SELECT (SELECT count(*) FROM claim)::int AS claims, (SELECT count(*) FROM claim_item)::int AS items, (SELECT count(*) FROM audit_entry)::int AS audit`);
    console.log(`\nEXPLAIN ANALYZE of the claim path's statements (${JSON.stringify(counts[0])}):`);
    const statements: [string, string, unknown[]][] = [
      ['filing: customer, policy, earlier claim by key', `SELECT cu.id AS customer_id, p.id AS policy_id, p.currency, e.id AS earlier_id FROM customer cu LEFT JOIN policy p ON p.id = $2 AND p.customer_id = cu.id LEFT JOIN claim e ON e.customer_id = cu.id AND e.idempotency_key = $3 WHERE cu.subject = $1`, [claim.subject, claim.policy_id, 'bench-unused-key']],
      ['claim with items', `SELECT c.*, i.* FROM claim c LEFT JOIN claim_item i ON i.claim_id = c.id WHERE c.id = $1 ORDER BY i.line_number`, [claim.id]],
      ['submission: the row held, with its client', `SELECT c.status, c.reference, cu.subject FROM claim c JOIN customer cu ON cu.id = c.customer_id WHERE c.id = $1 FOR UPDATE OF c`, [claim.id]],
      ['audit: the stream head', `SELECT hash FROM audit_entry WHERE stream = $1 ORDER BY seq DESC LIMIT 1`, [`claim:${claim.id}`]],
      ['sweep: submitted claims with no process', `SELECT id FROM claim WHERE status = 'received' AND process_instance_key IS NULL AND submitted_at < now() - make_interval(secs => 15) ORDER BY submitted_at LIMIT 100`, []],
    ];
    await db.query('BEGIN');
    for (const [what, sql, params] of statements) {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
      console.log(`\n-- ${what}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
    await db.query('ROLLBACK');
  } finally {
    await db.end();
  }
}
