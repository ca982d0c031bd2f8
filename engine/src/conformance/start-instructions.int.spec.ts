import { definitions } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import { refusal } from '../testing/refusal';

// Creating a process instance at elements inside subprocesses, through
// CamundaRestClient.createProcessInstance with startInstructions, following
// https://docs.camunda.io/docs/components/concepts/process-instance-creation/#create-and-start-at-a-user-defined-element
// ("By default, the instruction starts before the given element. This means
// that input mappings of that element will be applied as usual"; several
// instructions, the same element more than once) and Zeebe 8.8's refusals of
// start instructions (inside a multi-instance subprocess, after an
// event-based gateway).

const PAGE = 'https://docs.camunda.io/docs/components/concepts/process-instance-creation/#create-and-start-at-a-user-defined-element';

const userTask = (id: string, extra = '') => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask />${extra}</bpmn:extensionElements></bpmn:userTask>`;
const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
const input = (source: string, target: string) => `<zeebe:ioMapping><zeebe:input source="${source}" target="${target}" /></zeebe:ioMapping>`;

/**
 * start → intake → claim (subprocess, input `level`: inner-start → triage → assess, and a parallel `notes`) → close → end;
 * claim has a message boundary event; the process has a message event subprocess.
 */
const nested = definitions(`<bpmn:process id="start-nested" isExecutable="true">
  <bpmn:startEvent id="start" />${userTask('intake')}
  <bpmn:subProcess id="claim"><bpmn:extensionElements>${input('=&quot;inner&quot;', 'level')}</bpmn:extensionElements>
    <bpmn:startEvent id="inner-start" />${userTask('triage')}${userTask('assess', input('=level + &quot; assessed&quot;', 'note'))}${userTask('notes')}<bpmn:endEvent id="inner-end" /><bpmn:endEvent id="notes-end" />
    ${flow('i1', 'inner-start', 'triage')}${flow('i2', 'triage', 'assess')}${flow('i3', 'assess', 'inner-end')}${flow('i4', 'notes', 'notes-end')}
  </bpmn:subProcess>
  <bpmn:boundaryEvent id="withdrawn" attachedToRef="claim"><bpmn:messageEventDefinition messageRef="withdraw" /></bpmn:boundaryEvent><bpmn:endEvent id="withdrawn-end" />
  ${userTask('close')}<bpmn:endEvent id="end" />
  ${flow('f1', 'start', 'intake')}${flow('f2', 'intake', 'claim')}${flow('f3', 'claim', 'close')}${flow('f4', 'close', 'end')}${flow('f5', 'withdrawn', 'withdrawn-end')}
</bpmn:process>
<bpmn:message id="withdraw" name="start-withdraw"><bpmn:extensionElements><zeebe:subscription correlationKey="=claimId" /></bpmn:extensionElements></bpmn:message>`);

interface Task {
  userTaskKey: string;
  elementId: string;
  elementInstanceKey: string;
}

interface Element {
  elementId: string;
  elementInstanceKey: string;
  state: string;
}

describe(`start instructions inside subprocesses (${PAGE})`, () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('start_instructions');
    await fixture.client.deployResources([{ name: 'start-nested.bpmn', content: nested }]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const create = async (elementIds: string[], variables: Record<string, unknown> = {}) =>
    (await fixture.client.createProcessInstance({ processDefinitionId: 'start-nested', variables, startInstructions: elementIds.map((elementId) => ({ elementId })) })).processInstanceKey;
  const elements = async (processInstanceKey: string) =>
    (await fixture.client.searchElementInstances({ filter: { processInstanceKey }, page: { from: 0, limit: 100 } })).items as unknown as Element[];
  const tasks = async (processInstanceKey: string, count: number) =>
    eventually(async () => {
      const found = (await fixture.http('POST', '/v2/user-tasks/search', { filter: { processInstanceKey, state: 'CREATED' } })).body as { items: Task[] };
      return found.items.length === count ? found.items : undefined;
    });
  const variable = async (scopeKey: string, name: string) => {
    const found = (await fixture.client.searchVariables({ filter: { scopeKey, name } })).items;
    return found.map((v) => JSON.parse(v.value) as unknown);
  };

  it('creates the subprocess around the element, with its input mappings and events, without running its start event', async () => {
    const key = await create(['assess'], { claimId: 'S-1' });
    const [assess] = await tasks(key, 1);
    expect(assess!.elementId).toBe('assess');
    const all = await elements(key);
    const claim = all.find((e) => e.elementId === 'claim')!;
    expect(all.map((e) => [e.elementId, e.state]).sort()).toEqual([['assess', 'ACTIVE'], ['claim', 'ACTIVE'], ['start-nested', 'ACTIVE']]);
    // The subprocess's input mapping, and then the element's own ("starts before the given element"), which sees it: assess is inside claim.
    expect(await variable(claim.elementInstanceKey, 'level')).toEqual(['inner']);
    expect(await variable(assess!.elementInstanceKey, 'note')).toEqual(['inner assessed']);

    // It goes on from there: the subprocess completes through its end event, then the process's flow after it.
    await fixture.client.completeUserTask({ userTaskKey: assess!.userTaskKey });
    const [close] = await tasks(key, 1);
    expect(close!.elementId).toBe('close');
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(['assess', 'claim', 'inner-end']);
  });

  it('opens the boundary events of the subprocess it creates', async () => {
    const key = await create(['triage'], { claimId: 'S-2' });
    await tasks(key, 1);
    await fixture.client.publishMessage({ name: 'start-withdraw', correlationKey: 'S-2', variables: {}, timeToLive: 0 });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual(['claim', 'triage']);
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(['withdrawn', 'withdrawn-end']);
  });

  it('shares one subprocess instance between instructions inside it, and starts an element as often as it is named', async () => {
    const key = await create(['triage', 'notes', 'notes', 'intake'], { claimId: 'S-3' });
    const found = await tasks(key, 4);
    expect(found.map((t) => t.elementId).sort()).toEqual(['intake', 'notes', 'notes', 'triage']);
    const all = await elements(key);
    // One instance of the subprocess holds all three; it is done only once every one of them is.
    expect(all.filter((e) => e.elementId === 'claim')).toHaveLength(1);
    for (const task of found.filter((t) => t.elementId !== 'intake')) {
      await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey });
      expect(await fixture.elementIds(key, 'COMPLETED')).not.toContain('claim');
    }
    // triage went on to assess, still inside; once that is done too, the subprocess completes and close follows.
    const assess = (await tasks(key, 2)).find((t) => t.elementId === 'assess')!;
    await fixture.client.completeUserTask({ userTaskKey: assess.userTaskKey });
    await eventually(async () => ((await fixture.elementIds(key, 'COMPLETED')).includes('claim') ? true : undefined));
    expect((await tasks(key, 2)).map((t) => t.elementId).sort()).toEqual(['close', 'intake']);
  });

  describe('refuses', () => {
    const refusedXml = definitions(`<bpmn:process id="start-refused" isExecutable="true">
      <bpmn:startEvent id="start" />
      <bpmn:subProcess id="each"><bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1, 2]" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
        <bpmn:startEvent id="each-start" />${userTask('per-item')}${flow('e1', 'each-start', 'per-item')}
      </bpmn:subProcess>
      <bpmn:eventBasedGateway id="wait" />
      <bpmn:intermediateCatchEvent id="later"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="much-later"><bpmn:timerEventDefinition><bpmn:timeDuration>PT3H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:subProcess id="on-cancel" triggeredByEvent="true">
        <bpmn:startEvent id="cancelled"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>${userTask('tidy')}${flow('c1', 'cancelled', 'tidy')}
      </bpmn:subProcess>
      <bpmn:endEvent id="end" />
      ${flow('f1', 'start', 'each')}${flow('f2', 'each', 'wait')}${flow('f3', 'wait', 'later')}${flow('f4', 'later', 'end')}${flow('f5', 'wait', 'much-later')}${flow('f6', 'much-later', 'end')}
    </bpmn:process>`);

    const refused = async (elementId: string) => {
      const response = await refusal(fixture.client.createProcessInstance({ processDefinitionId: 'start-refused', variables: {}, startInstructions: [{ elementId }] }));
      expect(response.status).toBe(400);
      return response.detail;
    };

    it('an element inside a multi-instance subprocess, one after an event-based gateway, one inside an event subprocess', async () => {
      await fixture.client.deployResources([{ name: 'start-refused.bpmn', content: refusedXml }]);
      expect(await refused('per-item')).toMatch(/the element with id 'per-item' is inside a multi-instance subprocess/);
      expect(await refused('later')).toMatch(/the element with id 'later' belongs to an event-based gateway/);
      expect(await refused('tidy')).toMatch(/'tidy', but it is inside an event subprocess/);
      // Nothing was created by the refusals.
      expect((await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'start-refused' } })).items).toEqual([]);
    });

    it('a subprocess whose input mappings fail, creating nothing', async () => {
      const failing = definitions(`<bpmn:process id="start-failing" isExecutable="true">
        <bpmn:startEvent id="start" />
        <bpmn:subProcess id="sub"><bpmn:extensionElements>${input('=&quot;a&quot; + 1', 'broken')}</bpmn:extensionElements><bpmn:startEvent id="s" />${userTask('inside')}${flow('s1', 's', 'inside')}</bpmn:subProcess>
        ${flow('f1', 'start', 'sub')}
      </bpmn:process>`);
      await fixture.client.deployResources([{ name: 'start-failing.bpmn', content: failing }]);
      const response = await refusal(fixture.client.createProcessInstance({ processDefinitionId: 'start-failing', variables: {}, startInstructions: [{ elementId: 'inside' }] }));
      expect(response.status).toBe(400);
      expect(response.detail).toMatch(/the flow scope 'sub' of element 'inside' could not be created/);
      expect((await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'start-failing' } })).items).toEqual([]);
    });

    // Process start listeners run first (engine/README.md): the subprocess is created when the last one completes.
    it('the completion of the last process start listener job while the subprocess cannot be created, until the variables are put right', async () => {
      const listened = definitions(`<bpmn:process id="start-listened" isExecutable="true">
        <bpmn:extensionElements><zeebe:executionListeners><zeebe:executionListener eventType="start" type="start-listened-begin" /></zeebe:executionListeners></bpmn:extensionElements>
        <bpmn:startEvent id="start" />
        <bpmn:subProcess id="sub"><bpmn:extensionElements>${input('=&quot;a&quot; + x', 'joined')}</bpmn:extensionElements><bpmn:startEvent id="s" />${userTask('inside')}${flow('s1', 's', 'inside')}</bpmn:subProcess>
        ${flow('f1', 'start', 'sub')}
      </bpmn:process>`);
      await fixture.client.deployResources([{ name: 'start-listened.bpmn', content: listened }]);
      const key = (await fixture.client.createProcessInstance({ processDefinitionId: 'start-listened', variables: { x: 1 }, startInstructions: [{ elementId: 'inside' }] })).processInstanceKey;
      const [job] = await fixture.client.activateJobs({ type: 'start-listened-begin', worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 });
      const refused = await fixture.http('POST', `/v2/jobs/${job!.jobKey}/completion`, { variables: {} });
      expect(refused.status).toBe(400);
      expect((refused.body as { detail: string }).detail).toMatch(/the flow scope 'sub' of element 'inside' could not be created/);
      expect(await fixture.elementIds(key)).toEqual([]);

      expect((await fixture.http('PUT', `/v2/element-instances/${key}/variables`, { variables: { x: 'b' }, local: true })).status).toBe(204);
      expect((await fixture.http('POST', `/v2/jobs/${job!.jobKey}/completion`, { variables: {} })).status).toBe(204);
      const [inside] = await tasks(key, 1);
      expect(inside!.elementId).toBe('inside');
      expect(await fixture.elementIds(key)).toEqual(['inside', 'sub']);
    });
  });
});
