import { messageXml, processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Timers run on the engine clock: tests pin it through PUT /v2/clock to skip
// hours. A timer never fires early, fires once pinned past its due time, and
// survives a restart.

const HOUR = 3_600_000;
const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) => `<bpmn:timerEventDefinition><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

describe('timers', () => {
  let fixture: EngineFixture;
  let now: number;

  beforeAll(async () => {
    fixture = await EngineFixture.start('timers');
  });

  beforeEach(async () => {
    now = Date.parse('2026-06-01T08:00:00Z') + Math.floor(Math.random() * 1000) * 10 * 24 * HOUR;
    await fixture.pinClock(now);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (xml: string) => fixture.client.deployResources([{ name: 'timers.bpmn', content: xml }]);
  const start = async (processDefinitionId: string, variables: Record<string, unknown> = {}) =>
    (await fixture.client.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;

  it('waits at an intermediate timer until it is due, never earlier, and after a restart', async () => {
    await deploy(
      processXml('wait-an-hour', `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', 'PT1H')}</bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />`, ['start', 'wait', 'end']),
    );
    const key = await start('wait-an-hour');
    expect(await fixture.elementIds(key)).toEqual(['wait']);
    await fixture.pinClock(now + HOUR - 1000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await fixture.instanceState(key)).toBe('ACTIVE');
    await fixture.restart();
    await fixture.pinClock(now + HOUR + 1000);
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
  });

  it('takes a FEEL duration from the variables, and an interrupting boundary timer cancels the task', async () => {
    await deploy(
      processXml(
        'answer-in-time',
        `<bpmn:startEvent id="start" />
         <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="slow-work" /></bpmn:extensionElements></bpmn:serviceTask>
         <bpmn:boundaryEvent id="too-late" attachedToRef="work">${timer('timeDuration', '=deadline')}</bpmn:boundaryEvent>
         <bpmn:endEvent id="done" /><bpmn:endEvent id="timed-out" />
         <bpmn:sequenceFlow id="late" sourceRef="too-late" targetRef="timed-out" />`,
        ['start', 'work', 'done'],
      ),
    );
    const key = await start('answer-in-time', { deadline: 'PT2H' });
    await fixture.pinClock(now + 2 * HOUR);
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(expect.arrayContaining(['timed-out', 'too-late']));
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual(['work']);
    const jobs = await fixture.client.activateJobs({ type: 'slow-work', worker: 'late', timeout: 1000, maxJobsToActivate: 10, requestTimeout: -1 });
    expect(jobs).toHaveLength(0);
  });

  it('escalates a user task with a non-interrupting timer, then the task is completed (service level)', async () => {
    await deploy(
      processXml(
        'service-level',
        `<bpmn:startEvent id="start" />
         <bpmn:userTask id="assess"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="adjusters" /></bpmn:extensionElements></bpmn:userTask>
         <bpmn:boundaryEvent id="overdue" attachedToRef="assess" cancelActivity="false">${timer('timeCycle', 'R2/PT24H')}</bpmn:boundaryEvent>
         <bpmn:scriptTask id="escalate"><bpmn:extensionElements><zeebe:script expression="=escalations + 1" resultVariable="escalations" /></bpmn:extensionElements></bpmn:scriptTask>
         <bpmn:endEvent id="escalated" /><bpmn:endEvent id="assessed" />
         <bpmn:sequenceFlow id="to-escalate" sourceRef="overdue" targetRef="escalate" />
         <bpmn:sequenceFlow id="to-escalated" sourceRef="escalate" targetRef="escalated" />`,
        ['start', 'assess', 'assessed'],
      ),
    );
    const key = await start('service-level', { escalations: 0 });
    await fixture.pinClock(now + 25 * HOUR);
    await eventually(async () => ((await fixture.elementIds(key, 'COMPLETED')).includes('escalated') ? true : undefined));
    await fixture.pinClock(now + 49 * HOUR);
    await eventually(async () => ((await fixture.elementIds(key, 'COMPLETED')).filter((id) => id === 'escalated').length === 2 ? true : undefined));
    await fixture.pinClock(now + 100 * HOUR);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fixture.elementIds(key, 'COMPLETED')).filter((id) => id === 'escalated')).toHaveLength(2);
    const task = await eventually(async () => (await fixture.client.searchUserTasks({ filter: { processInstanceKey: key, state: 'CREATED' } } as never)).items[0] as { userTaskKey: string } | undefined);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'approve' } });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    const escalations = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'escalations' } });
    expect(escalations.items[0]!.value).toBe('2');
  });

  it('starts instances from a timer start cycle, one per firing', async () => {
    const cycleStart = new Date(now + HOUR).toISOString();
    await deploy(processXml('every-hour', `<bpmn:startEvent id="tick">${timer('timeCycle', `R2/${cycleStart}/PT1H`)}</bpmn:startEvent><bpmn:endEvent id="end" />`, ['tick', 'end']));
    const count = async () => (await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'every-hour' } })).page.totalItems;
    expect(await count()).toBe(0);
    await fixture.pinClock(now + HOUR);
    await eventually(async () => ((await count()) === 1 ? true : undefined));
    await fixture.pinClock(now + 5 * HOUR);
    await eventually(async () => ((await count()) === 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await count()).toBe(2);
  });

  it('follows the event that happens first after an event-based gateway', async () => {
    await deploy(
      processXml(
        'first-event-wins',
        `<bpmn:startEvent id="start" />
         <bpmn:eventBasedGateway id="which" />
         <bpmn:intermediateCatchEvent id="answered"><bpmn:messageEventDefinition messageRef="answer" /></bpmn:intermediateCatchEvent>
         <bpmn:intermediateCatchEvent id="deadline">${timer('timeDuration', 'P14D')}</bpmn:intermediateCatchEvent>
         <bpmn:endEvent id="resumed" /><bpmn:endEvent id="abandoned" />
         <bpmn:sequenceFlow id="g1" sourceRef="which" targetRef="answered" />
         <bpmn:sequenceFlow id="g2" sourceRef="which" targetRef="deadline" />
         <bpmn:sequenceFlow id="a1" sourceRef="answered" targetRef="resumed" />
         <bpmn:sequenceFlow id="d1" sourceRef="deadline" targetRef="abandoned" />`,
        ['start', 'which'],
        messageXml('answer', 'claim-information-provided', 'claimId'),
      ),
    );
    const answered = await start('first-event-wins', { claimId: 'C-1' });
    const silent = await start('first-event-wins', { claimId: 'C-2' });
    expect(await fixture.elementIds(answered)).toEqual(['which']);
    await fixture.client.publishMessage({ name: 'claim-information-provided', correlationKey: 'C-1', variables: { documents: 2 }, timeToLive: 0 });
    await eventually(async () => ((await fixture.instanceState(answered)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(answered, 'COMPLETED')).toEqual(expect.arrayContaining(['answered', 'resumed', 'which']));
    await fixture.pinClock(now + 15 * 24 * HOUR);
    await eventually(async () => ((await fixture.instanceState(silent)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(silent, 'COMPLETED')).toEqual(expect.arrayContaining(['abandoned', 'deadline']));
    const documents = await fixture.client.searchVariables({ filter: { processInstanceKey: answered, name: 'documents' } });
    expect(documents.items[0]!.value).toBe('2');
  });

  it('refuses bad static timers at deployment and raises an incident for a bad FEEL one', async () => {
    const refused = await fixture.client
      .deployResources([{ name: 'bad.bpmn', content: processXml('bad-timer', `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', 'soon')}</bpmn:intermediateCatchEvent>`, ['start', 'wait']) }])
      .then(() => undefined, (error: unknown) => error as Error);
    expect(refused?.message).toMatch(/wait/);
    await deploy(processXml('feel-timer', `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="wait">${timer('timeDuration', '=wait')}</bpmn:intermediateCatchEvent>`, ['start', 'wait']));
    const key = await start('feel-timer', { wait: 12 });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key } })).items[0] as { errorType: string } | undefined);
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
  });
});
