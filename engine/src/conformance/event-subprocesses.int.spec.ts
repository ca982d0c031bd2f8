import { messageXml, processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Event subprocesses listen while their scope runs: an interrupting one ends
// everything else in the scope, a non-interrupting one runs beside it, and an
// error event subprocess catches errors thrown inside the scope.

const HOUR = 3_600_000;

const claimWithEvents = processXml(
  'claim-with-events',
  `<bpmn:startEvent id="start" />
   <bpmn:userTask id="assess"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>
   <bpmn:serviceTask id="pay"><bpmn:extensionElements><zeebe:taskDefinition type="pay-claim" /></bpmn:extensionElements></bpmn:serviceTask>
   <bpmn:endEvent id="paid" />
   <bpmn:subProcess id="withdrawal" triggeredByEvent="true">
     <bpmn:startEvent id="withdrawn"><bpmn:messageEventDefinition messageRef="withdrawMessage" /></bpmn:startEvent>
     <bpmn:endEvent id="closed-withdrawn" />
     <bpmn:sequenceFlow id="w1" sourceRef="withdrawn" targetRef="closed-withdrawn" />
   </bpmn:subProcess>
   <bpmn:subProcess id="reminders" triggeredByEvent="true">
     <bpmn:startEvent id="remind" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT24H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
     <bpmn:scriptTask id="count"><bpmn:extensionElements><zeebe:script expression="=reminders + 1" resultVariable="reminders" /></bpmn:extensionElements></bpmn:scriptTask>
     <bpmn:endEvent id="reminded" />
     <bpmn:sequenceFlow id="r1" sourceRef="remind" targetRef="count" />
     <bpmn:sequenceFlow id="r2" sourceRef="count" targetRef="reminded" />
   </bpmn:subProcess>
   <bpmn:subProcess id="payment-failed" triggeredByEvent="true">
     <bpmn:startEvent id="rejected"><bpmn:errorEventDefinition errorRef="paymentRejected" /></bpmn:startEvent>
     <bpmn:endEvent id="closed-unpaid" />
     <bpmn:sequenceFlow id="p1" sourceRef="rejected" targetRef="closed-unpaid" />
   </bpmn:subProcess>`,
  ['start', 'assess', 'pay', 'paid'],
  `${messageXml('withdrawMessage', 'claim-withdrawn', 'claimId')}<bpmn:error id="paymentRejected" errorCode="PAYMENT_REJECTED" />`,
);

describe('event subprocesses', () => {
  let fixture: EngineFixture;
  let now: number;

  beforeAll(async () => {
    fixture = await EngineFixture.start('event_subprocesses');
    await fixture.client.deployResources([{ name: 'claim.bpmn', content: claimWithEvents }]);
  });

  beforeEach(async () => {
    now = Date.parse('2026-03-01T08:00:00Z') + Math.floor(Math.random() * 1000) * 30 * 24 * HOUR;
    await fixture.pinClock(now);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const start = async (claimId: string) => (await fixture.client.createProcessInstance({ processDefinitionId: 'claim-with-events', variables: { claimId, reminders: 0 } })).processInstanceKey;
  const taskOf = (processInstanceKey: string) =>
    eventually(async () => (await fixture.client.searchUserTasks({ filter: { processInstanceKey, state: 'CREATED' } } as never)).items[0] as { userTaskKey: string } | undefined);
  const completed = (key: string) => eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));

  it('interrupts the claim when the withdrawal message arrives', async () => {
    const key = await start('W-1');
    await taskOf(key);
    await fixture.client.publishMessage({ name: 'claim-withdrawn', correlationKey: 'W-1', variables: { reason: 'paid privately' }, timeToLive: 0 });
    await completed(key);
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(expect.arrayContaining(['closed-withdrawn', 'withdrawal', 'withdrawn']));
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual(['assess']);
    const tasks = await fixture.client.searchUserTasks({ filter: { processInstanceKey: key } });
    expect((tasks.items[0] as { state: string }).state).toBe('CANCELED');
  });

  it('sends reminders beside the running claim without interrupting it', async () => {
    const key = await start('R-1');
    const task = await taskOf(key);
    await fixture.pinClock(now + 25 * HOUR);
    await eventually(async () => ((await fixture.elementIds(key, 'COMPLETED')).includes('reminded') ? true : undefined));
    await fixture.pinClock(now + 49 * HOUR);
    await eventually(async () => ((await fixture.elementIds(key, 'COMPLETED')).filter((id) => id === 'reminded').length === 2 ? true : undefined));
    expect(await fixture.elementIds(key)).toEqual(['assess']);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: {} });
    const jobs = await eventually(async () => {
      const found = await fixture.client.activateJobs({ type: 'pay-claim', worker: 'payer', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
      return found.length > 0 ? found : undefined;
    });
    await fixture.client.completeJob({ jobKey: jobs[0]!.jobKey, variables: {} });
    await completed(key);
    const reminders = await fixture.client.searchVariables({ filter: { processInstanceKey: key, scopeKey: key, name: 'reminders' } });
    expect(reminders.items[0]!.value).toBe('2');
  });

  it('catches an error thrown inside the process in the error event subprocess', async () => {
    const key = await start('E-1');
    const task = await taskOf(key);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: {} });
    const jobs = await eventually(async () => {
      const found = await fixture.client.activateJobs({ type: 'pay-claim', worker: 'payer', timeout: 10_000, maxJobsToActivate: 5, requestTimeout: -1 });
      return found.find((job) => job.processInstanceKey === key);
    });
    await fixture.client.errorJob({ jobKey: jobs.jobKey, errorCode: 'PAYMENT_REJECTED', errorMessage: 'account closed', variables: {} });
    await completed(key);
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(expect.arrayContaining(['closed-unpaid', 'payment-failed']));
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual(['pay']);
  });
});
