import { batchOperationItemSchema, batchOperationSchema } from '@camunda/camunda-api-zod-schemas/8.8/batch-operation';
import pg from 'pg';
import { serviceTaskChain } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Batch operations over a process instance filter (cancel, resolve incidents,
// migrate) and their progress, following
// https://docs.camunda.io/docs/components/concepts/batch-operations/
// and the REST API's create-…-batch-operation, get-batch-operation and
// search endpoints. The SDK's CamundaRestClient has no methods for these, so
// the tests send plain HTTP.

interface BatchOperation {
  batchOperationKey: string;
  batchOperationType: string;
  state: string;
  operationsTotalCount: number;
  operationsCompletedCount: number;
  operationsFailedCount: number;
}

interface BatchItem {
  processInstanceKey: string;
  state: string;
  errorMessage?: string;
}

const PAGE = 'https://docs.camunda.io/docs/components/concepts/batch-operations/';

describe(`batch operations (${PAGE})`, () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    // Two items per command, so a batch of a few dozen spans many log entries.
    fixture = await EngineFixture.start('batch_operations', { batchChunkSize: 2 });
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = async (processId: string, tasks: { id: string; type: string }[]) =>
    (await fixture.client.deployResources([{ name: `${processId}.bpmn`, content: serviceTaskChain(processId, tasks) }])).processes[0]!.processDefinitionKey;
  const startMany = async (processDefinitionId: string, count: number) => {
    const keys: string[] = [];
    for (let i = 0; i < count; i++) keys.push((await fixture.client.createProcessInstance({ processDefinitionId, variables: { i } })).processInstanceKey);
    return keys;
  };
  const create = async (path: string, body: unknown) => {
    const response = await fixture.http('POST', path, body);
    expect(response.status).toBe(200);
    return response.body as { batchOperationKey: string; batchOperationType: string };
  };
  const operation = async (key: string) => {
    const response = await fixture.http('GET', `/v2/batch-operations/${key}`);
    expect(response.status).toBe(200);
    return batchOperationSchema.parse(response.body) as BatchOperation;
  };
  const finished = (key: string) => eventually(async () => {
    const found = await operation(key);
    return found.state === 'ACTIVE' ? undefined : found;
  }, 30_000);
  const items = async (filter: Record<string, unknown>) => {
    const response = await fixture.http('POST', '/v2/batch-operation-items/search', { filter, page: { from: 0, limit: 1000 } });
    expect(response.status).toBe(200);
    const body = response.body as { items: unknown[]; page: { totalItems: number } };
    return body.items.map((item) => batchOperationItemSchema.parse(item) as BatchItem);
  };

  // Cancel process instances: every active instance the filter matches, and no other.
  it('cancels the instances the filter matches and counts its progress', async () => {
    await deploy('batch-cancel', [{ id: 'work', type: 'batch-cancel-work' }]);
    await deploy('batch-keep', [{ id: 'work', type: 'batch-keep-work' }]);
    const doomed = await startMany('batch-cancel', 5);
    const [kept] = await startMany('batch-keep', 1);
    const created = await create('/v2/process-instances/cancellation', { filter: { processDefinitionId: 'batch-cancel' } });
    expect(created.batchOperationType).toBe('CANCEL_PROCESS_INSTANCE');
    expect(created.batchOperationKey).toMatch(/^\d+$/);
    const done = await finished(created.batchOperationKey);
    expect(done).toMatchObject({ state: 'COMPLETED', batchOperationType: 'CANCEL_PROCESS_INSTANCE', operationsTotalCount: 5, operationsCompletedCount: 5, operationsFailedCount: 0 });
    for (const key of doomed) expect(await fixture.instanceState(key)).toBe('TERMINATED');
    expect(await fixture.instanceState(kept!)).toBe('ACTIVE');
    const doneItems = await items({ batchOperationKey: created.batchOperationKey });
    expect(doneItems.map((item) => [item.processInstanceKey, item.state]).sort()).toEqual(doomed.map((key) => [key, 'COMPLETED']).sort());
  });

  it('lists the new operations in the OpenAPI document', async () => {
    const paths = Object.keys(((await fixture.http('GET', '/v2/openapi.json')).body as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v2/process-instances/{processInstanceKey}/modification',
        '/v2/process-instances/{processInstanceKey}/migration',
        '/v2/process-instances/cancellation',
        '/v2/process-instances/incident-resolution',
        '/v2/process-instances/migration',
        '/v2/process-instances/modification',
        '/v2/batch-operations/{batchOperationKey}',
        '/v2/batch-operations/{batchOperationKey}/suspension',
        '/v2/batch-operations/search',
        '/v2/batch-operation-items/search',
      ]),
    );
  });

  // A filter that matches nothing makes a batch operation with no items, finished at once.
  it('finishes a batch operation whose filter matches nothing', async () => {
    const created = await create('/v2/process-instances/cancellation', { filter: { processDefinitionId: 'no-such-process' } });
    expect(await operation(created.batchOperationKey)).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 0 });
  });

  // Resolve incidents: each matched instance's incidents are resolved; a job out of retries is retried.
  it('resolves the incidents of the matching instances, and their jobs are handed out again', async () => {
    await deploy('batch-fragile', [{ id: 'call', type: 'batch-fragile-call' }]);
    const keys = await startMany('batch-fragile', 3);
    const jobs = await fixture.client.activateJobs({ type: 'batch-fragile-call', worker: 't', timeout: 10_000, maxJobsToActivate: 10, requestTimeout: -1 });
    for (const job of jobs) await fixture.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'down', retryBackOff: 0 });
    expect((await fixture.client.searchIncidents({ filter: { processDefinitionId: 'batch-fragile', state: 'ACTIVE' } })).items).toHaveLength(3);
    const created = await create('/v2/process-instances/incident-resolution', { filter: { processDefinitionId: 'batch-fragile' } });
    expect(created.batchOperationType).toBe('RESOLVE_INCIDENT');
    expect(await finished(created.batchOperationKey)).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 3, operationsCompletedCount: 3 });
    expect((await fixture.client.searchIncidents({ filter: { processDefinitionId: 'batch-fragile', state: 'ACTIVE' } })).items).toEqual([]);
    const again = await fixture.client.activateJobs({ type: 'batch-fragile-call', worker: 't', timeout: 10_000, maxJobsToActivate: 10, requestTimeout: -1 });
    expect(again.map((job) => job.processInstanceKey).sort()).toEqual([...keys].sort());
  });

  // Migrate process instances: each item is one migration; one the engine refuses fails alone, with the reason.
  it('migrates the matching instances; an instance the plan does not fit fails on its own', async () => {
    await deploy('batch-move', [{ id: 'A', type: 'batch-move-a' }, { id: 'B', type: 'batch-move-b' }]);
    const [atB, ...atA] = await startMany('batch-move', 4);
    const [job] = (await fixture.client.activateJobs({ type: 'batch-move-a', worker: 't', timeout: 10_000, maxJobsToActivate: 10, requestTimeout: -1 })).filter((j) => j.processInstanceKey === atB);
    await fixture.client.completeJob({ jobKey: job!.jobKey, variables: {} });
    const target = await deploy('batch-move', [{ id: 'A', type: 'batch-move-a' }, { id: 'checked', type: 'batch-move-check' }, { id: 'B', type: 'batch-move-b' }]);
    const created = await create('/v2/process-instances/migration', {
      filter: { processDefinitionId: 'batch-move', processDefinitionVersion: 1 },
      migrationPlan: { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'A', targetElementId: 'A' }] },
    });
    expect(created.batchOperationType).toBe('MIGRATE_PROCESS_INSTANCE');
    expect(await finished(created.batchOperationKey)).toMatchObject({ state: 'PARTIALLY_COMPLETED', operationsTotalCount: 4, operationsCompletedCount: 3, operationsFailedCount: 1 });
    for (const key of atA) expect((await fixture.client.searchProcessInstances({ filter: { processInstanceKey: key } })).items[0]!.processDefinitionKey).toBe(target);
    const [failed] = await items({ batchOperationKey: created.batchOperationKey, state: 'FAILED' });
    expect(failed).toMatchObject({ processInstanceKey: atB, state: 'FAILED', errorMessage: expect.stringMatching(/no mapping instruction defined for active element with id 'B'/) as unknown });
  });

  // Modify process instances: the move instructions terminate each active source element and activate its target.
  it('moves the tokens of the matching instances; an instance without the source element fails on its own', async () => {
    await deploy('batch-skip', [{ id: 'A', type: 'batch-skip-a' }, { id: 'B', type: 'batch-skip-b' }]);
    const [moved, alreadyAtB] = await startMany('batch-skip', 2);
    const [job] = (await fixture.client.activateJobs({ type: 'batch-skip-a', worker: 't', timeout: 10_000, maxJobsToActivate: 10, requestTimeout: -1 })).filter((j) => j.processInstanceKey === alreadyAtB);
    await fixture.client.completeJob({ jobKey: job!.jobKey, variables: {} });
    const created = await create('/v2/process-instances/modification', { filter: { processDefinitionId: 'batch-skip' }, moveInstructions: [{ sourceElementId: 'A', targetElementId: 'B' }] });
    expect(created.batchOperationType).toBe('MODIFY_PROCESS_INSTANCE');
    expect(await finished(created.batchOperationKey)).toMatchObject({ state: 'PARTIALLY_COMPLETED', operationsCompletedCount: 1, operationsFailedCount: 1 });
    expect(await fixture.elementIds(moved!)).toEqual(['B']);
    expect(await fixture.elementIds(moved!, 'TERMINATED')).toEqual(['A']);
    const [failed] = await items({ batchOperationKey: created.batchOperationKey, state: 'FAILED' });
    expect(failed).toMatchObject({ processInstanceKey: alreadyAtB, errorMessage: expect.stringMatching(/none of 'A' is active/) as unknown });
  });

  // Search batch operations by type and state.
  it('finds batch operations by type and state', async () => {
    const response = await fixture.http('POST', '/v2/batch-operations/search', { filter: { operationType: 'RESOLVE_INCIDENT', state: 'COMPLETED' } });
    expect(response.status).toBe(200);
    const found = response.body as { items: BatchOperation[]; page: { totalItems: number } };
    expect(found.items.map((o) => o.batchOperationType)).toEqual(['RESOLVE_INCIDENT']);
    expect(found.page.totalItems).toBe(1);
    expect((await fixture.http('GET', '/v2/batch-operations/2251799813685999')).status).toBe(404);
  });

  // Suspend, resume and cancel a batch operation: between chunks, what is done stays done.
  it('suspends a batch between chunks, resumes it to the end, and cancels another leaving its unprocessed items alone', async () => {
    await deploy('batch-paused', [{ id: 'work', type: 'batch-paused-work' }]);
    await deploy('batch-called-off', [{ id: 'work', type: 'batch-called-off-work' }]);
    const paused = await startMany('batch-paused', 40);
    const calledOff = await startMany('batch-called-off', 40);
    const first = await create('/v2/process-instances/cancellation', { filter: { processDefinitionId: 'batch-paused' } });
    const second = await create('/v2/process-instances/cancellation', { filter: { processDefinitionId: 'batch-called-off' } });
    // The second waits behind the first; suspend the first once it has begun.
    await eventually(async () => ((await operation(first.batchOperationKey)).operationsCompletedCount >= 2 ? true : undefined));
    expect((await fixture.http('POST', `/v2/batch-operations/${first.batchOperationKey}/suspension`)).status).toBe(204);
    const suspended = await operation(first.batchOperationKey);
    expect(suspended.state).toBe('SUSPENDED');
    expect(suspended.operationsCompletedCount).toBeLessThan(40);
    expect((await fixture.http('POST', `/v2/batch-operations/${first.batchOperationKey}/suspension`)).status).toBe(409);

    // While the first is suspended the second runs; cancel it part way.
    await eventually(async () => ((await operation(second.batchOperationKey)).operationsCompletedCount >= 2 ? true : undefined));
    expect((await fixture.http('POST', `/v2/batch-operations/${second.batchOperationKey}/cancellation`)).status).toBe(204);
    await fixture.engine.idle();
    expect((await operation(first.batchOperationKey)).operationsCompletedCount).toBe(suspended.operationsCompletedCount);
    const canceled = await operation(second.batchOperationKey);
    expect(canceled.state).toBe('CANCELED');
    const canceledItems = await items({ batchOperationKey: second.batchOperationKey, state: 'CANCELED' });
    expect(canceledItems.length).toBe(40 - canceled.operationsCompletedCount);
    for (const item of canceledItems) expect(await fixture.instanceState(item.processInstanceKey)).toBe('ACTIVE');
    expect(calledOff).toEqual(expect.arrayContaining(canceledItems.map((item) => item.processInstanceKey)));

    expect((await fixture.http('POST', `/v2/batch-operations/${first.batchOperationKey}/resumption`)).status).toBe(204);
    expect(await finished(first.batchOperationKey)).toMatchObject({ state: 'COMPLETED', operationsCompletedCount: 40 });
    for (const key of paused) expect(await fixture.instanceState(key)).toBe('TERMINATED');
    expect((await fixture.http('POST', `/v2/batch-operations/${first.batchOperationKey}/cancellation`)).status).toBe(409);
    expect((await fixture.http('POST', '/v2/batch-operations/2251799813685999/resumption')).status).toBe(404);
  });

  // Batch operations and their items are searched from their own tables (engine/README.md): each chunk writes
  // the rows of the items it processed, so what the API reads is what those tables hold, as committed.
  it('reads batch operations and their items from their projection tables, chunk by chunk', async () => {
    await deploy('batch-projected', [{ id: 'work', type: 'batch-projected-work' }]);
    await startMany('batch-projected', 12);
    const created = await create('/v2/process-instances/cancellation', { filter: { processDefinitionId: 'batch-projected' } });
    const client = new pg.Client({ connectionString: fixture.database.url.toString() });
    await client.connect();
    try {
      const rowsByState = async () => {
        const { rows } = await client.query<{ state: string; count: string }>(
          'SELECT state, count(*) AS count FROM batch_operation_item WHERE batch_operation_key = $1 GROUP BY state ORDER BY state',
          [created.batchOperationKey],
        );
        return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]));
      };
      // Part way: the rows written so far agree with the progress the API reports.
      const partWay = await eventually(async () => {
        const found = await operation(created.batchOperationKey);
        return found.operationsCompletedCount >= 2 ? found : undefined;
      });
      const counted = await rowsByState();
      expect((counted.COMPLETED ?? 0) + (counted.ACTIVE ?? 0)).toBe(12);
      expect(counted.COMPLETED ?? 0).toBeGreaterThanOrEqual(partWay.operationsCompletedCount);
      expect(await finished(created.batchOperationKey)).toMatchObject({ state: 'COMPLETED', operationsCompletedCount: 12 });
      expect(await rowsByState()).toEqual({ COMPLETED: 12 });
      const { rows } = await client.query<{ state: string; end_date: Date | null; operations_completed_count: number }>(
        'SELECT state, end_date, operations_completed_count FROM batch_operation WHERE batch_operation_key = $1',
        [created.batchOperationKey],
      );
      expect(rows).toEqual([{ state: 'COMPLETED', end_date: expect.any(Date) as unknown, operations_completed_count: 12 }]);
    } finally {
      await client.end();
    }
    // Camunda's filter operators and sorting, as every other search has them.
    const sorted = await fixture.http('POST', '/v2/batch-operation-items/search', {
      filter: { batchOperationKey: created.batchOperationKey, state: { $in: ['COMPLETED'] } },
      sort: [{ field: 'processInstanceKey', order: 'DESC' }],
      page: { limit: 3 },
    });
    const page = sorted.body as { items: BatchItem[]; page: { totalItems: number } };
    expect(page.page.totalItems).toBe(12);
    const keys = page.items.map((item) => BigInt(item.processInstanceKey));
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? 1 : -1)));
    expect((await fixture.http('POST', '/v2/batch-operations/search', { filter: { state: { $like: 'COMPL*' }, batchOperationKey: created.batchOperationKey } })).body).toMatchObject({ page: { totalItems: 1 } });
  });

  // Durable like every command: a batch interrupted by a restart goes on where it stopped; nothing is lost or done twice.
  it('goes on after a restart mid-batch, cancelling every instance exactly once', async () => {
    await deploy('batch-restart', [{ id: 'work', type: 'batch-restart-work' }]);
    const keys = await startMany('batch-restart', 40);
    const created = await create('/v2/process-instances/cancellation', { filter: { processDefinitionId: 'batch-restart' } });
    await eventually(async () => ((await operation(created.batchOperationKey)).operationsCompletedCount >= 2 ? true : undefined));
    // A stop without a final snapshot: the next start rebuilds from the log alone.
    await fixture.restart({ finalSnapshot: false });
    const entriesBeforeRestart = fixture.engine.startup.snapshotPosition + fixture.engine.startup.replayed;
    expect(await finished(created.batchOperationKey)).toMatchObject({ state: 'COMPLETED', operationsTotalCount: 40, operationsCompletedCount: 40, operationsFailedCount: 0 });
    for (const key of keys) expect(await fixture.instanceState(key)).toBe('TERMINATED');

    const client = new pg.Client({ connectionString: fixture.database.url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ position: string; events: { type: string; key: number }[] }>(
        `SELECT position, events FROM engine_log WHERE events @> '[{"type": "BatchOperationItemsProcessed"}]' ORDER BY position`,
      );
      const positions = rows.map((row) => Number(row.position));
      // Some chunks were logged before the restart and some after it.
      expect(positions.some((p) => p <= entriesBeforeRestart)).toBe(true);
      expect(positions.some((p) => p > entriesBeforeRestart)).toBe(true);
      const terminated = await client.query<{ key: string; times: string }>(
        `SELECT (e->>'key') AS key, count(*) AS times FROM engine_log, jsonb_array_elements(events) e WHERE e->>'type' = 'ElementTerminated' AND (e->>'key') = ANY($1) GROUP BY 1`,
        [keys],
      );
      expect(terminated.rows).toHaveLength(40);
      expect(terminated.rows.every((row) => Number(row.times) === 1)).toBe(true);
    } finally {
      await client.end();
    }
    // A clean stop writes a snapshot; the batch operation and its items come back from it as they were.
    const before = { operation: await operation(created.batchOperationKey), items: await items({ batchOperationKey: created.batchOperationKey }) };
    await fixture.restart();
    expect(fixture.engine.startup.replayed).toBe(0);
    expect({ operation: await operation(created.batchOperationKey), items: await items({ batchOperationKey: created.batchOperationKey }) }).toEqual(before);
  });
});
