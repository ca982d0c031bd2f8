import { definitions } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Ad-hoc subprocesses, as Zeebe runs them itself (the BPMN implementation):
// https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/
// and the activation API, POST /v2/element-instances/ad-hoc-activities/{key}/activation
// (https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/activate-ad-hoc-sub-process-activities/).
// A claim's checks are the case: which ones run is decided at run time.

interface WireJob {
  jobKey: string;
  elementId: string;
  variables: Record<string, unknown>;
}

const check = (id: string, name = id) => `<bpmn:serviceTask id="${id}" name="${name}"><bpmn:extensionElements><zeebe:taskDefinition type="adhoc-${id}" /></bpmn:extensionElements></bpmn:serviceTask>`;

/** A process around one ad-hoc subprocess `checks` holding `inner`, then a script task `after` that records it went on. */
function adHocProcess(processId: string, inner: string, options: { collection?: string; condition?: string; cancelRemaining?: boolean; outputCollection?: string; outputElement?: string } = {}): string {
  const attribute = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${value.replace(/"/g, '&quot;')}"`);
  const adHocAttributes = `${attribute('activeElementsCollection', options.collection)}${attribute('outputCollection', options.outputCollection)}${attribute('outputElement', options.outputElement)}`;
  const collection = adHocAttributes ? `<bpmn:extensionElements><zeebe:adHoc${adHocAttributes} /></bpmn:extensionElements>` : '';
  const condition = options.condition ? `<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${options.condition}</bpmn:completionCondition>` : '';
  const cancel = options.cancelRemaining === undefined ? '' : ` cancelRemainingInstances="${options.cancelRemaining}"`;
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:adHocSubProcess id="checks"${cancel}>${collection}${inner}${condition}</bpmn:adHocSubProcess>
    <bpmn:scriptTask id="after"><bpmn:extensionElements><zeebe:script expression="=true" resultVariable="wentOn" /></bpmn:extensionElements></bpmn:scriptTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="checks" />
    <bpmn:sequenceFlow id="f2" sourceRef="checks" targetRef="after" />
    <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />
  </bpmn:process>`).replace('<bpmn:definitions ', '<bpmn:definitions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ');
}

describe('ad-hoc subprocesses', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('ad_hoc');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (name: string, content: string) => fixture.client.deployResources([{ name, content }]);
  const deployRaw = (content: string) => fixture.deployRaw('ad-hoc.bpmn', content);
  // Jobs are created in the command that reaches their element, so a short long-poll is enough to see that there is none.
  const jobs = async (type: string, max = 10) =>
    (await fixture.client.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: max, requestTimeout: 300 })) as unknown as WireJob[];
  const start = async (processId: string, variables: Record<string, unknown> = {}) => (await fixture.client.createProcessInstance({ processDefinitionId: processId, variables })).processInstanceKey;
  const adHocKey = async (processInstanceKey: string) => {
    const found = await fixture.client.searchElementInstances({ filter: { processInstanceKey, elementId: 'checks' } });
    return (found.items[0] as { elementInstanceKey: string; type: string; state: string } | undefined)!;
  };
  const activate = (key: string, elements: { elementId: string; variables?: Record<string, unknown> }[]) =>
    fixture.http('POST', `/v2/element-instances/ad-hoc-activities/${key}/activation`, { elements });

  // "An ad-hoc sub-process can define an expression activeElementsCollection ... Each string ... should match to an ID of an inner element";
  // with no completion condition it completes once the activated elements completed.
  it('activates the elements its collection names, once each, and completes when they are done', async () => {
    await deploy('adhoc-collection.bpmn', adHocProcess('adhoc-collection', `${check('medical', 'Medical review')}${check('fraud')}${check('billing')}`, { collection: '=checksToRun' }));
    const key = await start('adhoc-collection', { checksToRun: ['medical', 'fraud'] });
    const instance = await adHocKey(key);
    expect(instance.type).toBe('AD_HOC_SUB_PROCESS');
    expect(await fixture.elementIds(key)).toEqual(['checks', 'fraud', 'medical']);
    // The elements it may activate are given to it, as Zeebe does, for whoever chooses next.
    const elements = await fixture.client.searchVariables({ filter: { scopeKey: instance.elementInstanceKey, name: 'adHocSubProcessElements' } });
    expect(JSON.parse((elements.items[0] as { value: string }).value)).toEqual([
      { elementId: 'medical', elementName: 'Medical review' },
      { elementId: 'fraud', elementName: 'fraud' },
      { elementId: 'billing', elementName: 'billing' },
    ]);
    const [medical] = await jobs('adhoc-medical');
    await fixture.client.completeJob({ jobKey: medical!.jobKey, variables: { medicalOk: true } });
    // One path ended, another is active: it waits.
    expect(await fixture.elementIds(key)).toEqual(['checks', 'fraud']);
    const [fraud] = await jobs('adhoc-fraud');
    await fixture.client.completeJob({ jobKey: fraud!.jobKey, variables: {} });
    await fixture.untilState(key, 'COMPLETED');
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(['after', 'checks', 'end', 'fraud', 'medical', 'start']);
    expect(await jobs('adhoc-billing', 1)).toEqual([]);
  });

  // "If elements depend on each other, the elements can be connected by a sequence flow"; only elements without incoming flows are activated.
  it('runs a sequence inside from an activated element, and refuses to activate an element with an incoming flow', async () => {
    const inner = `${check('collect')}${check('assess')}<bpmn:sequenceFlow id="in1" sourceRef="collect" targetRef="assess" />`;
    await deploy('adhoc-sequence.bpmn', adHocProcess('adhoc-sequence', inner, { collection: '=["collect"]' }));
    const key = await start('adhoc-sequence');
    const [collect] = await jobs('adhoc-collect');
    await fixture.client.completeJob({ jobKey: collect!.jobKey, variables: {} });
    const [assess] = await jobs('adhoc-assess');
    expect(assess!.elementId).toBe('assess');
    await fixture.client.completeJob({ jobKey: assess!.jobKey, variables: {} });
    await fixture.untilState(key, 'COMPLETED');

    await deploy('adhoc-wrong.bpmn', adHocProcess('adhoc-wrong', inner, { collection: '=["assess", "nowhere"]' }));
    const wrong = await start('adhoc-wrong');
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: wrong } })).items[0] as { errorType: string; errorMessage: string; elementId: string } | undefined);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'checks', errorMessage: "Failed to activate ad-hoc elements. No BPMN elements found with ids: 'assess', 'nowhere'." });
  });

  // An expression that is not a list of strings is an incident; once the variable is put right and the incident resolved, it goes on.
  it('raises an incident when the collection is not a list of strings, and goes on once it is put right', async () => {
    await deploy('adhoc-bad-collection.bpmn', adHocProcess('adhoc-bad-collection', check('single'), { collection: '=picked' }));
    const key = await start('adhoc-bad-collection', { picked: 'single' });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key } })).items[0] as { errorType: string; errorMessage: string; incidentKey: string } | undefined);
    expect(incident.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(incident.errorMessage).toMatch(/^Failed to activate ad-hoc elements\. Expected result of the expression 'picked' to be 'ARRAY' of 'STRING'/);
    // Stopped in its activation, it is not active: the activation API refuses it.
    const { elementInstanceKey } = await adHocKey(key);
    const early = await activate(elementInstanceKey, [{ elementId: 'single' }]);
    expect(early.status).toBe(409);
    expect((early.body as { detail: string }).detail).toMatch(/but it is not active/);
    await fixture.client.updateElementInstanceVariables({ elementInstanceKey: key, variables: { picked: ['single'] } });
    await fixture.client.resolveIncident(incident.incidentKey);
    const [single] = await jobs('adhoc-single');
    await fixture.client.completeJob({ jobKey: single!.jobKey, variables: {} });
    await fixture.untilState(key, 'COMPLETED');
  });

  // With no activeElementsCollection nothing is activated; it waits for the activation API, which activates elements (each with its own variables),
  // any number of times, and refuses what Zeebe refuses.
  it('waits without a collection, and the activation API activates elements with their variables, refusing bad requests', async () => {
    const inner = `${check('document')}<bpmn:scriptTask id="note"><bpmn:extensionElements><zeebe:script expression="=&quot;noted &quot; + topic" resultVariable="lastNote" /></bpmn:extensionElements></bpmn:scriptTask>`;
    await deploy('adhoc-api.bpmn', adHocProcess('adhoc-api', inner));
    const key = await start('adhoc-api');
    const { elementInstanceKey } = await adHocKey(key);
    expect(await fixture.elementIds(key)).toEqual(['checks']);

    expect((await activate(elementInstanceKey, [{ elementId: 'document', variables: { asked: 'receipt' } }])).status).toBe(204);
    const [document] = await jobs('adhoc-document');
    expect(document!.variables).toMatchObject({ asked: 'receipt' });
    // A second activation of the same element while the first runs: Zeebe allows an element to run any number of times.
    expect((await activate(elementInstanceKey, [{ elementId: 'document' }])).status).toBe(204);
    expect(await fixture.elementIds(key)).toEqual(['checks', 'document', 'document']);

    const refused = async (body: unknown, status: number, detail: RegExp, at = elementInstanceKey) => {
      const answer = await fixture.http('POST', `/v2/element-instances/ad-hoc-activities/${at}/activation`, body);
      expect(answer.status).toBe(status);
      expect((answer.body as { detail: string }).detail).toMatch(detail);
    };
    await refused({ elements: [{ elementId: 'nowhere' }] }, 404, /but the given elements \[nowhere\] do not exist/);
    await refused({ elements: [{ elementId: 'note' }, { elementId: 'note' }] }, 400, /duplicate activities were given/);
    await refused({ elements: [{ elementId: 'note' }] }, 404, /no ad-hoc sub-process instance found with key/, key);
    await refused({ elements: [{ elementId: 'note' }] }, 404, /no ad-hoc sub-process instance found/, '2251799813999999');
    await refused({ elements: [{}] }, 400, /elementId/);
    await refused({ nothing: true }, 400, /elements/);

    // A script task activated with its variables completes at once; the subprocess still has work, so it waits.
    expect((await activate(elementInstanceKey, [{ elementId: 'note', variables: { topic: 'receipt' } }])).status).toBe(204);
    expect(await fixture.elementIds(key)).toEqual(['checks', 'document', 'document']);
    for (const job of [document!, ...(await jobs('adhoc-document'))]) await fixture.client.completeJob({ jobKey: job.jobKey, variables: {} });
    await fixture.untilState(key, 'COMPLETED');
    // A completed instance leaves the engine's state, as on Zeebe: it is not found.
    await refused({ elements: [{ elementId: 'note' }] }, 404, /no ad-hoc sub-process instance found/);
  });

  // "completionCondition ... evaluated every time an inner element is completed"; with cancelRemainingInstances (the default) the others are ended.
  it('completes when its completion condition holds, ending what is still active by default', async () => {
    await deploy('adhoc-condition.bpmn', adHocProcess('adhoc-condition', `${check('first')}${check('second')}`, { collection: '=["first", "second"]', condition: 'decided = true' }));
    const key = await start('adhoc-condition', { decided: false });
    const [first] = await jobs('adhoc-first');
    await fixture.client.completeJob({ jobKey: first!.jobKey, variables: { decided: true } });
    await fixture.untilState(key, 'COMPLETED');
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual(['second']);
  });

  // cancelRemainingInstances="false": the condition holds, yet it waits for the active elements before it completes.
  it('with cancelRemainingInstances false, waits for the active elements once the condition holds', async () => {
    await deploy('adhoc-keep.bpmn', adHocProcess('adhoc-keep', `${check('one')}${check('two')}`, { collection: '=["one", "two"]', condition: '=enough', cancelRemaining: false }));
    const key = await start('adhoc-keep', { enough: false });
    const [one] = await jobs('adhoc-one');
    await fixture.client.completeJob({ jobKey: one!.jobKey, variables: { enough: true } });
    expect(await fixture.elementIds(key)).toEqual(['checks', 'two']);
    const [two] = await jobs('adhoc-two');
    await fixture.client.completeJob({ jobKey: two!.jobKey, variables: {} });
    await fixture.untilState(key, 'COMPLETED');
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual([]);
  });

  // A condition that does not hold after the last path ended: it stays active, waiting for more activations.
  it('stays active when nothing is left and the condition does not hold, until an activation makes it hold', async () => {
    await deploy('adhoc-open.bpmn', adHocProcess('adhoc-open', check('step'), { collection: '=["step"]', condition: '=count(done) >= 2' }));
    const key = await start('adhoc-open', { done: [] });
    const [step] = await jobs('adhoc-step');
    await fixture.client.completeJob({ jobKey: step!.jobKey, variables: { done: ['a'] } });
    expect(await fixture.elementIds(key)).toEqual(['checks']);
    // A waiting ad-hoc subprocess outlives a crash: its state is rebuilt from the log.
    await fixture.restart({ finalSnapshot: false });
    const { elementInstanceKey } = await adHocKey(key);
    expect((await activate(elementInstanceKey, [{ elementId: 'step' }])).status).toBe(204);
    const [again] = await jobs('adhoc-step');
    await fixture.client.completeJob({ jobKey: again!.jobKey, variables: { done: ['a', 'b'] } });
    await fixture.untilState(key, 'COMPLETED');
  });

  // A completion condition that does not give a boolean is an incident on the ad-hoc subprocess; put right and resolved, it is judged again.
  it('raises an incident when the completion condition fails, and judges it again once resolved', async () => {
    await deploy('adhoc-bad-condition.bpmn', adHocProcess('adhoc-bad-condition', check('only'), { collection: '=["only"]', condition: '=verdict' }));
    const key = await start('adhoc-bad-condition', { verdict: 'maybe' });
    const [only] = await jobs('adhoc-only');
    await fixture.client.completeJob({ jobKey: only!.jobKey, variables: {} });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key } })).items[0] as { errorType: string; errorMessage: string; elementId: string; incidentKey: string } | undefined);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'checks' });
    expect(incident.errorMessage).toMatch(/^Failed to evaluate completion condition\./);
    await fixture.client.updateElementInstanceVariables({ elementInstanceKey: key, variables: { verdict: true } });
    await fixture.client.resolveIncident(incident.incidentKey);
    await fixture.untilState(key, 'COMPLETED');
  });

  // Cancelling the process instance ends the ad-hoc subprocess and its elements; an interrupting boundary event on it ends them too.
  it('is ended with its elements by cancellation and by an interrupting boundary event', async () => {
    const xml = adHocProcess('adhoc-boundary', check('slow'), { collection: '=["slow"]' }).replace(
      '<bpmn:endEvent id="end" />',
      `<bpmn:endEvent id="end" /><bpmn:boundaryEvent id="stop" attachedToRef="checks"><bpmn:messageEventDefinition id="stop-def" messageRef="stop-message" /></bpmn:boundaryEvent>
       <bpmn:endEvent id="stopped" /><bpmn:sequenceFlow id="f4" sourceRef="stop" targetRef="stopped" />`,
    ).replace('</bpmn:process>', '</bpmn:process><bpmn:message id="stop-message" name="adhoc-stop"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>');
    await deploy('adhoc-boundary.bpmn', xml);
    const stopped = await start('adhoc-boundary', { caseId: 'c-1' });
    await eventually(async () => ((await fixture.elementIds(stopped)).includes('slow') ? true : undefined));
    await fixture.client.publishMessage({ name: 'adhoc-stop', correlationKey: 'c-1', variables: {} });
    await fixture.untilState(stopped, 'COMPLETED');
    expect(await fixture.elementIds(stopped, 'TERMINATED')).toEqual(['checks', 'slow']);
    expect(await fixture.elementIds(stopped, 'COMPLETED')).toEqual(['start', 'stop', 'stopped']);

    const cancelled = await start('adhoc-boundary', { caseId: 'c-2' });
    await eventually(async () => ((await fixture.elementIds(cancelled)).includes('slow') ? true : undefined));
    await fixture.client.cancelProcessInstance({ processInstanceKey: cancelled });
    await fixture.untilState(cancelled, 'TERMINATED');
    expect(await fixture.elementIds(cancelled, 'TERMINATED')).toEqual(['checks', 'slow']);
    // Both jobs of the ended element were cancelled with it.
    expect(await jobs('adhoc-slow', 2)).toEqual([]);
  });

  // Each activated element runs in an inner instance of its own (Zeebe 8.8's AD_HOC_SUB_PROCESS_INNER_INSTANCE, `<id>#innerInstance`):
  // "Variables written by the activities the ad-hoc sub-process activates stay local to each activation".
  it('runs each activation in an inner instance of its own, holding the variables it was activated with', async () => {
    await deploy('adhoc-inner.bpmn', adHocProcess('adhoc-inner', check('ask')));
    const key = await start('adhoc-inner');
    const { elementInstanceKey } = await adHocKey(key);
    expect((await activate(elementInstanceKey, [{ elementId: 'ask', variables: { topic: 'receipt' } }])).status).toBe(204);
    expect((await activate(elementInstanceKey, [{ elementId: 'ask', variables: { topic: 'diagnosis' } }])).status).toBe(204);
    const inner = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, elementId: 'checks#innerInstance' } });
    const innerKeys = (inner.items as { elementInstanceKey: string; type: string; state: string }[]).map((item) => {
      expect(item).toMatchObject({ type: 'AD_HOC_SUB_PROCESS_INNER_INSTANCE', state: 'ACTIVE' });
      return item.elementInstanceKey;
    });
    expect(innerKeys).toHaveLength(2);
    // Each path's variables are in its inner instance; each job sees its own.
    const topics = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'topic' } });
    expect((topics.items as { scopeKey: string; value: string }[]).map((v) => [v.scopeKey, v.value]).sort()).toEqual(
      [
        [innerKeys[0], '"receipt"'],
        [innerKeys[1], '"diagnosis"'],
      ]
        .map(([scope, value]) => [scope, value])
        .sort(),
    );
    const asked = await jobs('adhoc-ask', 2);
    expect(asked.map((job) => job.variables.topic).sort()).toEqual(['diagnosis', 'receipt']);
    // A path ends with its inner instance; the ad-hoc subprocess completes when the last one has.
    await fixture.client.completeJob({ jobKey: asked[0]!.jobKey, variables: {} });
    await eventually(async () => ((await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, elementId: 'checks#innerInstance', state: 'COMPLETED' } })).items.length === 1 ? true : undefined));
    expect(await fixture.elementIds(key)).toEqual(['ask', 'checks']);
    await fixture.client.completeJob({ jobKey: asked[1]!.jobKey, variables: {} });
    await fixture.untilState(key, 'COMPLETED');
    // Operate's diagram counts what ran in the paths, not the paths.
    const statistics = await fixture.http('GET', `/v2/process-instances/${key}/statistics/element-instances`);
    expect((statistics.body as { items: { elementId: string }[] }).items.map((item) => item.elementId)).not.toContain('checks#innerInstance');
  });

  // "Collect output": `outputCollection` is a local variable of the ad-hoc sub-process, updated whenever an inner flow completes and
  // propagated to the parent scope on completion; `outputElement` is evaluated as an inner flow completes. The variable the output
  // element names is created in each inner instance, so paths that end in any order never overwrite each other's.
  it('collects the output element of each path as it ends, and hands the collection to the parent scope', async () => {
    await deploy('adhoc-output.bpmn', adHocProcess('adhoc-output', `${check('medical')}${check('billing')}`, { collection: '=["medical", "billing"]', outputCollection: 'findings', outputElement: '=finding' }));
    const key = await start('adhoc-output');
    const { elementInstanceKey } = await adHocKey(key);
    const variable = async (name: string, scopeKey: string) => {
      const found = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name, scopeKey } });
      return (found.items as { value: string }[]).map((v) => JSON.parse(v.value) as unknown)[0];
    };
    expect(await variable('findings', elementInstanceKey)).toEqual([]);
    const [billing] = await jobs('adhoc-billing');
    const [medical] = await jobs('adhoc-medical');
    await fixture.client.completeJob({ jobKey: billing!.jobKey, variables: { finding: { check: 'billing', ok: true } } });
    await eventually(async () => ((await variable('findings', elementInstanceKey)) as unknown[]).length === 1 || undefined);
    await fixture.client.completeJob({ jobKey: medical!.jobKey, variables: { finding: { check: 'medical', ok: false } } });
    await fixture.untilState(key, 'COMPLETED');
    // In the order the paths ended, at the process scope; the paths' own `finding` stayed in them.
    expect(await variable('findings', key)).toEqual([
      { check: 'billing', ok: true },
      { check: 'medical', ok: false },
    ]);
    expect(await variable('finding', key)).toBeUndefined();
  });

  // An output element that cannot be evaluated is an incident on the path's inner instance; put right and resolved, the path ends.
  it('raises an incident when the output element fails, and collects it once resolved', async () => {
    await deploy('adhoc-bad-output.bpmn', adHocProcess('adhoc-bad-output', check('score'), { collection: '=["score"]', outputCollection: 'scores', outputElement: '=points + 1' }));
    const key = await start('adhoc-bad-output');
    const [score] = await jobs('adhoc-score');
    await fixture.client.completeJob({ jobKey: score!.jobKey, variables: { points: 'many' } });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key } })).items[0] as { errorType: string; errorMessage: string; elementId: string; elementInstanceKey: string; incidentKey: string } | undefined);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'checks#innerInstance' });
    expect(incident.errorMessage).toMatch(/^Failed to collect the output of the ad-hoc subprocess 'checks'/);
    await fixture.client.updateElementInstanceVariables({ elementInstanceKey: key, variables: { points: 2 } });
    await fixture.client.resolveIncident(incident.incidentKey);
    await fixture.untilState(key, 'COMPLETED');
    const scores = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'scores', scopeKey: key } });
    expect((scores.items as { value: string }[]).map((v) => v.value)).toEqual(['[3]']);
  });

  // A modification that activates an element inside an ad-hoc subprocess gives it an inner instance of its own, as an activation does.
  it('gives an element a modification activates inside it an inner instance of its own', async () => {
    await deploy('adhoc-modify.bpmn', adHocProcess('adhoc-modify', `${check('first')}${check('extra')}`, { collection: '=["first"]', outputCollection: 'done', outputElement: '="ran"' }));
    const key = await start('adhoc-modify');
    await eventually(async () => ((await fixture.elementIds(key)).includes('first') ? true : undefined));
    await fixture.client.modifyProcessInstance({ processInstanceKey: key, activateInstructions: [{ elementId: 'extra', variableInstructions: [] }] });
    const inner = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, elementId: 'checks#innerInstance', state: 'ACTIVE' } });
    expect(inner.items).toHaveLength(2);
    expect(await fixture.elementIds(key)).toEqual(['checks', 'extra', 'first']);
    // An inner instance is not an element a modification can activate.
    const refused = await fixture.http('POST', `/v2/process-instances/${key}/modification`, { activateInstructions: [{ elementId: 'checks#innerInstance' }] });
    expect(refused.status).toBe(400);
    expect((refused.body as { detail: string }).detail).toMatch(/The activation of elements with type 'AD_HOC_SUB_PROCESS_INNER_INSTANCE' is not supported/);
    for (const job of [...(await jobs('adhoc-first')), ...(await jobs('adhoc-extra'))]) await fixture.client.completeJob({ jobKey: job.jobKey, variables: {} });
    await fixture.untilState(key, 'COMPLETED');
    const done = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'done', scopeKey: key } });
    expect((done.items as { value: string }[]).map((v) => v.value)).toEqual(['["ran","ran"]']);
  });

  // "Must have at least one activity; must not have start events or end events"; what the engine does not run yet is refused by name.
  it('refuses at deployment what an ad-hoc subprocess must not hold, and what the engine does not run yet', async () => {
    const refused = async (inner: string, detail: RegExp, options: { collection?: string; taskDefinition?: boolean; outputCollection?: string; outputElement?: string } = {}) => {
      let xml = adHocProcess('adhoc-refused', inner, options);
      if (options.taskDefinition) xml = xml.replace('<bpmn:adHocSubProcess id="checks">', '<bpmn:adHocSubProcess id="checks"><bpmn:extensionElements><zeebe:taskDefinition type="agent" /></bpmn:extensionElements>');
      const answer = await deployRaw(xml);
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toMatch(detail);
    };
    await refused(`<bpmn:startEvent id="inner-start" />${check('a')}`, /no start or end events, but 'inner-start' is one/);
    await refused(`${check('a')}<bpmn:endEvent id="inner-end" />`, /no start or end events, but 'inner-end' is one/);
    await refused('<bpmn:exclusiveGateway id="only-gateway" />', /at least one activity/);
    await refused(check('a'), /job worker .* not supported yet/, { taskDefinition: true });
    await refused(check('a'), /FEEL expression starting with "="/, { collection: 'picked' });
    // The output collection and element go together, as a multi-instance's do.
    await refused(check('a'), /an output element with the output collection/, { outputCollection: 'results' });
    await refused(check('a'), /an output collection with the output element/, { outputElement: '=result' });
    await refused(check('a'), /output collection to be a variable name/, { outputCollection: 'not a name', outputElement: '=result' });
  });
});
