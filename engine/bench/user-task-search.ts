/* eslint-disable no-console -- a benchmark reports to the terminal */
// npm run bench -w engine (second part)
//
// User-task search over BENCH_USER_TASKS (default 1,000,000) tasks: the task
// list's question "open tasks of my group, soonest due first, first page",
// asked through POST /v2/user-tasks/search. A few thousand tasks are created
// by real process instances; the rest are bulk-loaded into the engine's
// user_task projection with SQL (creating a million through the engine would
// take most of an hour and measure creation, not search). Reports p50/p99.
// BENCH_EXPLAIN=1 also prints the query plans of the page and of the count.
import pg from 'pg';
import { processXml } from '../src/testing/bpmn';
import { TOTAL_ITEMS_LIMIT } from '../src/queries/search';
import { eventually } from '../src/testing/engine-fixture';
import { percentile, startBenchEngine } from './bench-engine';

const TASKS = Number(process.env.BENCH_USER_TASKS ?? 1_000_000);
const REAL_TASKS = 2_000;
const SEARCHES = 1_000;
const GROUPS = ['adjusters', 'managers', 'investigators', 'call-center', 'analysts', 'admins', 'senior-adjusters'];

async function main(): Promise<void> {
  const engine = await startBenchEngine();
  const { client } = engine;
  try {
    await client.deployResources([
      {
        name: 'assess.bpmn',
        content: processXml(
          'bench-assess',
          `<bpmn:startEvent id="start" /><bpmn:userTask id="assess" name="Assess the claim"><bpmn:extensionElements><zeebe:userTask />
           <zeebe:assignmentDefinition candidateGroups="=groups" /><zeebe:taskSchedule dueDate="=due" /></bpmn:extensionElements></bpmn:userTask>`,
          ['start', 'assess'],
        ),
      },
    ]);
    const day = 24 * 3_600_000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < REAL_TASKS) {
          const index = next++;
          const due = new Date(Date.UTC(2027, 0, 1) + (index % 60) * day).toISOString().replace('.000', '');
          await client.createProcessInstance({ processDefinitionId: 'bench-assess', variables: { groups: [GROUPS[index % GROUPS.length]], due, claimId: `C-${index}` } });
        }
      }),
    );
    await eventually(async () => ((await client.searchUserTasks({ filter: {}, page: { limit: 1 } } as never)).page.totalItems >= Math.min(REAL_TASKS, TOTAL_ITEMS_LIMIT) ? true : undefined), 120_000);

    const loadStarted = performance.now();
    const database = new pg.Client({ connectionString: engine.databaseUrl.href });
    database.on('error', () => undefined); // the engine's PostgreSQL stops at the end
    await database.connect();
    // Copies of a real row with new keys, groups, states and due dates spread over 90 days.
    await database.query(
      `INSERT INTO user_task
         SELECT 9000000000000000 + n, 9000000000000000 + n, 9100000000000000 + n, t.process_definition_key, t.process_definition_id, t.process_definition_version,
                t.process_name, t.element_id, t.name,
                CASE WHEN n % 10 < 7 THEN 'CREATED' ELSE 'COMPLETED' END,
                CASE WHEN n % 5 = 0 THEN 'user-' || (n % 200) END,
                CASE WHEN n % 3 = 0 THEN ARRAY[($2::text[])[1 + n % 7], ($2::text[])[1 + (n / 7) % 7]] ELSE ARRAY[($2::text[])[1 + n % 7]] END,
                '{}', timestamptz '2027-01-01' + (n % 129600) * interval '1 minute', NULL,
                to_char(timestamptz '2027-01-01' + (n % 129600) * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), NULL,
                now(), NULL, 50, NULL, NULL, '{}', t.tenant_id
           FROM generate_series(1, $1::int) AS n, (SELECT * FROM user_task LIMIT 1) AS t`,
      [TASKS - REAL_TASKS, GROUPS],
    );
    // Vacuum now, so autovacuum does not run under the measurement.
    await database.query('VACUUM ANALYZE user_task');
    if (process.env.BENCH_EXPLAIN) {
      for (const sql of [
        "EXPLAIN ANALYZE SELECT * FROM user_task WHERE ('managers' = ANY(candidate_groups)) AND state = 'CREATED' ORDER BY due_date asc, user_task_key asc LIMIT 50 OFFSET 0",
        "EXPLAIN ANALYZE SELECT count(*) FROM (SELECT 1 FROM user_task WHERE ('managers' = ANY(candidate_groups)) AND state = 'CREATED' ORDER BY due_date asc, user_task_key asc LIMIT 1001) c",
      ]) console.log((await database.query<{ 'QUERY PLAN': string }>(sql)).rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    const { rows } = await database.query<{ count: string }>('SELECT count(*) FROM user_task');
    await database.end();
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const timings: number[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      const group = GROUPS[i % GROUPS.length]!;
      const started = performance.now();
      const response = await fetch(`${engine.baseUrl}/v2/user-tasks/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { candidateGroup: group, state: 'CREATED' }, sort: [{ field: 'dueDate', order: 'ASC' }], page: { limit: 50 } }),
      });
      const body = (await response.json()) as { items: unknown[] };
      timings.push(performance.now() - started);
      if (response.status !== 200 || body.items.length === 0) throw new Error(`search answered ${response.status} with ${body.items.length} items`);
    }
    const floor: number[] = [];
    for (let i = 0; i < 300; i++) {
      const started = performance.now();
      await (await fetch(`${engine.baseUrl}/v2/topology`)).json();
      floor.push(performance.now() - started);
    }
    floor.sort((a, b) => a - b);
    // The first searches warm PostgreSQL's cache; report the steady state.
    const steady = timings.slice(SEARCHES / 4).sort((a, b) => a - b);
    console.log(`user-task search: ${Number(rows[0]!.count).toLocaleString('en')} tasks (${REAL_TASKS} from real instances, the rest bulk-loaded in ${loadSeconds.toFixed(0)} s)`);
    console.log(`  open tasks of one candidate group, soonest due first, first page of 50 (HTTP round trip, ${steady.length} searches)`);
    console.log(`  p50 ${percentile(steady, 50).toFixed(1)} ms, p99 ${percentile(steady, 99).toFixed(1)} ms, max ${steady.at(-1)!.toFixed(1)} ms`);
    console.log(`  (HTTP floor, GET /v2/topology: p50 ${percentile(floor, 50).toFixed(1)} ms, p99 ${percentile(floor, 99).toFixed(1)} ms)`);
  } finally {
    await engine.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
