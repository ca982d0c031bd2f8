/* eslint-disable no-console -- a benchmark reports on the terminal */
// npm run bench -w portal-api (after search-bench.ts)
//
// The managers' claims report over the same 100,000 claims as the search
// benchmark, each with its status history as the workers write it (received,
// validating, screening, review or investigation, approval, payment, about
// 600,000 events), fraud screening results, payouts for the paid ones and task
// commands for the reviewed ones. GET /api/dashboards/claims through the API
// as a manager, over a mix of ranges and filters; p50 and p99, and EXPLAIN
// ANALYZE of each statement the report sends.
import { recordBenchFigures } from '@claims/deploy';
import { percentile } from '@claims/engine/bench/bench-engine';
import { withBenchStack } from './bench-stack';
import { CLAIMS, seedStaffData } from './staff-data';

const ROUNDS = Number(process.env.BENCH_DASHBOARD_ROUNDS ?? 40);
/** A manager waits for the page, not for each keystroke: under half a second at p99. */
const AIM_MS = 500;

/** The status history of each claim, from its status and route (steps a few minutes to hours apart), then screening, payouts and task commands. */
async function seedHistory(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  await query(`
    INSERT INTO claim_event (claim_id, at, kind, status, message, visible_to_client, actor)
    SELECT c.id, c.submitted_at + (step.k - 1) * (1 + abs(hashtext(c.reference)) % 600) * interval '1 minute', 'status-changed', step.status, 'bench', true, 'bench'
      FROM claim c,
           LATERAL (SELECT CASE
             WHEN c.status = 'received' THEN ARRAY['received']
             WHEN c.status IN ('validating', 'information-requested', 'rejected', 'abandoned') AND c.route IS NULL THEN ARRAY['received', 'validating', c.status]
             WHEN c.route = 'review' THEN ARRAY['received', 'validating', 'screening', 'in-review'] || CASE WHEN c.status = 'in-review' THEN ARRAY[]::text[] WHEN c.status = 'rejected' THEN ARRAY['rejected'] ELSE ARRAY['awaiting-approval', 'approved', 'payment-pending', 'paid'] END
             WHEN c.route = 'investigation' THEN ARRAY['received', 'validating', 'screening', 'investigating'] || CASE WHEN c.status = 'investigating' THEN ARRAY[]::text[] ELSE ARRAY['approved', 'payment-pending', 'paid'] END
             WHEN c.route = 'straight-through' THEN ARRAY['received', 'validating', 'screening'] || CASE WHEN c.status = 'closed-nothing-payable' THEN ARRAY['closed-nothing-payable'] WHEN c.status = 'approved' THEN ARRAY['approved'] WHEN c.status = 'payment-pending' THEN ARRAY['approved', 'payment-pending'] ELSE ARRAY['approved', 'payment-pending', 'paid'] END
             ELSE ARRAY['received', 'validating', c.status] END AS steps) path,
           LATERAL unnest(path.steps) WITH ORDINALITY AS step(status, k)`);
  await query(`
    UPDATE claim SET fraud_score = abs(hashtext(reference)) % 700,
                     fraud_flags = CASE WHEN route = 'investigation' OR abs(hashtext(reference)) % 9 = 0 THEN '[{"rule":"BENCH","reason":"bench","weight":300}]'::jsonb ELSE '[]'::jsonb END
     WHERE status NOT IN ('received', 'validating', 'information-requested')`);
  await query(`
    INSERT INTO payout (claim_id, attempt_key, attempt, amount, currency, status, account_hint, created_at, updated_at)
    SELECT c.id, 'claim:' || c.id || ':payout:1', 1, round(c.total_claimed * 0.8, 2), 'EUR', 'paid', '0189', e.at, e.at
      FROM claim c JOIN claim_event e ON e.claim_id = c.id AND e.status = 'paid'`);
  // Twenty adjusters claim and complete the reviews; those still in review stay claimed.
  await query(`
    INSERT INTO user_task_command (user_task_key, kind, actor_subject, actor_name, audit_action, audit_details, claim_id, state, created_at, attempted_at, settled_at)
    SELECT 'bench-' || c.reference, command.kind, 'adjuster-' || (abs(hashtext(c.reference)) % 20), 'adjuster-' || (abs(hashtext(c.reference)) % 20), 'task.' || command.kind,
           '{"elementId":"assess-claim"}', c.id, 'done', e.at + command.offset_by, e.at + command.offset_by, e.at + command.offset_by
      FROM claim c JOIN claim_event e ON e.claim_id = c.id AND e.status = 'in-review',
           LATERAL (VALUES ('assign', interval '10 minutes'), ('complete', interval '2 hours')) command(kind, offset_by)
     WHERE command.kind = 'assign' OR c.status <> 'in-review'`);
  await query('VACUUM ANALYZE claim, claim_event, payout, user_task_command');
}

withBenchStack('portal_dashboards', async ({ portal, api, token }) => {
  const t0 = performance.now();
  const query = (sql: string, params?: unknown[]) => portal.dataSource.query(sql, params);
  await seedStaffData(query);
  await seedHistory(query);
  const [{ n: events }] = await portal.dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM claim_event');
  console.log(`seeded ${CLAIMS.toLocaleString('en')} claims with ${events.toLocaleString('en')} status events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bearer = `Bearer ${await token('maria')}`;
  const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
  // What managers ask: the default month, a quarter by route, a year, a team's month, an older month.
  const reports: { name: string; query: (n: number) => string }[] = [
    { name: 'the last 30 days', query: () => '' },
    { name: 'a quarter, one route', query: (n) => `from=${day(90 + (n % 5))}&route=${['straight-through', 'review', 'investigation'][n % 3]}` },
    { name: 'a year', query: () => `from=${day(365)}` },
    { name: 'a team\'s month', query: (n) => `team=adjuster&from=${day(30 + (n % 7))}` },
    { name: 'an older month', query: (n) => `from=${day(200 + n)}&to=${day(170 + n)}` },
  ];
  const measure = async () => {
    const times: number[] = [];
    const byMix = new Map<string, number[]>(reports.map((mix) => [mix.name, []]));
    for (let n = 0; n < ROUNDS; n++) {
      for (const mix of reports) {
        const started = performance.now();
        const answer = await fetch(`${api}/dashboards/claims?${mix.query(n)}`, { headers: { authorization: bearer } });
        const body = (await answer.json()) as { outcomes?: { decided: number } };
        const took = performance.now() - started;
        times.push(took);
        byMix.get(mix.name)!.push(took);
        if (answer.status !== 200) throw new Error(`report ?${mix.query(n)} answered ${answer.status}: ${JSON.stringify(body)}`);
      }
    }
    return { times: times.sort((a, b) => a - b), byMix };
  };
  await measure(); // warm-up: pool, plans, page cache
  const { times, byMix } = await measure();
  for (const [name, mix] of byMix) {
    mix.sort((a, b) => a - b);
    console.log(`  ${name}: p50 ${percentile(mix, 50).toFixed(1)} ms, p99 ${percentile(mix, 99).toFixed(1)} ms`);
  }

  // The plan of each statement of one report (a year, the widest).
  const dataSource = portal.dataSource;
  const sent: { sql: string; params: unknown[] }[] = [];
  const original = dataSource.query.bind(dataSource);
  dataSource.query = (async (sql: string, params?: unknown[]) => {
    sent.push({ sql, params: params ?? [] });
    return original(sql, params);
  }) as typeof dataSource.query;
  const sample = await (await fetch(`${api}/dashboards/claims?from=${day(365)}`, { headers: { authorization: bearer } })).json() as { outcomes: { decided: number } };
  dataSource.query = original;
  console.log(`a year's report: ${sample.outcomes.decided.toLocaleString('en')} claims decided`);
  for (const statement of sent.filter((s) => /claim_event|user_task_command|FROM claim|FROM payout/.test(s.sql))) {
    const plan = await original<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
    const lines = plan.map((row) => row['QUERY PLAN']);
    const indexes = [...new Set(lines.flatMap((line) => [...line.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1])))];
    const seqScans = [...new Set(lines.flatMap((line) => [...line.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1])))];
    console.log(`EXPLAIN ANALYZE ${statement.sql.replace(/\s+/g, ' ').slice(0, 70)}…: ${lines.find((l) => l.startsWith('Execution Time'))}; indexes ${indexes.join(', ') || 'none'}${seqScans.length ? `; sequential scans of ${seqScans.join(', ')}` : ''}`);
    if (process.env.BENCH_PLANS) console.log(lines.join('\n'));
  }

  console.log(`claims dashboard over ${CLAIMS.toLocaleString('en')} claims: ${times.length} reports, p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`);
  await recordBenchFigures('portal-api-dashboards', [
    { figure: `claims dashboard over ${CLAIMS.toLocaleString('en')} claims (${events.toLocaleString('en')} status events), p50 / p99`, value: `${percentile(times, 50).toFixed(0)} / ${percentile(times, 99).toFixed(0)} ms`, aim: `p99 < ${AIM_MS} ms`, met: percentile(times, 99) < AIM_MS },
  ]);
});
