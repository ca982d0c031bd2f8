import { definitions, processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Execution listeners: each is a job of kind EXECUTION_LISTENER the element
// waits for, start listeners after the input mappings and before the
// element's behaviour, end listeners after the output mappings and before
// the element is left, in model order.
// https://docs.camunda.io/docs/components/concepts/execution-listeners/

const PAGE = 'https://docs.camunda.io/docs/components/concepts/execution-listeners/';

type Listener = readonly [eventType: 'start' | 'end', type: string, retries?: string];
const listeners = (list: readonly Listener[]) =>
  `<zeebe:executionListeners>${list.map(([eventType, type, retries]) => `<zeebe:executionListener eventType="${eventType}" type="${type}"${retries ? ` retries="${retries}"` : ''} />`).join('')}</zeebe:executionListeners>`;
const serviceTask = (id: string, type: string, extra: string) =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" />${extra}</bpmn:extensionElements></bpmn:serviceTask>`;

/** A job as the engine hands it out, with the fields the SDK's type leaves out. */
interface WireJob {
  readonly jobKey: string;
  readonly kind: string;
  readonly listenerEventType: string;
  readonly elementId: string;
  readonly retries: number;
  readonly variables: Record<string, unknown>;
  readonly customHeaders: Record<string, unknown>;
}

describe(`execution listeners (${PAGE})`, () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('execution_listeners');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (name: string, content: string) => fixture.client.deployResources([{ name, content }]);
  const activate = (type: string, max = 10) =>
    fixture.client.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: max, requestTimeout: -1 }) as unknown as Promise<WireJob[]>;
  const nextJob = (type: string) => eventually(async () => (await activate(type, 1))[0]);
  const start = async (processDefinitionId: string, variables: Record<string, unknown> = {}) =>
    (await fixture.client.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;
  const variablesOf = async (processInstanceKey: string) => {
    const found = await fixture.client.searchVariables({ filter: { processInstanceKey }, page: { from: 0, limit: 100 } });
    return found.items;
  };
  const stateOf = async (processInstanceKey: string) =>
    (await fixture.client.searchProcessInstances({ filter: { processInstanceKey } })).items[0]?.state;
  const completed = (processInstanceKey: string) => eventually(async () => ((await stateOf(processInstanceKey)) === 'COMPLETED' ? true : undefined));

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-jobs/
  it('reports a listener job in job search with kind EXECUTION_LISTENER and its event type, and filters by kind', async () => {
    await deploy(
      'el-search.bpmn',
      processXml(
        'el_search',
        `<bpmn:startEvent id="start" />
        ${serviceTask('work', 'el-search-work', listeners([['start', 'el-search-listener']]))}
        <bpmn:endEvent id="end" />`,
        ['start', 'work', 'end'],
      ),
    );
    const key = await start('el_search');
    const listener = await nextJob('el-search-listener');
    const search = async (filter: Record<string, unknown>) =>
      ((await fixture.http('POST', '/v2/jobs/search', { filter: { processInstanceKey: key, ...filter } })).body as { items: WireJob[] }).items;
    expect(await search({})).toEqual([expect.objectContaining({ jobKey: listener.jobKey, kind: 'EXECUTION_LISTENER', listenerEventType: 'START' })]);
    await fixture.client.completeJob({ jobKey: listener.jobKey, variables: {} });
    await nextJob('el-search-work');
    const element = await search({ kind: 'BPMN_ELEMENT' });
    expect(element).toEqual([expect.objectContaining({ type: 'el-search-work', kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED' })]);
    expect(await search({ kind: 'EXECUTION_LISTENER' })).toEqual([expect.objectContaining({ jobKey: listener.jobKey, state: 'COMPLETED' })]);
  });

  it('blocks the element on a start listener job (kind EXECUTION_LISTENER, START) that sees the input mappings; its variables are local to the element', async () => {
    await deploy(
      'el-start.bpmn',
      processXml(
        'el_start',
        `<bpmn:startEvent id="start" />
        ${serviceTask('work', 'el-start-work', `<zeebe:ioMapping><zeebe:input source="=amount * 2" target="doubled" /></zeebe:ioMapping><zeebe:taskHeaders><zeebe:header key="step" value="work" /></zeebe:taskHeaders>${listeners([['start', 'el-start-listener']])}`)}
        <bpmn:endEvent id="end" />`,
        ['start', 'work', 'end'],
      ),
    );
    const key = await start('el_start', { amount: 21 });
    const listener = await nextJob('el-start-listener');
    expect(listener).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'START', elementId: 'work', retries: 3 });
    expect(listener.variables).toMatchObject({ amount: 21, doubled: 42 });
    // The element's headers reach its listener's job.
    expect(listener.customHeaders).toMatchObject({ step: 'work' });
    // The element waits: its own job does not exist before the listener completes.
    expect(await activate('el-start-work')).toEqual([]);

    await fixture.client.completeJob({ jobKey: listener.jobKey, variables: { checked: true } });
    const work = await nextJob('el-start-work');
    expect(work).toMatchObject({ kind: 'BPMN_ELEMENT', listenerEventType: 'UNSPECIFIED' });
    expect(work.variables).toMatchObject({ checked: true, doubled: 42 });
    await fixture.client.completeJob({ jobKey: work.jobKey, variables: { done: true } });
    await completed(key);
    const names = (await variablesOf(key)).filter((v) => v.scopeKey === key).map((v) => v.name).sort();
    // The listener's variable was local to the element: it did not reach the process.
    expect(names).toEqual(['amount', 'done']);
  });

  it('runs end listeners after the output mappings, one after the other in model order; their variables reach the flow scope', async () => {
    await deploy(
      'el-end.bpmn',
      processXml(
        'el_end',
        `<bpmn:startEvent id="start" />
        ${serviceTask('work', 'el-end-work', `<zeebe:ioMapping><zeebe:output source="=result + 1" target="mapped" /></zeebe:ioMapping>${listeners([['end', 'el-end-first'], ['end', 'el-end-second']])}`)}
        <bpmn:endEvent id="end" />`,
        ['start', 'work', 'end'],
      ),
    );
    const key = await start('el_end');
    const work = await nextJob('el-end-work');
    await fixture.client.completeJob({ jobKey: work.jobKey, variables: { result: 1 } });
    const first = await nextJob('el-end-first');
    expect(first).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'END' });
    expect(first.variables).toMatchObject({ mapped: 2 });
    expect(await activate('el-end-second')).toEqual([]);
    await fixture.client.completeJob({ jobKey: first.jobKey, variables: { audited: 'first' } });
    const second = await nextJob('el-end-second');
    expect(second.variables).toMatchObject({ audited: 'first', mapped: 2 });
    expect(await stateOf(key)).toBe('ACTIVE');
    await fixture.client.completeJob({ jobKey: second.jobKey, variables: { archived: true } });
    await completed(key);
    const onProcess = Object.fromEntries((await variablesOf(key)).filter((v) => v.scopeKey === key).map((v) => [v.name, JSON.parse(v.value) as unknown]));
    expect(onProcess).toMatchObject({ mapped: 2, audited: 'first', archived: true });
  });

  it('retries a failed listener job, raises an incident when retries run out, and after resolving runs only that listener again', async () => {
    await deploy(
      'el-fail.bpmn',
      processXml(
        'el_fail',
        `<bpmn:startEvent id="start" />
        ${serviceTask('work', 'el-fail-work', listeners([['start', 'el-fail-ok'], ['start', 'el-fail-flaky', '2']]))}
        <bpmn:endEvent id="end" />`,
        ['start', 'work', 'end'],
      ),
    );
    const key = await start('el_fail');
    const ok = await nextJob('el-fail-ok');
    await fixture.client.completeJob({ jobKey: ok.jobKey, variables: {} });
    const flaky = await nextJob('el-fail-flaky');
    expect(flaky.retries).toBe(2);
    await fixture.client.failJob({ jobKey: flaky.jobKey, retries: 1, errorMessage: 'service down', retryBackOff: 0 });
    const again = await nextJob('el-fail-flaky');
    expect(again.jobKey).toBe(flaky.jobKey);
    await fixture.client.failJob({ jobKey: again.jobKey, retries: 0, errorMessage: 'still down', retryBackOff: 0 });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE' } })).items[0]);
    expect(incident).toMatchObject({ errorType: 'EXECUTION_LISTENER_NO_RETRIES', errorMessage: 'still down', elementId: 'work' });

    await fixture.client.updateJob({ jobKey: flaky.jobKey, retries: 1 });
    await fixture.client.resolveIncident(incident.incidentKey);
    const retried = await nextJob('el-fail-flaky');
    await fixture.client.completeJob({ jobKey: retried.jobKey, variables: {} });
    const work = await nextJob('el-fail-work');
    // The listener that had completed was not run again.
    expect(await activate('el-fail-ok')).toEqual([]);
    await fixture.client.completeJob({ jobKey: work.jobKey, variables: {} });
    await completed(key);
  });

  it('runs the listeners of the process: start before its start event, end before the instance completes', async () => {
    await deploy(
      'el-process.bpmn',
      definitions(`<bpmn:process id="el_process" isExecutable="true">
        <bpmn:extensionElements>${listeners([['start', 'el-process-start'], ['end', 'el-process-end']])}</bpmn:extensionElements>
        <bpmn:startEvent id="start" />
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
      </bpmn:process>`),
    );
    const key = await start('el_process', { claim: 'C-1' });
    const started = await nextJob('el-process-start');
    expect(started).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'START', elementId: 'el_process' });
    expect(started.variables).toMatchObject({ claim: 'C-1' });
    const before = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key } });
    expect(before.items.map((item) => item.elementId)).not.toContain('start');

    await fixture.client.completeJob({ jobKey: started.jobKey, variables: { opened: true } });
    const ended = await nextJob('el-process-end');
    expect(ended).toMatchObject({ listenerEventType: 'END', elementId: 'el_process' });
    expect(ended.variables).toMatchObject({ opened: true });
    expect(await stateOf(key)).toBe('ACTIVE');
    await fixture.client.completeJob({ jobKey: ended.jobKey, variables: {} });
    await completed(key);
  });

  it('lets a gateway start listener set the variable its conditions decide on', async () => {
    await deploy(
      'el-gateway.bpmn',
      definitions(`<bpmn:process id="el_gateway" isExecutable="true">
        <bpmn:startEvent id="start" />
        <bpmn:exclusiveGateway id="route" default="to-normal"><bpmn:extensionElements>${listeners([['start', 'el-gateway-score']])}</bpmn:extensionElements></bpmn:exclusiveGateway>
        <bpmn:endEvent id="fast" />
        <bpmn:endEvent id="normal" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="route" />
        <bpmn:sequenceFlow id="to-fast" sourceRef="route" targetRef="fast"><bpmn:conditionExpression>=score &lt; 10</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="to-normal" sourceRef="route" targetRef="normal" />
      </bpmn:process>`),
    );
    const key = await start('el_gateway');
    const score = await nextJob('el-gateway-score');
    await fixture.client.completeJob({ jobKey: score.jobKey, variables: { score: 3 } });
    await completed(key);
    const elements = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key } });
    expect(elements.items.map((item) => item.elementId)).toContain('fast');
    expect(elements.items.map((item) => item.elementId)).not.toContain('normal');
  });

  it('runs start listeners before the element subscribes: a message catch event correlates by the key a listener set', async () => {
    await deploy(
      'el-catch.bpmn',
      processXml(
        'el_catch',
        `<bpmn:startEvent id="start" />
        <bpmn:intermediateCatchEvent id="wait"><bpmn:extensionElements>${listeners([['start', 'el-catch-key']])}</bpmn:extensionElements><bpmn:messageEventDefinition messageRef="el-documents" /></bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="end" />`,
        ['start', 'wait', 'end'],
        '<bpmn:message id="el-documents" name="el-documents"><bpmn:extensionElements><zeebe:subscription correlationKey="=claimRef" /></bpmn:extensionElements></bpmn:message>',
      ),
    );
    const key = await start('el_catch');
    const listener = await nextJob('el-catch-key');
    await fixture.client.completeJob({ jobKey: listener.jobKey, variables: { claimRef: 'C-77' } });
    await fixture.client.publishMessage({ name: 'el-documents', correlationKey: 'C-77', variables: {}, timeToLive: 60_000 });
    await completed(key);
  });

  it('raises an incident when a listener type expression fails, and runs the listeners of that event type again from the first once resolved', async () => {
    await deploy(
      'el-expression.bpmn',
      processXml(
        'el_expression',
        `<bpmn:startEvent id="start" />
        ${serviceTask('work', 'el-expression-work', listeners([['start', 'el-expression-first'], ['start', '=listenerType']]))}
        <bpmn:endEvent id="end" />`,
        ['start', 'work', 'end'],
      ),
    );
    const key = await start('el_expression');
    const first = await nextJob('el-expression-first');
    await fixture.client.completeJob({ jobKey: first.jobKey, variables: {} });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE' } })).items[0]);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'work' });
    await fixture.client.updateElementInstanceVariables({ elementInstanceKey: key, variables: { listenerType: 'el-expression-second' } });
    await fixture.client.resolveIncident(incident.incidentKey);
    const rerun = await nextJob('el-expression-first');
    await fixture.client.completeJob({ jobKey: rerun.jobKey, variables: {} });
    const second = await nextJob('el-expression-second');
    await fixture.client.completeJob({ jobKey: second.jobKey, variables: {} });
    const work = await nextJob('el-expression-work');
    await fixture.client.completeJob({ jobKey: work.jobKey, variables: {} });
    await completed(key);
  });

  it('refuses a BPMN error thrown for a listener job', async () => {
    await deploy('el-error.bpmn', processXml('el_error', `<bpmn:startEvent id="start" />${serviceTask('work', 'el-error-work', listeners([['start', 'el-error-listener']]))}<bpmn:endEvent id="end" />`, ['start', 'work', 'end']));
    await start('el_error');
    const listener = await nextJob('el-error-listener');
    await expect(fixture.client.errorJob({ jobKey: listener.jobKey, errorCode: 'boom', variables: {} })).rejects.toThrow(/409|INVALID_STATE/);
  });

  it('cancels the listener job when the instance is cancelled while it waits', async () => {
    await deploy('el-cancel.bpmn', processXml('el_cancel', `<bpmn:startEvent id="start" />${serviceTask('work', 'el-cancel-work', listeners([['start', 'el-cancel-listener']]))}<bpmn:endEvent id="end" />`, ['start', 'work', 'end']));
    const key = await start('el_cancel');
    const listener = await nextJob('el-cancel-listener');
    await fixture.client.cancelProcessInstance({ processInstanceKey: key });
    await expect(fixture.client.completeJob({ jobKey: listener.jobKey, variables: {} })).rejects.toThrow(/404|NOT_FOUND/);
  });

  // Not a rule of the page but of durability: which listener an element waits for is in the log and the snapshot.
  it.each([false, true])('goes on with the next listener after a restart (final snapshot: %s)', async (finalSnapshot) => {
    const id = `el_restart_${String(finalSnapshot)}`;
    await deploy(`${id}.bpmn`, processXml(id, `<bpmn:startEvent id="start" />${serviceTask('work', `${id}-work`, listeners([['start', `${id}-a`], ['start', `${id}-b`]]))}<bpmn:endEvent id="end" />`, ['start', 'work', 'end']));
    const key = await start(id);
    await fixture.client.completeJob({ jobKey: (await nextJob(`${id}-a`)).jobKey, variables: { fromA: 1 } });
    // The completion was acknowledged after its commit: the second listener's job is in the log.
    await fixture.restart({ finalSnapshot });
    const b = await nextJob(`${id}-b`);
    expect(b).toMatchObject({ kind: 'EXECUTION_LISTENER', listenerEventType: 'START' });
    expect(b.variables).toMatchObject({ fromA: 1 });
    await fixture.client.completeJob({ jobKey: b.jobKey, variables: {} });
    await fixture.client.completeJob({ jobKey: (await nextJob(`${id}-work`)).jobKey, variables: {} });
    await completed(key);
  });

  it.each([
    ['a start listener on a start event', `<bpmn:startEvent id="start"><bpmn:extensionElements>${listeners([['start', 'x']])}</bpmn:extensionElements></bpmn:startEvent><bpmn:endEvent id="end" />`, ['start', 'end'], /Start events do not support start execution listeners/],
    ['an end listener on a gateway', `<bpmn:startEvent id="start" /><bpmn:parallelGateway id="gw"><bpmn:extensionElements>${listeners([['end', 'x']])}</bpmn:extensionElements></bpmn:parallelGateway><bpmn:endEvent id="end" />`, ['start', 'gw', 'end'], /Gateways do not support end execution listeners/],
    ['two listeners with the same event type and job type', `<bpmn:startEvent id="start" />${serviceTask('work', 'w', listeners([['start', 'same'], ['start', 'same']]))}<bpmn:endEvent id="end" />`, ['start', 'work', 'end'], /unique combinations of event type and job type/],
  ] as const)('refuses %s at deployment', async (_name, elements, row, message) => {
    const form = new FormData();
    form.append('resources', new Blob([processXml('el_refused', elements, row)]), 'refused.bpmn');
    const response = await fetch(`${fixture.baseUrl}/v2/deployments`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(message);
  });
});
