import pg from 'pg';
import { captureState } from '../state/state-snapshot';
import { processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// A command is all or nothing, as a Zeebe command is one state transaction:
// one that fails halfway leaves no events and no state behind, and the
// element it was about gets an incident. Due work taken too early goes back.
// https://docs.camunda.io/docs/components/zeebe/technical-concepts/internal-processing/

const HOUR = 3_600_000;

/** A task whose completion runs into a loop with no wait state, which the engine's step budget stops halfway. */
const loopAfterTask = (id: string) =>
  processXml(
    id,
    `<bpmn:startEvent id="start" />
     <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="${id}" /></bpmn:extensionElements></bpmn:serviceTask>
     <bpmn:exclusiveGateway id="again" default="round" />
     <bpmn:manualTask id="spin" />
     <bpmn:sequenceFlow id="round" sourceRef="again" targetRef="spin" />
     <bpmn:sequenceFlow id="back" sourceRef="spin" targetRef="again" />`,
    ['start', 'work', 'again'],
  );

describe('transactions', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('transactions');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (xml: string) => fixture.client.deployResources([{ name: 'transactions.bpmn', content: xml }]);
  const lastEntry = async () => {
    const database = new pg.Client({ connectionString: fixture.database.url.href });
    await database.connect();
    const { rows } = await database.query<{ position: string; events: { type: string }[] }>('SELECT position, events FROM engine_log ORDER BY position DESC LIMIT 1').finally(() => database.end());
    return { position: Number(rows[0]!.position), types: rows[0]!.events.map((e) => e.type) };
  };

  it('keeps nothing of a job completion that fails halfway, and raises an incident on the task', async () => {
    await deploy(loopAfterTask('fails-halfway'));
    const { processInstanceKey } = await fixture.client.createProcessInstance({ processDefinitionId: 'fails-halfway', variables: { claim: 1 } });
    const [job] = await fixture.client.activateJobs({ type: 'fails-halfway', worker: 'w', maxJobsToActivate: 1, timeout: 60_000 });
    await fixture.engine.idle();
    const before = await lastEntry();

    const completion = await fixture.http('POST', `/v2/jobs/${job!.jobKey}/completion`, { variables: { paid: true } });
    expect(completion.status).toBe(500);

    // One entry, holding only the incident: none of the loop's thousands of events.
    const after = await lastEntry();
    expect(after.position).toBe(before.position + 1);
    expect(after.types).toEqual(['IncidentCreated']);
    expect(await fixture.elementIds(processInstanceKey)).toEqual(['work']);
    const incidents = await fixture.client.searchIncidents({ filter: { processInstanceKey } });
    expect(incidents.items).toMatchObject([{ elementId: 'work', errorType: 'UNKNOWN', state: 'ACTIVE' }]);
    expect((incidents.items[0] as { errorMessage: string }).errorMessage).toContain('without reaching a wait state');
    const variables = await fixture.client.searchVariables({ filter: { processInstanceKey } });
    expect((variables.items as { name: string }[]).map((v) => v.name)).toEqual(['claim']);
    // The job is as it was: still activated, still the worker's.
    expect(fixture.engine.state.jobs.get(Number(job!.jobKey))).toMatchObject({ state: 'ACTIVATED', worker: 'w' });

    // Memory equals what the log rebuilds: the rollback left nothing behind.
    const live = captureState(fixture.engine.state);
    await fixture.restart({ finalSnapshot: false });
    expect(captureState(fixture.engine.state)).toEqual(live);
  });

  it('puts a timer taken from the due queue before its time back, so it still fires', async () => {
    const now = Date.parse('2026-07-01T08:00:00Z');
    await fixture.pinClock(now);
    await deploy(
      processXml(
        'taken-early',
        `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />`,
        ['start', 'wait', 'end'],
      ),
    );
    const { processInstanceKey } = await fixture.client.createProcessInstance({ processDefinitionId: 'taken-early', variables: {} });
    await fixture.engine.idle();

    // The due queue sees the clock past the timer, then the clock moves back before the command runs.
    const clock = fixture.engine.clock;
    let seen = 0;
    const movedBack = jest.spyOn(clock, 'now').mockImplementation(() => (seen++ < 2 ? now + 2 * HOUR : now));
    clock.pin(now + 2 * HOUR);
    await eventually(() => Promise.resolve(seen > 2 ? true : undefined));
    await fixture.engine.idle();
    movedBack.mockRestore();
    expect(await fixture.instanceState(processInstanceKey)).toBe('ACTIVE');

    await fixture.pinClock(now + 2 * HOUR);
    await eventually(async () => ((await fixture.instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
  });

  it('writes projections from the values its batch closed with, so a failed next commit leaves them at the log', async () => {
    await deploy(loopAfterTask('projected'));
    const { processInstanceKey } = await fixture.client.createProcessInstance({ processDefinitionId: 'projected', variables: { amount: 1 } });
    await fixture.engine.idle();
    const store = (fixture.engine as unknown as { store: { commit: (...args: unknown[]) => Promise<void> } }).store;
    const commit = store.commit.bind(store);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let calls = 0;
    // The first batch commits slowly; the batch processed meanwhile fails to commit.
    store.commit = async (...args: unknown[]) => {
      if (++calls === 1) {
        await gate;
        return commit(...args);
      }
      throw new Error('injected commit failure');
    };
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    try {
      const first = fixture.engine.setVariables(Number(processInstanceKey), { amount: 2 }, false);
      await eventually(() => Promise.resolve(calls === 1 ? true : undefined));
      const second = fixture.engine.setVariables(Number(processInstanceKey), { amount: 3 }, false).catch((error: unknown) => error);
      const variable = [...fixture.engine.state.variables.values()].find((v) => v.name === 'amount')!;
      await eventually(() => Promise.resolve(variable.value === '3' ? true : undefined));
      open();
      await first;
      expect(await second).toBeInstanceOf(Error);
      // The engine stops after a failed commit (and would exit); the next start recovers from the log.
      await eventually(() => Promise.resolve(exit.mock.calls.length > 0 ? true : undefined));
    } finally {
      exit.mockRestore();
      process.exitCode = undefined;
    }
    // The stopped engine answers no searches: read its projection directly.
    const database = new pg.Client({ connectionString: fixture.database.url.href });
    await database.connect();
    try {
      const { rows } = await database.query<{ value: string }>(`SELECT value FROM variable WHERE process_instance_key = $1 AND name = 'amount'`, [processInstanceKey]);
      expect(rows).toEqual([{ value: '2' }]);
      // A start projects the live entities again: a row changed behind the engine's back is put right.
      await database.query(`UPDATE variable SET value = '"tampered"' WHERE process_instance_key = $1`, [processInstanceKey]);
    } finally {
      await database.end();
    }
    await fixture.restart({ finalSnapshot: false });
    const again = await fixture.client.searchVariables({ filter: { processInstanceKey, name: 'amount' } });
    expect((again.items[0] as { value: string }).value).toBe('2');
  });

  // https://docs.camunda.io/docs/components/modeler/feel/builtin-functions/feel-built-in-functions-temporal/#now
  it("evaluates FEEL's now() and today() on the engine clock", async () => {
    const pinned = Date.parse('2031-03-04T05:06:07Z');
    await fixture.pinClock(pinned);
    await deploy(
      processXml(
        'stamped',
        `<bpmn:startEvent id="start" />
         <bpmn:scriptTask id="stamp"><bpmn:extensionElements><zeebe:script expression="={at: now(), day: today(), later: now() &gt; date and time(&quot;2031-01-01T00:00:00Z&quot;)}" resultVariable="stamp" /></bpmn:extensionElements></bpmn:scriptTask>
         <bpmn:endEvent id="end" />`,
        ['start', 'stamp', 'end'],
      ),
    );
    const { processInstanceKey } = await fixture.client.createProcessInstance({ processDefinitionId: 'stamped', variables: {} });
    const found = await eventually(async () => (await fixture.client.searchVariables({ filter: { processInstanceKey, name: 'stamp' } })).items[0] as { value: string } | undefined);
    const stamp = JSON.parse(found.value) as { at: string; day: string; later: boolean };
    expect(Date.parse(stamp.at.replace(/\[.*\]$/, ''))).toBe(pinned);
    expect(stamp).toMatchObject({ day: '2031-03-04', later: true });
  });
});

// https://docs.camunda.io/docs/self-managed/zeebe-deployment/configuration/broker/ (ZEEBE_CLOCK_CONTROLLED)
describe('an engine whose clock is not controlled', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('clock_not_controlled', { clockControlled: false });
  });

  afterAll(async () => {
    await fixture.stop();
  });

  it('refuses to pin or reset its clock', async () => {
    const pinned = await fixture.http('PUT', '/v2/clock', { timestamp: Date.now() + 3_600_000 });
    expect(pinned.status).toBe(409);
    expect(pinned.contentType).toContain('application/problem+json');
    expect((pinned.body as { detail: string }).detail).toContain('ENGINE_CLOCK_CONTROLLED');
    expect((await fixture.http('POST', '/v2/clock/reset', {})).status).toBe(409);
    expect(Math.abs(fixture.engine.clock.now() - Date.now())).toBeLessThan(60_000);
  });
});
