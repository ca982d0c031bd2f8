/* eslint-disable no-console -- a benchmark reports on the terminal */
// npm run bench -w portal-api
//
// 1. Claim submissions through the portal API at 50 concurrent clients: each
//    POST /api/claims verifies the token and writes the draft, its items, a
//    timeline entry and an audit entry; POST /api/claims/{id}/submission
//    marks it received (timeline, audit) and publishes the message that
//    starts its process on the engine. Reports claims per second and the
//    latency of the two calls together.
// 2. Task search with 100,000 open tasks: GET /api/tasks as an adjuster
//    (engine search by candidate group, sorted by due date, then the claims
//    of the page looked up). The tasks beyond those the submissions created
//    are copies loaded into the engine's projection by SQL.
// 3. The anchor: a claim-shaped transaction straight to the same PostgreSQL
//    at the same concurrency (database-rate.ts), recorded beside the portal's
//    rate with the ratio of the two.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { recordBenchFigures } from '@claims/deploy';
import { percentile } from '@claims/engine/bench/bench-engine';
import { withBenchStack } from './bench-stack';
import { measureDatabaseRate } from './database-rate';
import { explainHotQueries } from './explain-hot-queries';
import { cpuBetween, descendantsCpu } from './process-cpu';

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 3_000);
const CONCURRENCY = 50;
const OPEN_TASKS = 100_000;
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 400);
const DATABASE_TRANSACTIONS = Number(process.env.BENCH_DB_TRANSACTIONS ?? 10_000);

withBenchStack('portal', async ({ engine, settings, api, token }) => {
  const fixtures = path.join(__dirname, '..', 'src', 'testing', 'fixtures');
  await engine.client.deployResources([
    { name: 'claim-reimbursement.bpmn', content: await readFile(path.join(fixtures, 'claim-reimbursement.bpmn'), 'utf8') },
    { name: 'assess-claim-test.form', content: await readFile(path.join(fixtures, 'assess-claim-test.form'), 'utf8') },
  ]);
  const clients = await Promise.all(
    ['alice', 'bruno', 'chloe'].map(async (username) => {
      const bearer = `Bearer ${await token(username)}`;
      const policies = (await (await fetch(`${api}/me/policies`, { headers: { authorization: bearer } })).json()) as { items: { id: string; status: string }[] };
      return { bearer, policyId: policies.items.find((p) => p.status === 'active')!.id };
    }),
  );

  // 1. Submissions at 50 concurrent clients.
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  // CPU time of this process (the portal and the load generator) per claim: steadier than the rate on a shared machine.
  const cpuBefore = process.cpuUsage();
  const othersBefore = await descendantsCpu();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < SUBMISSIONS) {
        const n = next++;
        const client = clients[n % clients.length]!;
        const body = { policyId: client.policyId, items: [{ serviceDate: '2026-10-01', providerName: `Provider ${n % 40}`, careCode: 'GP_VISIT', amount: 20 + (n % 80) }, { serviceDate: '2026-10-02', providerName: 'Pharmacy', careCode: 'PHARMACY', amount: 12.5 }] };
        const t0 = performance.now();
        const response = await fetch(`${api}/claims`, { method: 'POST', headers: { authorization: client.bearer, 'content-type': 'application/json', 'idempotency-key': `bench-${n}` }, body: JSON.stringify(body) });
        const draft = (await response.json()) as { id: string };
        const sent = response.status === 201 ? await fetch(`${api}/claims/${draft.id}/submission`, { method: 'POST', headers: { authorization: client.bearer } }) : undefined;
        await sent?.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (sent?.status !== 200) failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMsPerClaim = (cpu.user + cpu.system) / 1000 / SUBMISSIONS;
  const others = cpuBetween(othersBefore, await descendantsCpu());
  latencies.sort((a, b) => a - b);
  const database = new pg.Client({ connectionString: engine.databaseUrl.href });
  database.on('error', () => undefined);
  await database.connect();
  const [instances] = (await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM process_instance`)).rows;
  console.log(`claim submissions (draft, then submission): ${SUBMISSIONS} at ${CONCURRENCY} concurrent clients in ${seconds.toFixed(1)} s = ${(SUBMISSIONS / seconds).toFixed(0)} claims/s; latency of both calls p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1]!.toFixed(1)} ms; failures ${failures}; process instances ${instances!.n}; portal and load generator CPU ${cpuMsPerClaim.toFixed(2)} ms a claim, ${[...others].map(([role, ms]) => `${role} ${(ms / SUBMISSIONS).toFixed(2)}`).join(', ')} ms a claim`);
  const portalRate = SUBMISSIONS / seconds;
  if (process.env.BENCH_EXPLAIN === '1') await explainHotQueries(settings.databaseUrl);

  // 3. The database alone, same server, same concurrency.
  const anchor = await measureDatabaseRate(engine.databaseUrl, { transactions: DATABASE_TRANSACTIONS, concurrency: CONCURRENCY });
  console.log(`database alone (claim-shaped transaction: 3 inserts, 4 rows, fsync on; ${CONCURRENCY} clients via pg): ${anchor.transactions} in ${(anchor.transactions / anchor.perSecond).toFixed(1)} s = ${anchor.perSecond.toFixed(0)} transactions/s; portal / database = ${((100 * portalRate) / anchor.perSecond).toFixed(1)} %`);
  await recordBenchFigures('portal-api', [
    { figure: `portal claim submissions, ${CONCURRENCY} concurrent`, value: `${portalRate.toFixed(0)} claims/s`, aim: 'at least 1,000/s', met: portalRate >= 1_000 },
    { figure: 'portal claim submissions, p99 of draft and submission', value: `${percentile(latencies, 99).toFixed(0)} ms`, aim: '< 100 ms', met: percentile(latencies, 99) < 100 },
    { figure: `database alone, same server and run: claim-shaped transaction (3 inserts, 4 rows, fsync on), ${CONCURRENCY} clients via pg`, value: `${anchor.perSecond.toFixed(0)} transactions/s`, aim: '', met: undefined },
    { figure: 'anchor ratio: portal claim submissions / database transactions', value: `${((100 * portalRate) / anchor.perSecond).toFixed(1)} %`, aim: 'at least 50 %', met: portalRate >= anchor.perSecond / 2 },
  ]);

  // 2. Task search over 100,000 open tasks.
  if (SEARCHES === 0) return void (await database.end());
  const { rows: real } = await database.query<{ n: string }>(`SELECT count(*) AS n FROM user_task WHERE state = 'CREATED'`);
  await database.query(
    `INSERT INTO user_task
       SELECT 9000000000000000 + n, 9000000000000000 + n, 9100000000000000 + n, t.process_definition_key, t.process_definition_id, t.process_definition_version,
              t.process_name, t.element_id, t.name, 'CREATED',
              CASE WHEN n % 5 = 0 THEN 'user-' || (n % 200) END,
              CASE WHEN n % 4 = 0 THEN ARRAY['investigator'] ELSE ARRAY['adjuster'] END,
              '{}', timestamptz '2027-01-01' + (n % 129600) * interval '1 minute', NULL,
              to_char(timestamptz '2027-01-01' + (n % 129600) * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), NULL,
              now(), NULL, 50, NULL, NULL, '{}', t.tenant_id
         FROM generate_series(1, $1::int) AS n, (SELECT * FROM user_task LIMIT 1) AS t`,
    [OPEN_TASKS - Number(real[0]!.n)],
  );
  await database.query('VACUUM ANALYZE user_task');
  const { rows: open } = await database.query<{ n: string }>(`SELECT count(*) AS n FROM user_task WHERE state = 'CREATED'`);
  await database.end();
  const adjuster = `Bearer ${await token('adam')}`;
  const searches: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const query = i % 2 === 0 ? 'scope=open&sort=dueDate&limit=50' : `scope=unassigned&sort=dueDate&order=desc&limit=50&from=${(i % 10) * 50}`;
    const t0 = performance.now();
    const response = await fetch(`${api}/tasks?${query}`, { headers: { authorization: adjuster } });
    const page = (await response.json()) as { items: unknown[] };
    searches.push(performance.now() - t0);
    if (response.status !== 200 || page.items.length === 0) throw new Error(`search answered ${response.status} with ${page.items?.length} tasks`);
  }
  searches.sort((a, b) => a - b);
  console.log(`task search (${Number(open[0]!.n).toLocaleString('en')} open tasks, adjuster's groups, by due date, page of 50, ${SEARCHES} searches): p50 ${percentile(searches, 50).toFixed(1)} ms, p99 ${percentile(searches, 99).toFixed(1)} ms`);
  const memory = process.memoryUsage();
  console.log(`portal API process (bench host) RSS ${(memory.rss / 1048576).toFixed(0)} MiB; engine RSS ${(await engine.memory()).rss.toFixed(0)} MiB`);
});
