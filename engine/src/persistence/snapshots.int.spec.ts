import pg from 'pg';
import { captureState } from '../state/state-snapshot';
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
    fixture = await EngineFixture.start('snapshots', { snapshotEvery: 3 });
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
});
