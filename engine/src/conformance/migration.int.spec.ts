import { definitions, messageXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import { refusal } from '../testing/refusal';

// Process instance migration through CamundaRestClient.migrateProcessInstance,
// one test per rule of
// https://docs.camunda.io/docs/components/concepts/process-instance-migration/

const task = (id: string, type: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const userTask = (id: string) => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const ids = (elements: [id: string, xml: string][]) => ['start', ...elements.map(([id]) => id), 'end'];
/** A process of elements in a row, start and end events added. */
const row = (processId: string, elements: [id: string, xml: string][], extra = '') =>
  definitions(`<bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />${elements.map(([, xml]) => xml).join('')}<bpmn:endEvent id="end" />
    ${ids(elements).slice(1).map((to, i) => flow(`f${i}`, ids(elements)[i]!, to)).join('')}
  </bpmn:process>${extra}`);

const PAGE = 'https://docs.camunda.io/docs/components/concepts/process-instance-migration/';

interface Task {
  userTaskKey: string;
  elementId: string;
  assignee?: string;
  processDefinitionKey: string;
  state: string;
}

describe(`process instance migration (${PAGE})`, () => {
  let fixture: EngineFixture;
  /** Version 2 of mig-plain: A, then a user task U. */
  let plainV2 = '';

  beforeAll(async () => {
    fixture = await EngineFixture.start('migration');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = async (name: string, xml: string) => (await fixture.client.deployResources([{ name, content: xml }])).processes[0]!.processDefinitionKey;
  const start = async (processDefinitionId: string, variables: Record<string, string | number> = {}) =>
    (await fixture.client.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;
  const migrate = (processInstanceKey: string, targetProcessDefinitionKey: string, mapping: [string, string][]) =>
    fixture.client.migrateProcessInstance({
      processInstanceKey,
      targetProcessDefinitionKey,
      mappingInstructions: mapping.map(([sourceElementId, targetElementId]) => ({ sourceElementId, targetElementId })),
    });
  const jobFor = async (type: string, processInstanceKey: string) =>
    (await fixture.client.activateJobs({ type, worker: 't', timeout: 10_000, maxJobsToActivate: 100, requestTimeout: -1 })).find((j) => j.processInstanceKey === processInstanceKey);
  const userTasks = async (processInstanceKey: string) => {
    const response = await fixture.http('POST', '/v2/user-tasks/search', { filter: { processInstanceKey } });
    return (response.body as { items: Task[] }).items;
  };

  // "Changing the process instance flow for inactive parts": the instance goes on along the target's flows.
  it('moves the instance to the new version, keeping the job key and variables, and follows the new flow', async () => {
    await deploy('line-v1.bpmn', row('mig-line', [['A', task('A', 'mig-a')]]));
    const key = await start('mig-line', { claimId: 'C-7' });
    const [before] = await fixture.client.activateJobs({ type: 'mig-a', worker: 't', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 });
    const v2 = await deploy('line-v2.bpmn', row('mig-line', [['A', task('A', 'mig-a')], ['B', task('B', 'mig-b')]]));
    await migrate(key, v2, [['A', 'A']]);

    const instance = (await fixture.client.searchProcessInstances({ filter: { processInstanceKey: key } })).items[0]!;
    expect([instance.processDefinitionKey, instance.processDefinitionVersion]).toEqual([v2, 2]);
    const a = (await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, elementId: 'A' } })).items;
    expect(a.map((e) => [e.processDefinitionKey, e.state])).toEqual([[v2, 'ACTIVE']]);
    // The activated job is the same job: completing it by its key continues in version 2.
    await fixture.client.completeJob({ jobKey: before!.jobKey, variables: {} });
    expect(await fixture.elementIds(key)).toEqual(['B']);
    const claimId = (await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'claimId' } })).items;
    expect(claimId.map((v) => v.value)).toEqual(['"C-7"']);
  });

  // "User tasks": a migrated user task keeps its key and its assignee.
  it('keeps a user task with its key and assignee, now as the target element', async () => {
    await deploy('review-v1.bpmn', row('mig-review', [['review', userTask('review')]]));
    const key = await start('mig-review');
    const [review] = await userTasks(key);
    await fixture.client.assignUserTask({ userTaskKey: review!.userTaskKey, assignee: 'ada' });
    const v2 = await deploy('review-v2.bpmn', row('mig-review', [['assess', userTask('assess')], ['pay', task('pay', 'mig-pay')]]));
    await migrate(key, v2, [['review', 'assess']]);
    const [moved] = await userTasks(key);
    expect(moved).toMatchObject({ userTaskKey: review!.userTaskKey, elementId: 'assess', assignee: 'ada', processDefinitionKey: v2, state: 'CREATED' });
    await fixture.client.completeUserTask({ userTaskKey: review!.userTaskKey });
    expect(await fixture.elementIds(key)).toEqual(['pay']);
  });

  // "Incidents": an incident of a migrated element moves with it, and resolving it afterwards works.
  it('moves an open incident with its element', async () => {
    await deploy('fragile-v1.bpmn', row('mig-fragile', [['call', task('call', 'mig-call')]]));
    const key = await start('mig-fragile');
    const job = await jobFor('mig-call', key);
    await fixture.client.failJob({ jobKey: job!.jobKey, retries: 0, errorMessage: 'down', retryBackOff: 0 });
    const v2 = await deploy('fragile-v2.bpmn', row('mig-fragile', [['callAgain', task('callAgain', 'mig-call')]]));
    await migrate(key, v2, [['call', 'callAgain']]);
    const [incident] = (await fixture.client.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE' } })).items;
    expect([incident!.processDefinitionKey, incident!.elementId]).toEqual([v2, 'callAgain']);
    await fixture.client.updateJob({ jobKey: job!.jobKey, retries: 1 });
    await fixture.client.resolveIncident(incident!.incidentKey);
    const again = await jobFor('mig-call', key);
    expect(again!.jobKey).toBe(job!.jobKey);
    expect(again!.elementId).toBe('callAgain');
  });

  // "Limitations": every active element needs a mapping instruction.
  it('refuses an active element without a mapping', async () => {
    await deploy('plain-v1.bpmn', row('mig-plain', [['A', task('A', 'mig-plain-a')]]));
    const key = await start('mig-plain');
    const v2 = (plainV2 = await deploy('plain-v2.bpmn', row('mig-plain', [['A', task('A', 'mig-plain-a')], ['U', userTask('U')]])));
    const refused = await refusal(migrate(key, v2, []));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/no mapping instruction defined for active element with id 'A'/);
    // Nothing changed.
    expect((await fixture.client.searchProcessInstances({ filter: { processInstanceKey: key } })).items[0]!.processDefinitionVersion).toBe(1);
  });

  // "Limitations": an element is mapped to an element of the same type.
  it('refuses a mapping to an element of another type', async () => {
    const key = await start('mig-plain');
    const v2 = plainV2;
    const refused = await refusal(migrate(key, v2, [['A', 'U']]));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/type 'SERVICE_TASK' is mapped to an element with id 'U' and different type 'USER_TASK'/);
  });

  // Mapping instructions name elements that exist, each source once.
  it('refuses unknown source or target elements and duplicate sources', async () => {
    const key = await start('mig-plain');
    const v2 = plainV2;
    expect((await refusal(migrate(key, v2, [['A', 'nowhere']]))).detail).toMatch(/non-existing target element id 'nowhere'/);
    expect((await refusal(migrate(key, v2, [['ghost', 'A'], ['A', 'A']]))).detail).toMatch(/non-existing source element id 'ghost'/);
    expect((await refusal(migrate(key, v2, [['A', 'A'], ['A', 'U']]))).detail).toMatch(/duplicate source element ids 'A'/);
  });

  it('answers 404 for an unknown target definition or process instance', async () => {
    const key = await start('mig-plain');
    expect((await refusal(migrate(key, '2251799813685999', [['A', 'A']]))).status).toBe(404);
    await fixture.client.cancelProcessInstance({ processInstanceKey: key });
    const v2 = plainV2;
    expect((await refusal(migrate(key, v2, [['A', 'A']]))).status).toBe(404);
  });

  // "Limitations": the flow scope of an element cannot change.
  it('refuses to move an element into another flow scope', async () => {
    const key = await start('mig-plain');
    const wrapped = await deploy(
      'wrapped.bpmn',
      definitions(`<bpmn:process id="mig-wrapped" isExecutable="true">
        <bpmn:startEvent id="start" />
        <bpmn:subProcess id="wrap"><bpmn:startEvent id="ws" />${task('A', 'mig-plain-a')}<bpmn:endEvent id="we" />${flow('w1', 'ws', 'A')}${flow('w2', 'A', 'we')}</bpmn:subProcess>
        <bpmn:endEvent id="end" />${flow('f1', 'start', 'wrap')}${flow('f2', 'wrap', 'end')}
      </bpmn:process>`),
    );
    const refused = await refusal(migrate(key, wrapped, [['A', 'A']]));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/flow scope of active element with id 'A' is changed/);
  });

  // Migration to another process (not only another version) is allowed.
  it('migrates to a definition of another process id', async () => {
    const key = await start('mig-plain');
    const other = await deploy('other.bpmn', row('mig-other', [['X', task('X', 'mig-plain-a')]]));
    await migrate(key, other, [['A', 'X']]);
    const instance = (await fixture.client.searchProcessInstances({ filter: { processInstanceKey: key } })).items[0]!;
    expect(instance.processDefinitionId).toBe('mig-other');
    expect(await fixture.elementIds(key)).toEqual(['X']);
  });

  // "Migrate catch events: if a catch event is mapped, the associated subscription is migrated" (a catch event
  // itself follows its element's mapping): the subscription keeps its message name and correlation key.
  it('keeps the message subscription of a waiting catch event, now for the target element', async () => {
    const xml = (id: string, name: string) => row('mig-waits', [[id, `<bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>`]], messageXml('m', name, 'claimId'));
    await deploy('waits-v1.bpmn', xml('docs', 'mig-docs'));
    const key = await start('mig-waits', { claimId: 'C-9' });
    const v2 = await deploy('waits-v2.bpmn', xml('documents', 'mig-documents-v2'));
    await migrate(key, v2, [['docs', 'documents']]);
    const found = await fixture.http('POST', '/v2/message-subscriptions/search', { filter: { processInstanceKey: key } });
    expect((found.body as { items: Record<string, unknown>[] }).items).toEqual([
      expect.objectContaining({ elementId: 'documents', processDefinitionKey: v2, messageName: 'mig-docs', correlationKey: 'C-9', messageSubscriptionState: 'CREATED' }),
    ]);
    await fixture.client.publishMessage({ name: 'mig-docs', correlationKey: 'C-9', variables: {}, timeToLive: 0 });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(key, 'COMPLETED')).toContain('documents');
  });

  // "A mapping instruction is provided between the catch events": the timer keeps its due date (the remaining time);
  // "No mapping instruction is provided": the old timer is cancelled and the target's is opened afresh.
  it('keeps a mapped timer boundary event due when it was, and restarts an unmapped one from the target', async () => {
    const guarded = (boundaryId: string, duration: string) =>
      definitions(`<bpmn:process id="mig-timed" isExecutable="true">
        <bpmn:startEvent id="start" />${userTask('A')}<bpmn:endEvent id="end" /><bpmn:endEvent id="timed-out" />
        <bpmn:boundaryEvent id="${boundaryId}" attachedToRef="A"><bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('f1', 'start', 'A')}${flow('f2', 'A', 'end')}${flow('f3', boundaryId, 'timed-out')}
      </bpmn:process>`);
    const HOUR = 3_600_000;
    const now = Date.parse('2031-03-01T08:00:00Z');
    await fixture.pinClock(now);
    await deploy('timed-v1.bpmn', guarded('T1', 'PT1H'));
    const mapped = await start('mig-timed');
    const unmapped = await start('mig-timed');
    const v2 = await deploy('timed-v2.bpmn', guarded('T2', 'PT2H'));
    await migrate(mapped, v2, [['A', 'A'], ['T1', 'T2']]);
    await migrate(unmapped, v2, [['A', 'A']]);
    await fixture.pinClock(now + HOUR + 60_000);
    await eventually(async () => ((await fixture.instanceState(mapped)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(mapped, 'COMPLETED')).toEqual(['T2', 'start', 'timed-out']);
    // Released with the mapped one had it kept its old due date; it waits for the target's two hours.
    expect(await fixture.elementIds(unmapped)).toEqual(['A']);
    await fixture.pinClock(now + 2 * HOUR + 60_000);
    await eventually(async () => ((await fixture.instanceState(unmapped)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(unmapped, 'COMPLETED')).toEqual(['T2', 'start', 'timed-out']);
    await fixture.resetClock();
  });

  // "Add catch events": a boundary event of the target no mapping points at is opened; "Remove catch events":
  // a source one not mapped is closed. A target's error boundary event needs no subscription and catches too.
  it('opens a boundary event the target adds, closes one it drops, and catches with a target error boundary event', async () => {
    const guarded = (boundary: string) =>
      definitions(`<bpmn:process id="mig-guarded" isExecutable="true">
        <bpmn:startEvent id="start" />${task('A', 'mig-guarded-a')}<bpmn:endEvent id="end" /><bpmn:endEvent id="rejected" />
        <bpmn:boundaryEvent id="guard" attachedToRef="A">${boundary}</bpmn:boundaryEvent>
        ${flow('f1', 'start', 'A')}${flow('f2', 'A', 'end')}${flow('f3', 'guard', 'rejected')}
      </bpmn:process>${messageXml('withdrawn', 'mig-withdrawn', 'claimId')}`);
    await deploy('guarded-v1.bpmn', row('mig-guarded', [['A', task('A', 'mig-guarded-a')]]));
    const withdrawn = await start('mig-guarded', { claimId: 'W-1' });
    const declined = await start('mig-guarded', { claimId: 'W-2' });
    const withMessage = await deploy('guarded-message.bpmn', guarded('<bpmn:messageEventDefinition messageRef="withdrawn" />'));
    await migrate(withdrawn, withMessage, [['A', 'A']]);
    await migrate(declined, withMessage, [['A', 'A']]);
    await fixture.client.publishMessage({ name: 'mig-withdrawn', correlationKey: 'W-1', variables: {}, timeToLive: 0 });
    await eventually(async () => ((await fixture.instanceState(withdrawn)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(withdrawn, 'COMPLETED')).toEqual(['guard', 'rejected', 'start']);

    const withError = await deploy('guarded-error.bpmn', guarded('<bpmn:errorEventDefinition />'));
    await migrate(declined, withError, [['A', 'A']]);
    const subscriptions = await fixture.http('POST', '/v2/message-subscriptions/search', { filter: { processInstanceKey: declined } });
    expect((subscriptions.body as { items: { messageSubscriptionState: string }[] }).items.map((item) => item.messageSubscriptionState)).toEqual(['DELETED']);
    const job = await jobFor('mig-guarded-a', declined);
    await fixture.client.errorJob({ jobKey: job!.jobKey, errorCode: 'DECLINED', errorMessage: 'declined', variables: {} });
    expect(await fixture.elementIds(declined, 'COMPLETED')).toEqual(['guard', 'rejected', 'start']);
  });

  // "Catch event limitations": a catch event cannot be detached from its element nor mapped to another type of catch event.
  it('refuses a catch event mapped away from its element or to another type of catch event', async () => {
    const twoTasks = (boundary: string) =>
      definitions(`<bpmn:process id="mig-catch-rules" isExecutable="true">
        <bpmn:startEvent id="start" />${userTask('A')}${userTask('B')}<bpmn:endEvent id="end" /><bpmn:endEvent id="late" />
        <bpmn:boundaryEvent id="onA" attachedToRef="A">${boundary}</bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="onB" attachedToRef="B">${boundary}</bpmn:boundaryEvent>
        ${flow('f1', 'start', 'A')}${flow('f2', 'A', 'B')}${flow('f3', 'B', 'end')}${flow('f4', 'onA', 'late')}${flow('f5', 'onB', 'late')}
      </bpmn:process>${messageXml('m', 'mig-rules', 'claimId')}`);
    const timerXml = '<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>';
    await deploy('rules-v1.bpmn', twoTasks(timerXml));
    const key = await start('mig-catch-rules', { claimId: 'R-1' });
    const sameKind = await deploy('rules-v2.bpmn', twoTasks(timerXml.replace('PT1H', 'PT3H')));
    const detached = await refusal(migrate(key, sameKind, [['A', 'A'], ['onA', 'onB']]));
    expect(detached.status).toBe(400);
    expect(detached.detail).toMatch(/cannot detach a catch event from an active element/);
    const messages = await deploy('rules-v3.bpmn', twoTasks('<bpmn:messageEventDefinition messageRef="m" />'));
    const otherKind = await refusal(migrate(key, messages, [['A', 'A'], ['onA', 'onA']]));
    expect(otherKind.status).toBe(400);
    expect(otherKind.detail).toMatch(/waits for a timer but is mapped to 'onA', which waits for a message/);
    // Unmapped, the timer is closed and the message boundary event opened instead.
    await migrate(key, messages, [['A', 'A']]);
    const found = await fixture.http('POST', '/v2/message-subscriptions/search', { filter: { processInstanceKey: key } });
    expect((found.body as { items: Record<string, unknown>[] }).items).toEqual([expect.objectContaining({ elementId: 'onA', messageName: 'mig-rules', correlationKey: 'R-1' })]);
  });

  // "if you want to keep the message name the same for a message event subprocess, you should map the start event
  // of the event subprocess"; the migrated subscription is logged, so a restart replaying the log keeps it.
  it('keeps the subscription of an event subprocess whose start event is mapped, across a restart', async () => {
    const withCancel = (startId: string, name: string) =>
      definitions(`<bpmn:process id="mig-esp" isExecutable="true">
        <bpmn:startEvent id="start" />${userTask('A')}<bpmn:endEvent id="end" />${flow('f1', 'start', 'A')}${flow('f2', 'A', 'end')}
        <bpmn:subProcess id="on-${startId}" triggeredByEvent="true">
          <bpmn:startEvent id="${startId}"><bpmn:messageEventDefinition messageRef="cancel" /></bpmn:startEvent><bpmn:endEvent id="${startId}-end" />
          ${flow('e1', startId, `${startId}-end`)}
        </bpmn:subProcess>
      </bpmn:process>${messageXml('cancel', name, 'claimId')}`);
    await deploy('esp-v1.bpmn', withCancel('cancelled', 'mig-cancel'));
    const key = await start('mig-esp', { claimId: 'E-1' });
    const v2 = await deploy('esp-v2.bpmn', withCancel('withdrawn', 'mig-withdraw-v2'));
    await migrate(key, v2, [['A', 'A'], ['cancelled', 'withdrawn']]);
    await fixture.restart({ finalSnapshot: false });
    await fixture.client.publishMessage({ name: 'mig-cancel', correlationKey: 'E-1', variables: {}, timeToLive: 0 });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(['on-withdrawn', 'start', 'withdrawn', 'withdrawn-end']);
  });

  it('keeps the migration across a restart that replays the log', async () => {
    await deploy('restart-v1.bpmn', row('mig-restart', [['A', task('A', 'mig-restart-a')]]));
    const key = await start('mig-restart');
    const v2 = await deploy('restart-v2.bpmn', row('mig-restart', [['A2', task('A2', 'mig-restart-a')], ['B', task('B', 'mig-restart-b')]]));
    await migrate(key, v2, [['A', 'A2']]);
    await fixture.restart({ finalSnapshot: false });
    const job = await jobFor('mig-restart-a', key);
    expect(job!.elementId).toBe('A2');
    await fixture.client.completeJob({ jobKey: job!.jobKey, variables: {} });
    expect(await fixture.elementIds(key)).toEqual(['B']);
  });

  // "Migrating joining parallel and inclusive gateways": the gateway is mapped, the target has at least as many
  // incoming flows, and the taken flow is mapped to the target's (the page's example: C added before the join).
  it('keeps a token waiting at a joining parallel gateway on the mapped gateway and flow', async () => {
    const fork = (body: string, flows: string) =>
      definitions(`<bpmn:process id="mig-join" isExecutable="true">
        <bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />${userTask('A')}${userTask('B')}${body}<bpmn:endEvent id="end" />
        ${flow('f0', 'start', 'fork')}${flow('fa', 'fork', 'A')}${flow('fb', 'fork', 'B')}${flows}
      </bpmn:process>`);
    await deploy('join-v1.bpmn', fork('<bpmn:parallelGateway id="join" />', `${flow('flow1', 'A', 'join')}${flow('fbj', 'B', 'join')}${flow('fend', 'join', 'end')}`));
    const key = await start('mig-join');
    const tasks = await eventually(async () => ((await userTasks(key)).length === 2 ? userTasks(key) : undefined));
    await fixture.client.completeUserTask({ userTaskKey: tasks.find((t) => t.elementId === 'A')!.userTaskKey });
    await eventually(async () => ((await fixture.elementIds(key)).join() === 'B' ? true : undefined));
    const v2 = await deploy(
      'join-v2.bpmn',
      fork(`${userTask('C')}<bpmn:parallelGateway id="gateway2" />`, `${flow('fac', 'A', 'C')}${flow('flow2', 'C', 'gateway2')}${flow('fbj', 'B', 'gateway2')}${flow('fend', 'gateway2', 'end')}`),
    );
    const narrow = await deploy(
      'join-v3.bpmn',
      fork('<bpmn:parallelGateway id="gateway2" /><bpmn:endEvent id="a-end" />', `${flow('fae', 'A', 'a-end')}${flow('flow2', 'B', 'gateway2')}${flow('fend', 'gateway2', 'end')}`),
    );

    const unmapped = await refusal(migrate(key, v2, [['B', 'B']]));
    expect([unmapped.status, unmapped.detail]).toEqual([400, expect.stringMatching(/joining gateway with id 'join' has taken incoming sequence flows and no mapping instruction/)]);
    const flowUnmapped = await refusal(migrate(key, v2, [['B', 'B'], ['join', 'gateway2']]));
    expect(flowUnmapped.detail).toMatch(/sequence flow with id 'flow1' .* to 'flow1', which is not an incoming sequence flow of the target gateway 'gateway2'/);
    const fewer = await refusal(migrate(key, narrow, [['B', 'B'], ['join', 'gateway2'], ['flow1', 'flow2']]));
    expect(fewer.detail).toMatch(/has 2 incoming sequence flows, but its target 'gateway2' has only 1/);
    const flowToElement = await refusal(migrate(key, v2, [['B', 'B'], ['join', 'gateway2'], ['flow1', 'C']]));
    expect(flowToElement.detail).toMatch(/A sequence flow can only be mapped to a sequence flow/);

    await migrate(key, v2, [['B', 'B'], ['join', 'gateway2'], ['flow1', 'flow2']]);
    // B must still complete; then the join fires on flow2's token without C ever running.
    await fixture.restart({ finalSnapshot: false });
    expect(await fixture.instanceState(key)).toBe('ACTIVE');
    await fixture.client.completeUserTask({ userTaskKey: tasks.find((t) => t.elementId === 'B')!.userTaskKey });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(['A', 'B', 'end', 'fork', 'gateway2', 'start']);
  });

  // A taken flow without a mapping instruction keeps its id when the target gateway has an incoming flow of that id.
  it('keeps a token at a joining inclusive gateway by the flow ids the target shares', async () => {
    const inclusive = (after: string, flows: string) =>
      definitions(`<bpmn:process id="mig-or-join" isExecutable="true">
        <bpmn:startEvent id="start" /><bpmn:inclusiveGateway id="fork" />${userTask('A')}${userTask('B')}<bpmn:inclusiveGateway id="join" />${after}<bpmn:endEvent id="end" />
        ${flow('f0', 'start', 'fork')}
        <bpmn:sequenceFlow id="fa" sourceRef="fork" targetRef="A"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="fb" sourceRef="fork" targetRef="B"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>
        ${flow('aj', 'A', 'join')}${flow('bj', 'B', 'join')}${flows}
      </bpmn:process>`);
    await deploy('or-join-v1.bpmn', inclusive('', flow('fend', 'join', 'end')));
    const key = await start('mig-or-join');
    const tasks = await eventually(async () => ((await userTasks(key)).length === 2 ? userTasks(key) : undefined));
    await fixture.client.completeUserTask({ userTaskKey: tasks.find((t) => t.elementId === 'A')!.userTaskKey });
    await eventually(async () => ((await fixture.elementIds(key)).join() === 'B' ? true : undefined));
    const v2 = await deploy('or-join-v2.bpmn', inclusive(userTask('after'), `${flow('fafter', 'join', 'after')}${flow('fend', 'after', 'end')}`));
    await migrate(key, v2, [['B', 'B'], ['join', 'join']]);
    await fixture.client.completeUserTask({ userTaskKey: tasks.find((t) => t.elementId === 'B')!.userTaskKey });
    await eventually(async () => ((await fixture.elementIds(key)).join() === 'after' ? true : undefined));
  });
  // An ad-hoc subprocess migrates with its paths: each inner instance goes with its ad-hoc subprocess (it cannot be mapped on its own),
  // and what runs in it needs a mapping like any active element.
  it('moves an ad-hoc subprocess with the inner instances of its paths', async () => {
    const adHoc = (processId: string, adHocId: string, taskId: string) =>
      definitions(`<bpmn:process id="${processId}" isExecutable="true">
        <bpmn:startEvent id="start" />
        <bpmn:adHocSubProcess id="${adHocId}"><bpmn:extensionElements><zeebe:adHoc activeElementsCollection="=[&quot;${taskId}&quot;]" outputCollection="notes" outputElement="=note" /></bpmn:extensionElements>${task(taskId, 'mig-adhoc')}</bpmn:adHocSubProcess>
        <bpmn:endEvent id="end" />${flow('f1', 'start', adHocId)}${flow('f2', adHocId, 'end')}
      </bpmn:process>`);
    await deploy('adhoc-v1.bpmn', adHoc('mig-adhoc', 'checks', 'ask'));
    const key = await start('mig-adhoc');
    const v2 = await deploy('adhoc-v2.bpmn', adHoc('mig-adhoc', 'review', 'inquire'));
    const refused = await refusal(migrate(key, v2, [['checks', 'review'], ['ask', 'inquire'], ['checks#innerInstance', 'review#innerInstance']]));
    expect(refused.detail).toMatch(/names an ad-hoc subprocess's inner instance/);
    expect((await refusal(migrate(key, v2, [['checks', 'review']]))).detail).toMatch(/no mapping instruction defined for active element with id 'ask'/);

    await migrate(key, v2, [['checks', 'review'], ['ask', 'inquire']]);
    const active = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, state: 'ACTIVE' } });
    expect((active.items as { elementId: string; type: string }[]).filter((item) => item.type === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE').map((item) => item.elementId)).toEqual(['review#innerInstance']);
    const job = await eventually(() => jobFor('mig-adhoc', key));
    expect(job.elementId).toBe('inquire');
    await fixture.client.completeJob({ jobKey: job.jobKey, variables: { note: 'asked' } });
    await fixture.untilState(key, 'COMPLETED');
    const notes = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'notes', scopeKey: key } });
    expect(notes.items.map((v) => v.value)).toEqual(['["asked"]']);
  });
});
