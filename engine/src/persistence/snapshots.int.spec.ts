import pg from 'pg';
import { OperatorError } from '@claims/deploy';
import { captureState } from '../state/state-snapshot';
import { Engine } from '../engine';
import { messageXml, processXml } from '../testing/bpmn';
import { dmn } from '../testing/dmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// A restart restores the newest snapshot and replays only the log after it.
// The state it arrives at is exactly the state a full replay of the log gives,
// and the state the engine had before it stopped, whichever way it stopped.

const richProcess = processXml(
  'snapshot-claim',
  `<bpmn:startEvent id="start" />
   <bpmn:businessRuleTask id="route"><bpmn:extensionElements><zeebe:calledDecision decisionId="route" resultVariable="route" /></bpmn:extensionElements></bpmn:businessRuleTask>
   <bpmn:parallelGateway id="fork" />
   <bpmn:userTask id="assess"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formId="assess" /><zeebe:assignmentDefinition candidateGroups="adjusters" /></bpmn:extensionElements></bpmn:userTask>
   <bpmn:boundaryEvent id="late" attachedToRef="assess" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
   <bpmn:endEvent id="escalated" />
   <bpmn:receiveTask id="documents" messageRef="docs" />
   <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="snapshot-check" /></bpmn:extensionElements>
     <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="checked" outputElement="=ok" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
   </bpmn:serviceTask>
   <bpmn:parallelGateway id="join" />
   <bpmn:endEvent id="end" />
   <bpmn:sequenceFlow id="f1" sourceRef="fork" targetRef="assess" />
   <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="documents" />
   <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="check" />
   <bpmn:sequenceFlow id="f4" sourceRef="assess" targetRef="join" />
   <bpmn:sequenceFlow id="f5" sourceRef="documents" targetRef="join" />
   <bpmn:sequenceFlow id="f6" sourceRef="check" targetRef="join" />
   <bpmn:sequenceFlow id="f7" sourceRef="late" targetRef="escalated" />
   <bpmn:sequenceFlow id="f8" sourceRef="join" targetRef="end" />`,
  ['start', 'route', 'fork'],
  messageXml('docs', 'snapshot-documents', 'claimId'),
);

describe('snapshots', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    // Small chunks, so even a few instances take several and every kind is split somewhere.
    fixture = await EngineFixture.start('snapshots', { snapshotEvery: 3, snapshotChunkChars: 2_000 });
  });

  afterAll(async () => {
    await fixture.stop();
  });

  /** The state as plain JSON, to compare. */
  const stateNow = () => JSON.parse(JSON.stringify(captureState(fixture.engine.state))) as unknown;

  it('restores the same state from a snapshot plus the log, from the log alone, and from a final snapshot', async () => {
    await fixture.client.deployResources([
      { name: 'route.dmn', content: dmn('routing', [{ id: 'route', hitPolicy: 'FIRST', inputs: ['amount'], outputs: [{ name: 'route' }], rules: [[['< 100'], ['"fast"']], [['-'], ['"review"']]] }]) },
      { name: 'assess.form', content: JSON.stringify({ id: 'assess', components: [] }) },
      { name: 'claim.bpmn', content: richProcess },
    ]);
    await fixture.http('POST', '/v2/messages/publication', { name: 'snapshot-documents', correlationKey: 'later', timeToLive: 3_600_000, messageId: 'm-1' });
    const keys: string[] = [];
    for (let i = 0; i < 6; i++) {
      keys.push((await fixture.client.createProcessInstance({ processDefinitionId: 'snapshot-claim', variables: { claimId: `S-${i}`, amount: i * 50, items: [1, 2] } })).processInstanceKey);
    }
    await fixture.http('POST', '/v2/messages/publication', { name: 'snapshot-documents', correlationKey: 'S-1' });
    const jobs = await fixture.client.activateJobs({ type: 'snapshot-check', worker: 'w', timeout: 60_000, maxJobsToActivate: 3, requestTimeout: -1 });
    await fixture.client.completeJob({ jobKey: jobs[0]!.jobKey, variables: { ok: true } });
    await eventually(async () => ((await fixture.client.searchUserTasks({ filter: { state: 'CREATED' } } as never)).items.length === 6 ? true : undefined));
    // A modification and a batch operation are in the state too.
    await fixture.client.modifyProcessInstance({ processInstanceKey: keys[5]!, activateInstructions: [{ elementId: 'check', variableInstructions: [{ variables: { again: true } }] }] });
    const batch = (await fixture.http('POST', '/v2/process-instances/cancellation', { filter: { processInstanceKey: keys[4] } })).body as { batchOperationKey: string };
    await eventually(async () => ((await fixture.http('GET', `/v2/batch-operations/${batch.batchOperationKey}`)).body as { state: string }).state === 'COMPLETED' || undefined);
    await fixture.engine.idle();
    const expected = stateNow();

    await fixture.restart({ finalSnapshot: false });
    expect(fixture.engine.startup.snapshotPosition).toBeGreaterThan(0);
    expect(stateNow()).toEqual(expected);

    const database = new pg.Client({ connectionString: fixture.database.url.href });
    await database.connect();
    await database.query('DELETE FROM engine_snapshot');
    await database.end();
    await fixture.restart({ finalSnapshot: false });
    expect(fixture.engine.startup).toMatchObject({ snapshotPosition: 0 });
    expect(fixture.engine.startup.replayed).toBeGreaterThan(5);
    expect(stateNow()).toEqual(expected);

    await fixture.restart();
    expect(fixture.engine.startup.replayed).toBe(0);
    expect(stateNow()).toEqual(expected);

    // And it runs on: the buffered message, the timers and the tasks are all there.
    const later = (await fixture.client.createProcessInstance({ processDefinitionId: 'snapshot-claim', variables: { claimId: 'later', amount: 1, items: [] } })).processInstanceKey;
    await eventually(async () => ((await fixture.elementIds(later, 'COMPLETED')).includes('documents') ? true : undefined));
    await fixture.pinClock(Date.now() + 2 * 3_600_000);
    await eventually(async () => ((await fixture.elementIds(keys[0]!, 'COMPLETED')).includes('escalated') ? true : undefined));
  });

  /** Runs one query on the fixture's database. */
  const query = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => {
    const database = new pg.Client({ connectionString: fixture.database.url.href });
    await database.connect();
    try {
      return (await database.query<T>(sql, values)).rows;
    } finally {
      await database.end();
    }
  };

  it('writes a snapshot of many waiting instances in several chunks and restores exactly that state', async () => {
    await fixture.client.deployResources([{ name: 'waiting.bpmn', content: waitingProcess('snapshot-waiting') }]);
    for (let i = 0; i < 150; i++) await fixture.client.createProcessInstance({ processDefinitionId: 'snapshot-waiting', variables: { n: i, note: 'x'.repeat(40) } });
    await fixture.engine.idle();
    const expected = stateNow();

    await fixture.restart();
    const [snapshot] = await query<{ position: string; chunks: number; state: string }>('SELECT position, chunks, state FROM engine_snapshot ORDER BY position DESC LIMIT 1');
    // 150 instances' elements, variables and jobs at about 2,000 characters a chunk: dozens of chunks, none
    // much longer than the bound (a deployment carries its XML whole, so it is left out of the bound).
    expect(snapshot!.chunks).toBeGreaterThan(20);
    expect(snapshot!.state.length).toBeLessThan(200);
    const [longest] = await query<{ chars: number; kinds: number }>('SELECT max(length(body)) AS chars, count(DISTINCT kind)::int AS kinds FROM engine_snapshot_chunk WHERE position = $1 AND kind <> \'deployments\'', [snapshot!.position]);
    expect(longest!.chars).toBeLessThan(2_000 + 2_000);
    expect(longest!.kinds).toBeGreaterThan(10);
    expect(fixture.engine.startup).toEqual({ snapshotPosition: Number(snapshot!.position), replayed: 0 });
    expect(stateNow()).toEqual(expected);
  });

  it('still restores a snapshot written as one JSON string before chunks', async () => {
    await fixture.engine.idle();
    const expected = stateNow();
    const legacy = JSON.stringify(captureState(fixture.engine.state));
    await fixture.restart({ finalSnapshot: false });
    const [{ last }] = (await query<{ last: string }>('SELECT max(position) AS last FROM engine_log')) as [{ last: string }];
    await query('DELETE FROM engine_snapshot');
    await query('INSERT INTO engine_snapshot (position, state) VALUES ($1, $2)', [last, legacy]);

    await fixture.restart({ finalSnapshot: false });
    expect(fixture.engine.startup).toEqual({ snapshotPosition: Number(last), replayed: 0 });
    expect(stateNow()).toEqual(expected);
  });

  it('restores a format 1 snapshot, and skips a format it does not know for the whole log', async () => {
    await fixture.engine.idle();
    const expected = stateNow();
    const written = captureState(fixture.engine.state);
    expect(written.format).toBe(2);
    await fixture.restart({ finalSnapshot: false });
    const [{ last }] = (await query<{ last: string }>('SELECT max(position) AS last FROM engine_log')) as [{ last: string }];
    const insertSnapshotOfFormat = async (format: number) => {
      await query('DELETE FROM engine_snapshot');
      await query('INSERT INTO engine_snapshot (position, state) VALUES ($1, $2)', [last, JSON.stringify({ ...written, format })]);
    };

    // Format 1 differs only by fields that may be absent.
    await insertSnapshotOfFormat(1);
    await fixture.restart({ finalSnapshot: false });
    expect(fixture.engine.startup).toEqual({ snapshotPosition: Number(last), replayed: 0 });
    expect(stateNow()).toEqual(expected);

    // A newer engine's format may hold state this one would drop: replay the log instead.
    await insertSnapshotOfFormat(3);
    await fixture.restart({ finalSnapshot: false });
    expect(fixture.engine.startup.snapshotPosition).toBe(0);
    expect(fixture.engine.startup.replayed).toBeGreaterThan(0);
    expect(stateNow()).toEqual(expected);
  });
});

/** A process whose instances wait at a service task: an element, variables and a job each. */
function waitingProcess(id: string): string {
  return processXml(id, `<bpmn:startEvent id="start" /><bpmn:serviceTask id="wait"><bpmn:extensionElements><zeebe:taskDefinition type="${id}" /></bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="end" />`, ['start', 'wait', 'end']);
}

describe('log compaction (ENGINE_LOG_RETENTION=compact)', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('compaction', { snapshotEvery: 3, logRetention: 'compact' });
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const stateNow = () => JSON.parse(JSON.stringify(captureState(fixture.engine.state))) as unknown;
  const logBounds = async () => {
    const database = new pg.Client({ connectionString: fixture.database.url.href });
    await database.connect();
    try {
      const { rows } = await database.query<{ first: string; last: string; entries: string; oldest: string }>(
        'SELECT min(position) AS first, max(position) AS last, count(*) AS entries, (SELECT min(position) FROM engine_snapshot) AS oldest FROM engine_log',
      );
      return { first: Number(rows[0]!.first), last: Number(rows[0]!.last), entries: Number(rows[0]!.entries), oldestSnapshot: Number(rows[0]!.oldest) };
    } finally {
      await database.end();
    }
  };

  it('deletes the log behind the oldest kept snapshot, and a restart after a crash still restores the state', async () => {
    await fixture.client.deployResources([{ name: 'waiting.bpmn', content: waitingProcess('compact-waiting') }]);
    const keys: string[] = [];
    for (let i = 0; i < 12; i++) keys.push((await fixture.client.createProcessInstance({ processDefinitionId: 'compact-waiting', variables: { n: i } })).processInstanceKey);
    const jobs = await fixture.client.activateJobs({ type: 'compact-waiting', worker: 'w', timeout: 60_000, maxJobsToActivate: 4, requestTimeout: -1 });
    for (const job of jobs) await fixture.client.completeJob({ jobKey: job.jobKey, variables: { done: true } });
    await fixture.engine.idle();

    const bounds = await logBounds();
    // The log starts at the oldest kept snapshot: what came before it is gone, nothing after it is.
    expect(bounds.first).toBeGreaterThan(1);
    expect(bounds.first).toBe(bounds.oldestSnapshot);
    expect(bounds.entries).toBe(bounds.last - bounds.first + 1);
    expect(bounds.entries).toBeLessThan(bounds.last);
    const expected = stateNow();

    await fixture.restart({ finalSnapshot: false });
    expect(stateNow()).toEqual(expected);
    // It runs on, numbering log entries after the last one.
    const more = await fixture.client.activateJobs({ type: 'compact-waiting', worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 });
    await fixture.client.completeJob({ jobKey: more[0]!.jobKey, variables: {} });
    await eventually(async () => ((await fixture.elementIds(String(more[0]!.processInstanceKey), 'COMPLETED')).includes('end') ? true : undefined));
    expect((await logBounds()).last).toBeGreaterThan(bounds.last);
  });

  it('refuses to start from a compacted log alone rather than lose state', async () => {
    await fixture.engine.stop();
    const database = new pg.Client({ connectionString: fixture.database.url.href });
    await database.connect();
    await database.query('DELETE FROM engine_snapshot');
    await database.end();
    await expect(Engine.start({ databaseUrl: fixture.database.url, logger: fixture.logger, clock: fixture.clock })).rejects.toThrow(OperatorError);
  });
});
