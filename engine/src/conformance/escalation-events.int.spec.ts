import { definitions } from '../testing/bpmn';
import { EngineFixture } from '../testing/engine-fixture';

// Escalation events: thrown by intermediate throw and end events to the
// scopes around them, caught by boundary events on subprocesses and call
// activities and by event subprocesses, interrupting or not; not critical, so
// the thrower goes on and an uncaught escalation is no incident.
// https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/

const escalation = (id: string, code: string) => `<bpmn:escalation id="${id}" escalationCode="${code}" />`;
const throwing = (id: string, ref: string, tag = 'intermediateThrowEvent') => `<bpmn:${tag} id="${id}"><bpmn:escalationEventDefinition escalationRef="${ref}" /></bpmn:${tag}>`;
const script = (id: string, variable: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="=true" resultVariable="${variable}" /></bpmn:extensionElements></bpmn:scriptTask>`;
const userTask = (id: string) => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>`;

/** A subprocess that throws an escalation (code in `ref`) then does `after`, with a boundary event catching `catchRef` (or every escalation). */
const subprocessWithBoundary = (processId: string, options: { interrupting: boolean; catchRef?: string; throwTag?: string }) =>
  definitions(`${escalation('late', 'CLAIM_LATE')}${escalation('other', 'OTHER')}
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:subProcess id="handle">
      <bpmn:startEvent id="handle-start" />
      ${throwing('escalate', 'late', options.throwTag)}
      ${options.throwTag === 'endEvent' ? '' : `${script('after-throw', 'continued')}<bpmn:endEvent id="handle-end" />`}
      <bpmn:sequenceFlow id="h1" sourceRef="handle-start" targetRef="escalate" />
      ${options.throwTag === 'endEvent' ? '' : '<bpmn:sequenceFlow id="h2" sourceRef="escalate" targetRef="after-throw" /><bpmn:sequenceFlow id="h3" sourceRef="after-throw" targetRef="handle-end" />'}
    </bpmn:subProcess>
    <bpmn:boundaryEvent id="caught" attachedToRef="handle" cancelActivity="${options.interrupting}">
      <bpmn:escalationEventDefinition${options.catchRef ? ` escalationRef="${options.catchRef}"` : ''} />
    </bpmn:boundaryEvent>
    ${script('notify-manager', 'managerNotified')}
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="escalated-end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle" />
    <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="notify-manager" />
    <bpmn:sequenceFlow id="f4" sourceRef="notify-manager" targetRef="escalated-end" />
  </bpmn:process>`);

describe('escalation events', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('escalation_events');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (name: string, content: string) => fixture.client.deployResources([{ name, content }]);
  const deployRaw = (content: string) => fixture.deployRaw('escalation.bpmn', content);
  const run = (processDefinitionId: string) => fixture.client.createProcessInstanceWithResult({ processDefinitionId, variables: {} });
  const completed = (processInstanceKey: string) => fixture.elementIds(processInstanceKey, 'COMPLETED');
  const terminated = (processInstanceKey: string) => fixture.elementIds(processInstanceKey, 'TERMINATED');

  // "As escalation events are non-critical, the outgoing sequence flows of Throw and Catch are both taken."
  it('takes the flows of both the thrower and a non-interrupting boundary event', async () => {
    await deploy('non-interrupting.bpmn', subprocessWithBoundary('escalation-non-interrupting', { interrupting: false, catchRef: 'late' }));
    const result = await run('escalation-non-interrupting');
    expect(result.variables).toMatchObject({ continued: true, managerNotified: true });
    expect(await completed(result.processInstanceKey)).toEqual(expect.arrayContaining(['after-throw', 'caught', 'notify-manager', 'handle', 'end', 'escalated-end']));
  });

  // An interrupting catch event terminates the scope the escalation came from.
  it('ends the subprocess when the boundary event interrupts, and goes on from the boundary event', async () => {
    await deploy('interrupting.bpmn', subprocessWithBoundary('escalation-interrupting', { interrupting: true, catchRef: 'late' }));
    const result = await run('escalation-interrupting');
    expect(result.variables).toMatchObject({ managerNotified: true });
    expect(result.variables).not.toHaveProperty('continued');
    expect(await terminated(result.processInstanceKey)).toEqual(['escalate', 'handle']);
    expect(await completed(result.processInstanceKey)).not.toContain('end');
  });

  // "an escalation catch event may omit the escalation reference all together. In this case it catches all thrown escalations."
  it('catches every escalation with a catch event that names none, and only its own code with one that does', async () => {
    await deploy('catch-all.bpmn', subprocessWithBoundary('escalation-catch-all', { interrupting: false }));
    const caught = await run('escalation-catch-all');
    expect(caught.variables).toMatchObject({ managerNotified: true });

    await deploy('other-code.bpmn', subprocessWithBoundary('escalation-other-code', { interrupting: true, catchRef: 'other' }));
    const notCaught = await run('escalation-other-code');
    expect(notCaught.variables).toMatchObject({ continued: true });
    expect(notCaught.variables).not.toHaveProperty('managerNotified');
  });

  // Unlike an error, an escalation nobody catches is no incident: the process goes on.
  it('goes on without an incident when no catch event catches the escalation', async () => {
    await deploy(
      'uncaught.bpmn',
      definitions(`${escalation('late', 'CLAIM_LATE')}
      <bpmn:process id="escalation-uncaught" isExecutable="true">
        <bpmn:startEvent id="start" />
        ${throwing('escalate', 'late')}
        ${script('after-throw', 'continued')}
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="escalate" />
        <bpmn:sequenceFlow id="f2" sourceRef="escalate" targetRef="after-throw" />
        <bpmn:sequenceFlow id="f3" sourceRef="after-throw" targetRef="end" />
      </bpmn:process>`),
    );
    const result = await run('escalation-uncaught');
    expect(result.variables).toMatchObject({ continued: true });
    const incidents = await fixture.client.searchIncidents({ filter: { processInstanceKey: result.processInstanceKey } });
    expect(incidents.items).toHaveLength(0);
  });

  // "An escalation can be thrown by an escalation end event."
  it('throws from an escalation end event: the subprocess ends, and a non-interrupting boundary event still fires', async () => {
    await deploy('end-event.bpmn', subprocessWithBoundary('escalation-end-event', { interrupting: false, catchRef: 'late', throwTag: 'endEvent' }));
    const result = await run('escalation-end-event');
    expect(result.variables).toMatchObject({ managerNotified: true });
    expect(await completed(result.processInstanceKey)).toEqual(expect.arrayContaining(['escalate', 'handle', 'end', 'caught', 'escalated-end']));
  });

  // An event subprocess with an escalation start event catches an escalation from its scope; non-interrupting, the scope goes on beside it.
  it('starts an escalation event subprocess, interrupting its scope or running beside it', async () => {
    const withEventSubprocess = (processId: string, interrupting: boolean) =>
      definitions(`${escalation('late', 'CLAIM_LATE')}
      <bpmn:process id="${processId}" isExecutable="true">
        <bpmn:startEvent id="start" />
        ${throwing('escalate', 'late')}
        ${userTask('assess')}
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="escalate" />
        <bpmn:sequenceFlow id="f2" sourceRef="escalate" targetRef="assess" />
        <bpmn:sequenceFlow id="f3" sourceRef="assess" targetRef="end" />
        <bpmn:subProcess id="on-escalation" triggeredByEvent="true">
          <bpmn:startEvent id="escalation-start" isInterrupting="${interrupting}"><bpmn:escalationEventDefinition escalationRef="late" /></bpmn:startEvent>
          ${script('inform', 'informed')}
          <bpmn:endEvent id="informed-end" />
          <bpmn:sequenceFlow id="e1" sourceRef="escalation-start" targetRef="inform" />
          <bpmn:sequenceFlow id="e2" sourceRef="inform" targetRef="informed-end" />
        </bpmn:subProcess>
      </bpmn:process>`);
    await deploy('event-subprocess.bpmn', withEventSubprocess('escalation-esp-interrupting', true));
    const interrupted = await run('escalation-esp-interrupting');
    expect(interrupted.variables).toMatchObject({ informed: true });
    expect(await completed(interrupted.processInstanceKey)).not.toContain('assess');

    await deploy('event-subprocess-beside.bpmn', withEventSubprocess('escalation-esp-beside', false));
    const beside = await fixture.client.createProcessInstance({ processDefinitionId: 'escalation-esp-beside', variables: {} });
    expect(await fixture.elementIds(beside.processInstanceKey)).toEqual(['assess']);
    expect(await completed(beside.processInstanceKey)).toEqual(expect.arrayContaining(['escalate', 'inform', 'on-escalation']));
  });

  it('catches an escalation from a called process at the call activity', async () => {
    await fixture.client.deployResources([
      {
        name: 'child.bpmn',
        content: definitions(`${escalation('late', 'CLAIM_LATE')}
        <bpmn:process id="escalation-child" isExecutable="true">
          <bpmn:startEvent id="start" />${throwing('escalate', 'late')}<bpmn:endEvent id="end" />
          <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="escalate" /><bpmn:sequenceFlow id="f2" sourceRef="escalate" targetRef="end" />
        </bpmn:process>`),
      },
      {
        name: 'parent.bpmn',
        content: definitions(`${escalation('late', 'CLAIM_LATE')}
        <bpmn:process id="escalation-parent" isExecutable="true">
          <bpmn:startEvent id="start" />
          <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="escalation-child" /></bpmn:extensionElements></bpmn:callActivity>
          <bpmn:boundaryEvent id="caught" attachedToRef="call" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="late" /></bpmn:boundaryEvent>
          ${script('notify-manager', 'managerNotified')}
          <bpmn:endEvent id="end" /><bpmn:endEvent id="escalated-end" />
          <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
          <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
          <bpmn:sequenceFlow id="f3" sourceRef="caught" targetRef="notify-manager" />
          <bpmn:sequenceFlow id="f4" sourceRef="notify-manager" targetRef="escalated-end" />
        </bpmn:process>`),
      },
    ]);
    const result = await run('escalation-parent');
    expect(result.variables).toMatchObject({ managerNotified: true });
    expect(await completed(result.processInstanceKey)).toEqual(expect.arrayContaining(['call', 'caught', 'end']));
  });

  it('refuses an escalation boundary event on a task, a throw without a code, and an expression as a catch code', async () => {
    const onTask = await deployRaw(
      definitions(`${escalation('late', 'CLAIM_LATE')}
      <bpmn:process id="escalation-on-task" isExecutable="true">
        <bpmn:startEvent id="start" />${userTask('assess')}<bpmn:endEvent id="end" />
        <bpmn:boundaryEvent id="on-task" attachedToRef="assess"><bpmn:escalationEventDefinition escalationRef="late" /></bpmn:boundaryEvent>
        <bpmn:endEvent id="caught-end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="assess" /><bpmn:sequenceFlow id="f2" sourceRef="assess" targetRef="end" />
        <bpmn:sequenceFlow id="f3" sourceRef="on-task" targetRef="caught-end" />
      </bpmn:process>`),
    );
    expect(onTask.status).toBe(400);
    expect(onTask.body.detail).toMatch(/on-task.*subprocess or call activity/s);

    const noCode = await deployRaw(
      definitions(`<bpmn:process id="escalation-no-code" isExecutable="true">
        <bpmn:startEvent id="start" /><bpmn:intermediateThrowEvent id="nothing"><bpmn:escalationEventDefinition /></bpmn:intermediateThrowEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="nothing" />
      </bpmn:process>`),
    );
    expect(noCode.status).toBe(400);
    expect(noCode.body.detail).toMatch(/nothing.*escalation code/s);

    const expression = await deployRaw(subprocessWithBoundary('escalation-feel-catch', { interrupting: true, catchRef: 'late' }).replace('escalationCode="CLAIM_LATE"', 'escalationCode="=code"'));
    expect(expression.status).toBe(400);
    expect(expression.body.detail).toMatch(/caught.*static escalation code/s);
  });
});
