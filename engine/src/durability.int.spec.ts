import path from 'node:path';
import pg from 'pg';
import { CamundaRestClient } from '@camunda8/sdk';
import { ENGINE_CLIENT_RETRY, findFreePort, REPOSITORY_ROOT } from '@claims/deploy';
import { LauncherProcess } from '@claims/deploy/src/testing/launcher-process';
import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { serviceTaskChain } from './testing/bpmn';
import { eventually } from './testing/engine-fixture';

// Given an engine process in the middle of a run, when it is SIGKILLed and
// started again on the same database, then nothing it acknowledged is lost
// (deployment, instances, completions, variables), nothing is done twice, and
// jobs whose activation died with it are handed out again after their timeout.

const JOB_TIMEOUT_MS = 1_500;
const INSTANCES = 20;

describe('engine durability across a SIGKILL', () => {
  let database: TestDatabase;
  let port: number;
  let engine: LauncherProcess | undefined;
  const workers: { stop(): Promise<unknown> }[] = [];

  const startEngine = async () => {
    engine = LauncherProcess.startScript(path.join(REPOSITORY_ROOT, 'engine', 'src', 'main.ts'), {
      ENGINE_DATABASE_URL: database.url.href,
      ENGINE_PORT: String(port),
      LOG_LEVEL: 'warn',
      // Two batch operation items per command, so a kill lands in the middle of a batch.
      ENGINE_BATCH_CHUNK_SIZE: '2',
    });
    const client = new CamundaRestClient({ config: { ZEEBE_REST_ADDRESS: `http://127.0.0.1:${port}`, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'none' }, retry: ENGINE_CLIENT_RETRY });
    await eventually(() => client.getTopology().then((t) => t.clusterSize), 30_000);
    return client;
  };

  beforeAll(async () => {
    database = await createTestDatabase('durability');
    port = await findFreePort();
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await engine?.stop('SIGKILL');
    await database.drop();
  });

  it('loses nothing acknowledged and hands out lost activations again', async () => {
    let client = await startEngine();
    await client.deployResources([
      { name: 'durable.bpmn', content: serviceTaskChain('durable', [{ id: 'first', type: 'durable-first' }, { id: 'second', type: 'durable-second' }]) },
    ]);
    const instances: string[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      instances.push((await client.createProcessInstance({ processDefinitionId: 'durable', variables: { index: i } })).processInstanceKey);
    }

    const jobs = await client.activateJobs({ type: 'durable-first', worker: 'before-kill', timeout: JOB_TIMEOUT_MS, maxJobsToActivate: INSTANCES, requestTimeout: 5_000 });
    expect(jobs).toHaveLength(INSTANCES);

    // Complete them all at once and kill the engine as soon as the first is acknowledged.
    const acknowledged = new Set<string>();
    let killed: Promise<unknown> | undefined;
    await Promise.allSettled(
      jobs.map((job) =>
        client.completeJob({ jobKey: job.jobKey, variables: { [`done${(job.variables as { index: number }).index}`]: true } }).then(() => {
          acknowledged.add(job.processInstanceKey);
          killed ??= engine!.stop('SIGKILL');
        }),
      ),
    );
    await killed;
    expect(acknowledged.size).toBeGreaterThan(0);

    client = await startEngine();

    // Every acknowledged completion survived: its variable is there, its task is done.
    for (const processInstanceKey of acknowledged) {
      const variables = await client.searchVariables({ filter: { processInstanceKey } });
      const index = JSON.parse(variables.items.find((v) => v.name === 'index')!.value) as number;
      expect(variables.items.map((v) => v.name)).toContain(`done${index}`);
    }

    // Jobs whose completion was lost with the process come back after their timeout; finish every instance.
    const completedFirst = new Map<string, number>();
    workers.push(client.createJobWorker({
      type: 'durable-first',
      worker: 'after-restart',
      timeout: 10_000,
      maxJobsToActivate: INSTANCES,
      jobHandler: (job) => {
        completedFirst.set(job.processInstanceKey, (completedFirst.get(job.processInstanceKey) ?? 0) + 1);
        return job.complete();
      },
    }));
    workers.push(client.createJobWorker({ type: 'durable-second', worker: 'after-restart', timeout: 10_000, maxJobsToActivate: INSTANCES, jobHandler: (job) => job.complete() }));

    await eventually(async () => {
      const done = await client.searchProcessInstances({ filter: { processDefinitionId: 'durable', state: 'COMPLETED' } });
      return done.page.totalItems === INSTANCES ? true : undefined;
    }, 20_000);

    // No acknowledged completion was handed out again, and each task ran exactly once per instance.
    for (const processInstanceKey of acknowledged) expect(completedFirst.has(processInstanceKey)).toBe(false);
    for (const processInstanceKey of instances) {
      const firstTasks = await client.searchElementInstances({ filter: { processInstanceKey, elementId: 'first' } });
      expect(firstTasks.items.map((e) => e.state)).toEqual(['COMPLETED']);
    }
  });

  it('goes on with a batch operation killed half done, cancelling every instance exactly once', async () => {
    // The engine the test above restarted is still running.
    let client = new CamundaRestClient({ config: { ZEEBE_REST_ADDRESS: `http://127.0.0.1:${port}`, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'none' }, retry: ENGINE_CLIENT_RETRY });
    await client.deployResources([{ name: 'durable-batch.bpmn', content: serviceTaskChain('durable-batch', [{ id: 'wait', type: 'durable-batch-wait' }]) }]);
    const keys: string[] = [];
    for (let i = 0; i < 60; i++) keys.push((await client.createProcessInstance({ processDefinitionId: 'durable-batch', variables: {} })).processInstanceKey);
    const base = `http://127.0.0.1:${port}/v2`;
    const created = (await (await fetch(`${base}/process-instances/cancellation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filter: { processDefinitionId: 'durable-batch' } }),
    })).json()) as { batchOperationKey: string };
    const progress = async () => (await (await fetch(`${base}/batch-operations/${created.batchOperationKey}`)).json()) as { state: string; operationsCompletedCount: number; operationsFailedCount: number; operationsTotalCount: number };
    await eventually(async () => ((await progress()).operationsCompletedCount >= 4 ? true : undefined));
    await engine!.stop('SIGKILL');

    const log = new pg.Client({ connectionString: database.url.href });
    await log.connect();
    try {
      const lastBeforeKill = Number((await log.query<{ last: string }>('SELECT max(position) AS last FROM engine_log')).rows[0]!.last);
      client = await startEngine();
      const done = await eventually(async () => {
        const found = await progress();
        return found.state === 'ACTIVE' ? undefined : found;
      }, 30_000);
      expect(done).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 60, operationsCompletedCount: 60, operationsFailedCount: 0 });
      const chunks = await log.query<{ position: string }>(`SELECT position FROM engine_log WHERE events @> '[{"type": "BatchOperationItemsProcessed"}]'`);
      expect(chunks.rows.some((row) => Number(row.position) <= lastBeforeKill)).toBe(true);
      expect(chunks.rows.some((row) => Number(row.position) > lastBeforeKill)).toBe(true);
      const terminated = await log.query<{ times: string }>(
        `SELECT count(*) AS times FROM engine_log, jsonb_array_elements(events) e WHERE e->>'type' = 'ElementTerminated' AND (e->>'key') = ANY($1) GROUP BY e->>'key'`,
        [keys],
      );
      expect(terminated.rows.map((row) => Number(row.times))).toEqual(keys.map(() => 1));
    } finally {
      await log.end();
    }
  });
});
