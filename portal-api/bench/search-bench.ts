/* eslint-disable no-console -- a benchmark reports on the terminal */
// npm run bench -w portal-api (after portal-bench.ts)
//
// Staff search over 100,000 claims of 20,000 customers, loaded by SQL:
// GET /api/staff/search/claims and /customers through the portal API (token
// verified, as a staff member calls them), a mix of the filters staff use,
// typos included. Reports p50 and p99 of each, and prints PostgreSQL's
// EXPLAIN ANALYZE of every query shape so a plan that stops using its index
// shows here.
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createLogger, ensureDatabase, recordBenchFigures, withDatabase } from '@claims/deploy';
import { startLocalIssuer } from '@claims/deploy/src/identity/identity-process';
import { percentile, startBenchEngine } from '@claims/engine/bench/bench-engine';
import { createPortalApp } from '../src/portal-app';
import { readPortalSettings } from '../src/settings';

const CLAIMS = Number(process.env.BENCH_SEARCH_CLAIMS ?? 100_000);
const CUSTOMERS = CLAIMS / 5;
const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 50);
const AIM_MS = 50;

const FIRST = ['Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Giulia', 'Hugo', 'Inès', 'Jonas', 'Katrin', 'Lucas', 'Maya', 'Nils', 'Olga', 'Pierre', 'Quentin', 'Rosa', 'Sven', 'Tomas'];
const SYLLABLES = ['mar', 'tin', 'kel', 'ler', 'du', 'bois', 'ber', 'nard', 'lam', 'bert', 'fon', 'taine', 'ro', 'sso', 'vi', 'dal', 'cos', 'ta', 'pe', 'tit'];

/** Customers, one active policy each, and claims in every status, all by SQL (ids derived from n, so claims can point at them). */
async function seed(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  await query(
    `INSERT INTO customer (id, subject, full_name, email, phone)
     SELECT md5('customer' || n)::uuid, 'bench-' || n, name.first || ' ' || name.last,
            lower(translate(name.first, 'éè', 'ee')) || '.' || lower(name.last) || n || '@mail.example', '+336' || lpad(n::text, 8, '0')
       FROM generate_series(1, $1::int) n,
            LATERAL (SELECT ($2::text[])[1 + n % 20] AS first,
                            initcap(($3::text[])[1 + (n / 20) % 20] || ($3::text[])[1 + (n / 400) % 20] || ($3::text[])[1 + (n / 8000) % 20]) AS last) name`,
    [CUSTOMERS, FIRST, SYLLABLES],
  );
  await query(
    `INSERT INTO policy (id, number, customer_id, product, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit)
     SELECT md5('policy' || n)::uuid, 'POL-' || (300000 + n), md5('customer' || n)::uuid, 'Health Plus', 'active', date '2024-01-01', date '2028-01-01', 'EUR', 100, 0.8, 25000
       FROM generate_series(1, $1::int) n`,
    [CUSTOMERS],
  );
  const statuses = ['received', 'validating', 'information-requested', 'screening', 'in-review', 'investigating', 'awaiting-approval', 'approved', 'payment-pending', 'paid', 'paid', 'paid', 'closed-nothing-payable', 'rejected', 'abandoned'];
  await query(
    // Each with a process instance key, so the portal's sweep does not take the received ones for unsent submissions.
    `INSERT INTO claim (reference, customer_id, policy_id, status, route, currency, total_claimed, request_hash, submitted_at, updated_at, version, process_instance_key)
     SELECT 'CLM-2025-' || lpad(n::text, 7, '0'), md5('customer' || c)::uuid, md5('policy' || c)::uuid, s.status,
            CASE WHEN s.status = 'investigating' OR (s.status IN ('paid', 'approved') AND n % 7 = 0) THEN 'investigation'
                 WHEN s.status IN ('in-review', 'awaiting-approval') OR (s.status IN ('paid', 'rejected') AND n % 3 = 0) THEN 'review'
                 WHEN s.status IN ('approved', 'payment-pending', 'paid', 'closed-nothing-payable') THEN 'straight-through' END,
            'EUR', 10 + (n * 37) % 2000 + (n % 100) / 100.0, 'bench', now() - n * interval '7 minutes', now(), 1, (2251799813685248 + n)::text
       FROM generate_series(1, $1::int) n, LATERAL (SELECT 1 + (n * 7919) % $2::int AS c) pick,
            LATERAL (SELECT ($3::text[])[1 + n % 15] AS status) s`,
    [CLAIMS, CUSTOMERS, statuses],
  );
  await query('VACUUM ANALYZE customer, policy, claim');
}

async function main(): Promise<void> {
  const logger = createLogger('bench', { LOG_LEVEL: 'warn' });
  const engine = await startBenchEngine();
  const identity = await startLocalIssuer({ dataDir: `/tmp/portal-search-bench-${process.pid}`, logger, env: { ...process.env, LOG_LEVEL: 'warn' } });
  const portalDatabase = await ensureDatabase(withDatabase(engine.databaseUrl, 'postgres'), 'portal_search');
  const settings = readPortalSettings({ ...identity.env, PORTAL_DATABASE_URL: portalDatabase.href, CAMUNDA_REST_ADDRESS: engine.baseUrl, DEMO_DATA: 'true' });
  const portal = await createPortalApp(settings, logger);
  await portal.app.listen(0, '127.0.0.1');
  const api = `http://127.0.0.1:${((portal.app.getHttpServer() as Server).address() as AddressInfo).port}/api`;
  try {
    const t0 = performance.now();
    await seed((sql, params) => portal.dataSource.query(sql, params));
    console.log(`seeded ${CUSTOMERS.toLocaleString('en')} customers and ${CLAIMS.toLocaleString('en')} claims in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const response = await fetch(`${settings.oidcIssuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'password', client_id: 'claims-cli', username: 'carla', password: 'demo' }) });
    const bearer = `Bearer ${((await response.json()) as { access_token: string }).access_token}`;

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
  } finally {
    await portal.close();
    await identity.process.stop();
    await engine.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
