import { definitions, messageXml } from '../testing/bpmn';
import { EngineFixture } from '../testing/engine-fixture';
import { refusal } from '../testing/refusal';

// Process instance modification through CamundaRestClient.modifyProcessInstance,
// one test per rule of
// https://docs.camunda.io/docs/components/concepts/process-instance-modification/

const task = (id: string, extra = '') =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="mod-${id}" />${extra}</bpmn:extensionElements></bpmn:serviceTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

// start → A → C → sub(subStart → inner → subEnd) → end, with an error boundary event on A.
const LINE = definitions(`<bpmn:process id="mod-line" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${task('A')}
  <bpmn:boundaryEvent id="aFailed" attachedToRef="A"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
  <bpmn:endEvent id="failedEnd" />
  ${task('C')}
  <bpmn:subProcess id="sub">
    <bpmn:startEvent id="subStart" />
    ${task('inner', '<zeebe:ioMapping><zeebe:input source="=base + 1" target="derived" /></zeebe:ioMapping>')}
    <bpmn:endEvent id="subEnd" />
    ${flow('s1', 'subStart', 'inner')}${flow('s2', 'inner', 'subEnd')}
  </bpmn:subProcess>
  <bpmn:endEvent id="end" />
  ${flow('f1', 'start', 'A')}${flow('f2', 'A', 'C')}${flow('f3', 'C', 'sub')}${flow('f4', 'sub', 'end')}${flow('f5', 'aFailed', 'failedEnd')}
</bpmn:process>`);

// A multi-instance subprocess, and an event-based gateway.
const SPECIAL = definitions(`${messageXml('paid', 'mod-paid', 'claimId')}<bpmn:process id="mod-special" isExecutable="true">
  <bpmn:startEvent id="start" />
  <bpmn:subProcess id="each">
    <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2]" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
    <bpmn:startEvent id="eachStart" />${task('perItem')}<bpmn:endEvent id="eachEnd" />
    ${flow('e1', 'eachStart', 'perItem')}${flow('e2', 'perItem', 'eachEnd')}
  </bpmn:subProcess>
  <bpmn:eventBasedGateway id="await" />
  <bpmn:intermediateCatchEvent id="paidEvent"><bpmn:messageEventDefinition messageRef="paid" /></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="later"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="end" /><bpmn:endEvent id="end2" />
  ${flow('f1', 'start', 'each')}${flow('f2', 'each', 'await')}${flow('f3', 'await', 'paidEvent')}${flow('f4', 'await', 'later')}${flow('f5', 'paidEvent', 'end')}${flow('f6', 'later', 'end2')}
</bpmn:process>`);

const PAGE = 'https://docs.camunda.io/docs/components/concepts/process-instance-modification/';

describe(`process instance modification (${PAGE})`, () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('modification');
    await fixture.client.deployResources([
      { name: 'mod-line.bpmn', content: LINE },
      { name: 'mod-special.bpmn', content: SPECIAL },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const start = async (processDefinitionId = 'mod-line', variables: Record<string, unknown> = {}) =>
    (await fixture.client.createProcessInstance({ processDefinitionId, variables: variables as Record<string, string> })).processInstanceKey;
  const active = async (processInstanceKey: string) =>
    (await fixture.client.searchElementInstances({ filter: { processInstanceKey, state: 'ACTIVE' }, page: { from: 0, limit: 100 } })).items.filter((e) => e.type !== 'PROCESS');
  const keyOf = async (processInstanceKey: string, elementId: string) => {
    const found = (await active(processInstanceKey)).filter((e) => e.elementId === elementId);
    expect(found).toHaveLength(1);
    return found[0]!.elementInstanceKey;
  };
  const modify = (processInstanceKey: string, request: Omit<Parameters<typeof fixture.client.modifyProcessInstance>[0], 'processInstanceKey'>) =>
    fixture.client.modifyProcessInstance({ processInstanceKey, ...request });

  // "Use the modification to repair the process instance. We 'move the token'": terminate one, activate the next.
  it('moves the token: terminates the element instance and activates the element, whose job is created', async () => {
    const key = await start();
    const a = await keyOf(key, 'A');
    await modify(key, { terminateInstructions: [{ elementInstanceKey: a }], activateInstructions: [{ elementId: 'C' }] });
    expect((await active(key)).map((e) => e.elementId)).toEqual(['C']);
    expect((await fixture.client.getElementInstance(a)).state).toBe('TERMINATED');
    const jobs = await fixture.client.activateJobs({ type: 'mod-C', worker: 't', timeout: 10_000, maxJobsToActivate: 10, requestTimeout: -1 });
    expect(jobs.map((j) => j.processInstanceKey)).toContain(key);
    // The job of the terminated task is gone.
    const aJobs = await fixture.client.activateJobs({ type: 'mod-A', worker: 't', timeout: 10_000, maxJobsToActivate: 100, requestTimeout: -1 });
    expect(aJobs.map((j) => j.processInstanceKey)).not.toContain(key);
    expect(await fixture.instanceState(key)).toBe('ACTIVE');
  });

  // "Activate an element": a new instance beside the ones that exist (repeat a step).
  it('activates an element that is already active, as a second instance', async () => {
    const key = await start();
    await modify(key, { activateInstructions: [{ elementId: 'A' }] });
    expect((await active(key)).map((e) => e.elementId)).toEqual(['A', 'A']);
  });

  // "Set variables": without a scope id on the process instance; with one, local to that element's new instance.
  it('creates variables on the process instance, or local to the scope named, before the element activates', async () => {
    const key = await start();
    await modify(key, {
      activateInstructions: [{ elementId: 'C', variableInstructions: [{ variables: { approved: true } }, { variables: { note: 'by hand' }, scopeId: 'C' }] }],
    });
    const c = (await active(key)).find((e) => e.elementId === 'C')!;
    const approved = (await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'approved' } })).items;
    const note = (await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'note' } })).items;
    expect(approved.map((v) => [v.scopeKey, v.value])).toEqual([[key, 'true']]);
    expect(note.map((v) => [v.scopeKey, v.value])).toEqual([[c.elementInstanceKey, '"by hand"']]);
  });

  // "Activate an element inside a subprocess": the missing flow scope instance is created first (without its start event),
  // and the element's input mappings see the variables set in that instruction.
  it('creates the flow scope of an element inside a subprocess, and the element sees the new variables', async () => {
    const key = await start();
    await modify(key, { activateInstructions: [{ elementId: 'inner', variableInstructions: [{ variables: { base: 41 }, scopeId: 'sub' }] }] });
    expect((await active(key)).map((e) => e.elementId).sort()).toEqual(['A', 'inner', 'sub']);
    expect((await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, elementId: 'subStart' } })).items).toEqual([]);
    const inner = (await active(key)).find((e) => e.elementId === 'inner')!;
    const derived = (await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'derived' } })).items;
    expect(derived.map((v) => [v.scopeKey, v.value])).toEqual([[inner.elementInstanceKey, '42']]);
  });

  // "Activate an element ... with more than one active flow scope instance": the ancestor key must pick one.
  it('refuses to guess between several flow scope instances, and activates in the ancestor given', async () => {
    const key = await start();
    await modify(key, { activateInstructions: [{ elementId: 'sub' }, { elementId: 'sub' }] });
    const subs = (await active(key)).filter((e) => e.elementId === 'sub');
    expect(subs).toHaveLength(2);
    const refused = await refusal(modify(key, { activateInstructions: [{ elementId: 'inner' }] }));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/more than one active instance: 'sub'.*ancestor element instance key/);
    await modify(key, { activateInstructions: [{ elementId: 'inner', ancestorElementInstanceKey: subs[0]!.elementInstanceKey }] });
    expect((await active(key)).filter((e) => e.elementId === 'inner')).toHaveLength(3);
    // Two of the three are inside the ancestor given: terminating it leaves one.
    await modify(key, { terminateInstructions: [{ elementInstanceKey: subs[0]!.elementInstanceKey }] });
    expect((await active(key)).filter((e) => e.elementId === 'inner')).toHaveLength(1);
  });

  // "Terminate an element instance": when no element instance is left active, the process instance is terminated.
  it('terminates the process instance when its last element instance is terminated', async () => {
    const key = await start();
    await modify(key, { terminateInstructions: [{ elementInstanceKey: await keyOf(key, 'A') }] });
    expect(await fixture.instanceState(key)).toBe('TERMINATED');
  });

  // "Terminate an element instance": a flow scope left with nothing active is terminated too; the rest goes on.
  it('terminates a subprocess whose last element instance is terminated, and the process instance goes on', async () => {
    const key = await start();
    await modify(key, { activateInstructions: [{ elementId: 'inner', variableInstructions: [{ variables: { base: 1 } }] }] });
    const sub = await keyOf(key, 'sub');
    await modify(key, { terminateInstructions: [{ elementInstanceKey: await keyOf(key, 'inner') }] });
    expect((await fixture.client.getElementInstance(sub)).state).toBe('TERMINATED');
    expect((await active(key)).map((e) => e.elementId)).toEqual(['A']);
    expect(await fixture.instanceState(key)).toBe('ACTIVE');
  });

  // "Terminate an element instance" of a subprocess: everything inside it is terminated with it.
  it('terminates the children of a terminated subprocess instance', async () => {
    const key = await start();
    await modify(key, { activateInstructions: [{ elementId: 'sub', variableInstructions: [{ variables: { base: 1 } }] }] });
    const inner = await keyOf(key, 'inner');
    await modify(key, { terminateInstructions: [{ elementInstanceKey: await keyOf(key, 'sub') }] });
    expect((await fixture.client.getElementInstance(inner)).state).toBe('TERMINATED');
    expect((await active(key)).map((e) => e.elementId)).toEqual(['A']);
  });

  // "Limitations": an unknown element is rejected, naming it.
  it('refuses an element the process does not have', async () => {
    const key = await start();
    const refused = await refusal(modify(key, { activateInstructions: [{ elementId: 'noSuchTask' }] }));
    expect(refused).toMatchObject({ status: 400, detail: expect.stringMatching(/element that could not be found: 'noSuchTask'/) as unknown });
  });

  // "Limitations": start events and boundary events are entered by their trigger, not by an instruction.
  it.each([
    ['start', 'START_EVENT'],
    ['aFailed', 'BOUNDARY_EVENT'],
  ])('refuses to activate %s (%s)', async (elementId, type) => {
    const key = await start();
    const refused = await refusal(modify(key, { activateInstructions: [{ elementId }] }));
    expect(refused.status).toBe(400);
    expect(refused.detail).toContain(`The activation of elements with type '${type}' is not supported`);
  });

  // "Limitations": the events after an event-based gateway cannot be activated.
  it('refuses to activate an event that belongs to an event-based gateway', async () => {
    const key = await start('mod-special', { claimId: 'c-1' });
    const refused = await refusal(modify(key, { activateInstructions: [{ elementId: 'paidEvent' }] }));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/events belonging to an event-based gateway is not supported/);
  });

  // "Limitations": elements inside a multi-instance element cannot be activated.
  it('refuses to activate an element inside a multi-instance subprocess', async () => {
    const key = await start('mod-special', { claimId: 'c-2' });
    const refused = await refusal(modify(key, { activateInstructions: [{ elementId: 'perItem' }] }));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/nested in a multi-instance element: 'perItem'/);
  });

  // Variables instructions name the element or one of its flow scopes.
  it('refuses a variable scope that is not a flow scope of the element', async () => {
    const key = await start();
    const refused = await refusal(modify(key, { activateInstructions: [{ elementId: 'C', variableInstructions: [{ variables: { x: 1 }, scopeId: 'sub' }] }] }));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/doesn't belong to the activating element's flow scope: 'sub'/);
  });

  // The command is one: a refused instruction means none of them is applied.
  it('applies nothing when one instruction is refused', async () => {
    const key = await start();
    const a = await keyOf(key, 'A');
    const refused = await refusal(modify(key, { terminateInstructions: [{ elementInstanceKey: a }], activateInstructions: [{ elementId: 'C' }, { elementId: 'noSuchTask' }] }));
    expect(refused.status).toBe(400);
    expect((await active(key)).map((e) => e.elementId)).toEqual(['A']);
  });

  it('refuses to terminate an element instance that is not in the process instance', async () => {
    const key = await start();
    const other = await start();
    const refused = await refusal(modify(key, { terminateInstructions: [{ elementInstanceKey: await keyOf(other, 'A') }] }));
    expect(refused.status).toBe(400);
    expect(refused.detail).toMatch(/terminate instructions with an element instance that could not be found/);
  });

  it('answers 404 for a process instance that is not running', async () => {
    const key = await start();
    await fixture.client.cancelProcessInstance({ processInstanceKey: key });
    const refused = await refusal(modify(key, { activateInstructions: [{ elementId: 'C' }] }));
    expect(refused.status).toBe(404);
  });

  it('survives a restart: the modified instance is rebuilt from the log as it was', async () => {
    const key = await start();
    await modify(key, { terminateInstructions: [{ elementInstanceKey: await keyOf(key, 'A') }], activateInstructions: [{ elementId: 'inner', variableInstructions: [{ variables: { base: 2 } }] }] });
    await fixture.restart({ finalSnapshot: false });
    expect((await active(key)).map((e) => e.elementId).sort()).toEqual(['inner', 'sub']);
    const [job] = await fixture.client.activateJobs({ type: 'mod-inner', worker: 't', timeout: 10_000, maxJobsToActivate: 100, requestTimeout: -1 }).then((jobs) => jobs.filter((j) => j.processInstanceKey === key));
    await fixture.client.completeJob({ jobKey: job!.jobKey, variables: {} });
    expect(await fixture.instanceState(key)).toBe('COMPLETED');
  });
});
