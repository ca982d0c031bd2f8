/* eslint-disable no-console -- a benchmark reports on the terminal */
// npm run bench -w portal-api (after portal-bench.ts)
//
// Staff search over 100,000 claims of 20,000 customers, loaded by SQL:
// GET /api/staff/search/claims and /customers through the portal API (token
// verified, as a staff member calls them), a mix of the filters staff use,
// typos included. Reports p50 and p99 of each, and prints PostgreSQL's
// EXPLAIN ANALYZE of every query shape so a plan that stops using its index
// shows here.
import { recordBenchFigures } from '@claims/deploy';
import { percentile } from '@claims/engine/bench/bench-engine';
import { withBenchStack } from './bench-stack';
import { CLAIMS, CUSTOMERS, FIRST, seedStaffData, SYLLABLES } from './staff-data';

const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 50);
const AIM_MS = 50;

withBenchStack('portal_search', async ({ portal, api, token }) => {
  const t0 = performance.now();
  await seedStaffData((sql, params) => portal.dataSource.query(sql, params));
  console.log(`seeded ${CUSTOMERS.toLocaleString('en')} customers and ${CLAIMS.toLocaleString('en')} claims in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bearer = `Bearer ${await token('carla')}`;

  // What staff type: n varies each round so the cache of one answer does not serve the next.
  const claimQueries: ((n: number) => string)[] = [
    () => 'limit=25',
    (n) => `status=in-review,awaiting-approval&offset=${(n % 4) * 25}`,
    (n) => `reference=${String(1 + ((n * 7717) % CLAIMS)).padStart(7, '0').slice(-6)}`,
    (n) => `client=${encodeURIComponent(`${FIRST[n % 20]} ${SYLLABLES[(n + 3) % 20]}${SYLLABLES[(n * 3) % 20]}`)}`,
    (n) => `route=investigation&submittedFrom=2025-${String(1 + (n % 9)).padStart(2, '0')}-01&minAmount=500`,
    (n) => `status=paid&minAmount=${100 + n}&maxAmount=${400 + n}&submittedTo=2026-06-30`,
    (n) => `client=POL-${300000 + 1 + ((n * 331) % CUSTOMERS)}`,
  ];
  const customerQueries: ((n: number) => string)[] = [
    (n) => `q=${encodeURIComponent(`${FIRST[n % 20]} ${SYLLABLES[(n + 1) % 20]}${SYLLABLES[(n * 7) % 20]}`)}`,
    // A typo: one letter of the family name dropped.
    (n) => `q=${encodeURIComponent(`${SYLLABLES[(n + 5) % 20]}${SYLLABLES[(n * 3) % 20]!.slice(1)}${SYLLABLES[n % 20]}`)}`,
    (n) => `q=${encodeURIComponent(`06 ${String(1 + ((n * 13) % CUSTOMERS)).padStart(8, '0').replace(/(\d\d)(?=\d)/g, '$1 ')}`)}`,
    (n) => `q=POL-${300000 + 1 + ((n * 97) % CUSTOMERS)}`,
    (n) => `q=CUS-${String(4 + ((n * 89) % CUSTOMERS)).padStart(6, '0')}`,
    (n) => `q=${encodeURIComponent(`${FIRST[n % 20]!.toLowerCase()}.${SYLLABLES[n % 20]}`)}@mail.example`,
  ];

  const measure = async (path: string, queries: ((n: number) => string)[]) => {
    const times: number[] = [];
    let empty = 0;
    for (let n = 0; n < ROUNDS; n++) {
      for (const build of queries) {
        const started = performance.now();
        const answer = await fetch(`${api}/staff/search/${path}?${build(n)}`, { headers: { authorization: bearer } });
        const body = (await answer.json()) as { items?: unknown[] };
        times.push(performance.now() - started);
        if (answer.status !== 200) throw new Error(`search ${path}?${build(n)} answered ${answer.status}: ${JSON.stringify(body)}`);
        if (body.items?.length === 0) empty += 1;
      }
    }
    return { times: times.sort((a, b) => a - b), empty };
  };
  // Warm up the pool, the plans and the page cache, as a running portal is.
  await measure('claims', claimQueries);
  await measure('customers', customerQueries);
  const claims = await measure('claims', claimQueries);
  const customers = await measure('customers', customerQueries);

  // The plan of each query shape, taken from the SQL the service sent.
  const dataSource = portal.dataSource;
  const sent: { sql: string; params: unknown[] }[] = [];
  const query = dataSource.query.bind(dataSource);
  dataSource.query = (async (sql: string, params?: unknown[]) => {
    if (/FROM claim c|FROM customer/.test(sql)) sent.push({ sql, params: params ?? [] });
    return query(sql, params);
  }) as typeof dataSource.query;
  for (const [path, queries] of [['claims', claimQueries], ['customers', customerQueries]] as const) {
    for (const build of queries) {
      sent.length = 0;
      await (await fetch(`${api}/staff/search/${path}?${build(1)}`, { headers: { authorization: bearer } })).arrayBuffer();
      for (const statement of sent) {
        const plan = await query<{ 'QUERY PLAN': string }[]>(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
        const lines = plan.map((row) => row['QUERY PLAN']);
        const indexes = [...new Set(lines.flatMap((line) => [...line.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1])))];
        const seqScans = [...new Set(lines.flatMap((line) => [...line.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1])))];
        console.log(`EXPLAIN ANALYZE ${path}?${build(1)} (${/count\(\*\)/.test(statement.sql.slice(0, 40)) ? 'count' : 'page'}): ${lines.find((l) => l.startsWith('Execution Time'))}; indexes ${indexes.join(', ') || 'none'}${seqScans.length ? `; sequential scans of ${seqScans.join(', ')}` : ''}`);
        if (process.env.BENCH_PLANS) console.log(lines.join('\n'));
      }
    }
  }
  dataSource.query = query;

  const line = (name: string, result: { times: number[]; empty: number }) =>
    `${name}: ${result.times.length} searches, p50 ${percentile(result.times, 50).toFixed(1)} ms, p99 ${percentile(result.times, 99).toFixed(1)} ms, max ${result.times[result.times.length - 1]!.toFixed(1)} ms (${result.empty} found nothing)`;
  console.log(line(`claim search over ${CLAIMS.toLocaleString('en')} claims`, claims));
  console.log(line(`customer search over ${CUSTOMERS.toLocaleString('en')} customers`, customers));
  await recordBenchFigures('portal-api-search', [
    { figure: `claim search over ${CLAIMS.toLocaleString('en')} claims, p50 / p99`, value: `${percentile(claims.times, 50).toFixed(0)} / ${percentile(claims.times, 99).toFixed(0)} ms`, aim: `p99 < ${AIM_MS} ms`, met: percentile(claims.times, 99) < AIM_MS },
    { figure: `customer search (typos) over ${CUSTOMERS.toLocaleString('en')} customers, p50 / p99`, value: `${percentile(customers.times, 50).toFixed(0)} / ${percentile(customers.times, 99).toFixed(0)} ms`, aim: `p99 < ${AIM_MS} ms`, met: percentile(customers.times, 99) < AIM_MS },
  ]);
});
