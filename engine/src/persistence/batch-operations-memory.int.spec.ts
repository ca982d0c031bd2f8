import pg from 'pg';
import { captureState } from '../state/state-snapshot';
import { serviceTaskChain } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// A batch operation that has ended (completed or cancelled) leaves memory and
// snapshots: its rows in the projection tables answer for it, also after a
// restart from a snapshot plus the log, from the whole log, and from a final
// snapshot.

describe('ended batch operations leave memory', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    // A snapshot every few entries, so the restarts below start from one; two items per command, so a batch spans several.
    fixture = await EngineFixture.start('batch_memory', { snapshotEvery: 3, batchChunkSize: 2 });
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const create = async (processDefinitionId: string) => {
    const response = await fixture.http('POST', '/v2/process-instances/cancellation', { filter: { processDefinitionId } });
    expect(response.status).toBe(200);
    return (response.body as { batchOperationKey: string }).batchOperationKey;
  };
  const operation = async (key: string) => {
    const response = await fixture.http('GET', `/v2/batch-operations/${key}`);
    expect(response.status).toBe(200);
    return response.body as { state: string; operationsTotalCount: number; operationsCompletedCount: number };
  };
  const held = (key: string) => fixture.engine.state.batchOperations.operations.has(Number(key));

  /** What the read side answers for both batches: the operation, a search for it, and its items by state. */
  const answers = async (keys: readonly string[]) =>
    Promise.all(
      keys.map(async (key) => {
        const found = (await fixture.http('POST', '/v2/batch-operations/search', { filter: { batchOperationKey: key } })).body as { items: { state: string }[] };
        const items = (await fixture.http('POST', '/v2/batch-operation-items/search', { filter: { batchOperationKey: key }, page: { from: 0, limit: 100 } })).body as { items: { state: string }[] };
        const byState: Record<string, number> = {};
        for (const item of items.items) byState[item.state] = (byState[item.state] ?? 0) + 1;
        return { operation: await operation(key), searched: found.items.map((item) => item.state), items: byState };
      }),
    );

  it('holds neither a completed nor a cancelled batch operation, and still answers for both after every kind of restart', async () => {
    await fixture.client.deployResources([
      { name: 'memory-long.bpmn', content: serviceTaskChain('memory-long', [{ id: 'work', type: 'memory-long-work' }]) },
      { name: 'memory-short.bpmn', content: serviceTaskChain('memory-short', [{ id: 'work', type: 'memory-short-work' }]) },
    ]);
    for (let i = 0; i < 20; i++) await fixture.client.createProcessInstance({ processDefinitionId: 'memory-long', variables: {} });
    for (let i = 0; i < 4; i++) await fixture.client.createProcessInstance({ processDefinitionId: 'memory-short', variables: {} });
    const completed = await create('memory-long');
    // Batches run oldest first: the second waits behind the first's ten chunks, so it is cancelled before it begins.
    const canceled = await create('memory-short');
    expect(held(canceled)).toBe(true);
    expect((await fixture.http('POST', `/v2/batch-operations/${canceled}/cancellation`)).status).toBe(204);
    await eventually(async () => ((await operation(completed)).state === 'COMPLETED' ? true : undefined), 30_000);
    await fixture.engine.idle();

    const expected = [
      { operation: { state: 'COMPLETED', operationsTotalCount: 20, operationsCompletedCount: 20 }, searched: ['COMPLETED'], items: { COMPLETED: 20 } },
      { operation: { state: 'CANCELED', operationsTotalCount: 4, operationsCompletedCount: 0 }, searched: ['CANCELED'], items: { CANCELED: 4 } },
    ];
    const check = async () => {
      expect(held(completed)).toBe(false);
      expect(held(canceled)).toBe(false);
      expect(fixture.engine.state.batchOperations.active.size).toBe(0);
      expect(captureState(fixture.engine.state).batchOperations).toEqual([]);
      expect(await answers([completed, canceled])).toMatchObject(expected);
      // Ended is still a state that refuses suspension, resumption and cancellation (409), not an unknown key (404).
      for (const action of ['suspension', 'resumption', 'cancellation']) {
        expect((await fixture.http('POST', `/v2/batch-operations/${completed}/${action}`)).status).toBe(409);
      }
      expect((await fixture.http('POST', '/v2/batch-operations/2251799813685999/cancellation')).status).toBe(404);
    };
    await check();

    // From the newest periodic snapshot and the log after it (a crash after the last commit).
    await fixture.restart({ finalSnapshot: false });
    expect(fixture.engine.startup.snapshotPosition).toBeGreaterThan(0);
    await check();

    // From the whole log.
    const database = new pg.Client({ connectionString: fixture.database.url.href });
    await database.connect();
    await database.query('DELETE FROM engine_snapshot');
    await database.end();
    await fixture.restart({ finalSnapshot: false });
    expect(fixture.engine.startup.snapshotPosition).toBe(0);
    await check();

    // From a final snapshot, nothing replayed.
    await fixture.restart();
    expect(fixture.engine.startup.replayed).toBe(0);
    await check();
  });
});
