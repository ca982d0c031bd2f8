import { serviceTaskChain, definitions } from '../testing/bpmn';
import { EngineFixture } from '../testing/engine-fixture';
import { problemDetailResponseSchema } from '../testing/wire-schemas';

// Bad input gets application/problem+json naming what is wrong, nothing is
// written, and the engine keeps serving.

describe('bad input', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('bad_input');
    await fixture.client.deployResources([{ name: 'ok.bpmn', content: serviceTaskChain('ok', [{ id: 'work', type: 'ok-work' }]) }]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deployRaw = (name: string, content: string | Buffer) => fixture.deployRaw(name, content);

  const expectProblem = (response: { status: number; contentType: string | null; body: unknown }, status: number, detail: RegExp) => {
    expect(response.status).toBe(status);
    expect(response.contentType).toContain('application/problem+json');
    expect(problemDetailResponseSchema.safeParse(response.body).success).toBe(true);
    expect((response.body as { detail: string }).detail).toMatch(detail);
  };

  afterEach(async () => {
    // Whatever the bad request was, the engine still answers.
    expect((await fixture.http('GET', '/v2/topology')).status).toBe(200);
  });

  it('refuses malformed XML and writes nothing', async () => {
    const before = await fixture.client.searchProcessDefinitions({ filter: {} });
    expectProblem(await deployRaw('broken.bpmn', '<bpmn:definitions><unclosed'), 400, /'broken\.bpmn'.*not valid BPMN XML/s);
    const after = await fixture.client.searchProcessDefinitions({ filter: {} });
    expect(after.page.totalItems).toBe(before.page.totalItems);
  });

  it('refuses an element the engine cannot run, naming it, and deploys nothing of the resource', async () => {
    const xml = definitions(`<bpmn:process id="has-complex-gateway" isExecutable="true">
      <bpmn:startEvent id="s" /><bpmn:complexGateway id="decideSomehow" /><bpmn:endEvent id="e" />
      <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="decideSomehow" /><bpmn:sequenceFlow id="f1" sourceRef="decideSomehow" targetRef="e" />
    </bpmn:process>`);
    expectProblem(await deployRaw('unsupported.bpmn', xml), 400, /Element: decideSomehow[\s\S]*ComplexGateway is not supported/);
    expect((await fixture.client.searchProcessDefinitions({ filter: { processDefinitionId: 'has-complex-gateway' } })).items).toEqual([]);
  });

  it('refuses a FEEL expression that does not parse, naming the element', async () => {
    const xml = serviceTaskChain('bad-feel', [{ id: 'work', type: '=if then' }]);
    expectProblem(await deployRaw('bad-feel.bpmn', xml), 400, /Element: work[\s\S]*FEEL/);
  });

  it('refuses a file that is too large with 413', async () => {
    expectProblem(await deployRaw('huge.bpmn', Buffer.alloc(5 * 1024 * 1024, 'a')), 413, /.+/);
  });

  it('refuses malformed JSON and wrong types, naming the field', async () => {
    expectProblem(await fixture.http('POST', '/v2/process-instances', '{"processDefinitionId": '), 400, /not valid JSON/);
    expectProblem(await fixture.http('POST', '/v2/process-instances', { processDefinitionId: 'ok', variables: 'not an object' }), 400, /body\.variables must be object/);
    expectProblem(await fixture.http('POST', '/v2/jobs/activation', { type: 'ok-work', timeout: 'soon', maxJobsToActivate: 1 }), 400, /body\.timeout must be integer/);
    expectProblem(await fixture.http('POST', '/v2/jobs/activation', { timeout: 1000, maxJobsToActivate: 1 }), 400, /body\.type must have required property/);
    expectProblem(await fixture.http('POST', '/v2/process-instances/search', { filter: { nonsense: 1 } }), 400, /filter\.nonsense' is not supported/);
    expectProblem(await fixture.http('POST', '/v2/process-instances/search', { sort: [{ field: 'colour' }] }), 400, /colour/);
  });

  it('refuses an oversized JSON body with 413', async () => {
    const variables = { blob: 'x'.repeat(5 * 1024 * 1024) };
    expectProblem(await fixture.http('POST', '/v2/process-instances', { processDefinitionId: 'ok', variables }), 413, /.+/);
  });

  it('answers 404 for unknown ids and keys, and 400 for keys that are not keys', async () => {
    expectProblem(await fixture.http('POST', '/v2/process-instances', { processDefinitionId: 'no-such-process' }), 404, /no-such-process/);
    expectProblem(await fixture.http('POST', '/v2/jobs/2251799813685999/completion', {}), 404, /2251799813685999/);
    expectProblem(await fixture.http('POST', '/v2/jobs/99999999999999999999/completion', {}), 400, /jobKey/);
    expectProblem(await fixture.http('POST', '/v2/jobs/abc/completion', {}), 400, /params\.jobKey/);
    expectProblem(await fixture.http('GET', '/v2/element-instances/2251799813685999'), 404, /not found/);
    expectProblem(await fixture.http('POST', '/v2/incidents/2251799813685999/resolution'), 404, /incident/);
    expectProblem(await fixture.http('GET', '/v2/no/such/endpoint'), 404, /no\/such\/endpoint/);
  });

  it('refuses modification, migration and batch operation bodies that are wrong, naming the field', async () => {
    const { processInstanceKey } = await fixture.client.createProcessInstance({ processDefinitionId: 'ok', variables: {} });
    const modification = `/v2/process-instances/${processInstanceKey}/modification`;
    expectProblem(await fixture.http('POST', modification, {}), 400, /body\.activateInstructions and body\.terminateInstructions are both empty/);
    expectProblem(await fixture.http('POST', modification, { activateInstructions: [{}] }), 400, /body\.activateInstructions\.0\.elementId must have required property/);
    expectProblem(await fixture.http('POST', modification, { terminateInstructions: [{ elementInstanceKey: 'abc' }] }), 400, /body\.terminateInstructions\.0\.elementInstanceKey/);
    expectProblem(await fixture.http('POST', modification, { activateInstructions: [{ elementId: 'work', variableInstructions: [{ variables: 'x' }] }] }), 400, /body\.activateInstructions\.0\.variableInstructions\.0\.variables must be object/);
    expectProblem(await fixture.http('POST', '/v2/process-instances/abc/modification', { activateInstructions: [{ elementId: 'work' }] }), 400, /params\.processInstanceKey/);

    const migration = `/v2/process-instances/${processInstanceKey}/migration`;
    expectProblem(await fixture.http('POST', migration, { mappingInstructions: [] }), 400, /body\.targetProcessDefinitionKey must have required property/);
    expectProblem(await fixture.http('POST', migration, { targetProcessDefinitionKey: '1', mappingInstructions: [{ sourceElementId: 'work' }] }), 400, /body\.mappingInstructions\.0\.targetElementId must have required property/);

    expectProblem(await fixture.http('POST', '/v2/process-instances/cancellation', {}), 400, /body\.filter must have required property/);
    expectProblem(await fixture.http('POST', '/v2/process-instances/incident-resolution', { filter: { nonsense: 1 } }), 400, /filter\.nonsense/);
    expectProblem(await fixture.http('POST', '/v2/process-instances/migration', { filter: {} }), 400, /body\.migrationPlan must have required property/);
    expectProblem(
      await fixture.http('POST', '/v2/process-instances/migration', { filter: {}, migrationPlan: { targetProcessDefinitionKey: '2251799813685999', mappingInstructions: [] } }),
      404,
      /migrationPlan\.targetProcessDefinitionKey/,
    );
    expectProblem(await fixture.http('POST', '/v2/batch-operations/search', { filter: { colour: 'red' } }), 400, /filter\.colour/);
    expectProblem(await fixture.http('POST', '/v2/batch-operation-items/search', { sort: [{ field: 'colour' }] }), 400, /colour/);
    expectProblem(await fixture.http('GET', '/v2/batch-operations/abc'), 400, /params\.batchOperationKey/);
    expectProblem(await fixture.http('POST', '/v2/batch-operations/abc/suspension'), 400, /params\.batchOperationKey/);
    expectProblem(await fixture.http('POST', '/v2/process-instances/modification', { filter: {}, moveInstructions: [] }), 400, /body\.moveInstructions must NOT have fewer than 1 items/);
    const adHoc = '/v2/element-instances/ad-hoc-activities';
    expectProblem(await fixture.http('POST', `${adHoc}/${processInstanceKey}/activation`, {}), 400, /body\.elements must have required property/);
    expectProblem(await fixture.http('POST', `${adHoc}/${processInstanceKey}/activation`, { elements: [{ elementId: 'work', variables: 'x' }] }), 400, /body\.elements\.0\.variables must be object/);
    expectProblem(await fixture.http('POST', `${adHoc}/abc/activation`, { elements: [] }), 400, /params\.adHocSubProcessInstanceKey/);
    // A process instance is no ad-hoc subprocess.
    expectProblem(await fixture.http('POST', `${adHoc}/${processInstanceKey}/activation`, { elements: [{ elementId: 'work' }] }), 404, /no ad-hoc sub-process instance found/);
    // Nothing of the refused requests touched the instance.
    expect(await fixture.instanceState(processInstanceKey)).toBe('ACTIVE');
    // Its job must not be handed to the tests after this one.
    await fixture.client.cancelProcessInstance({ processInstanceKey });
  });

  it('answers 404 when a job is completed twice, and records the completion once', async () => {
    const { processInstanceKey } = await fixture.client.createProcessInstance({ processDefinitionId: 'ok', variables: {} });
    const [job] = await fixture.client.activateJobs({ type: 'ok-work', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    expect((await fixture.http('POST', `/v2/jobs/${job!.jobKey}/completion`, { variables: { n: 1 } })).status).toBe(204);
    expectProblem(await fixture.http('POST', `/v2/jobs/${job!.jobKey}/completion`, { variables: { n: 2 } }), 404, /no such job/);
    const n = (await fixture.client.searchVariables({ filter: { processInstanceKey, name: 'n' } })).items;
    expect(n.map((v) => v.value)).toEqual(['1']);
  });

  it('refuses bad search, statistics, decision-instance and resource requests, naming the field at fault', async () => {
    expectProblem(await fixture.http('POST', '/v2/jobs/search', { filter: { jobType: 'x' } }), 400, /filter\.jobType/);
    expectProblem(await fixture.http('POST', '/v2/jobs/search', { filter: { retries: 'many' } }), 400, /filter\.retries/);
    expectProblem(await fixture.http('POST', '/v2/jobs/search', { sort: [{ field: 'salary' }] }), 400, /sort\[0\]\.field/);
    expectProblem(await fixture.http('POST', '/v2/message-subscriptions/search', { filter: { processInstanceKey: 'abc' } }), 400, /filter\.processInstanceKey/);
    expectProblem(await fixture.http('POST', '/v2/decision-instances/search', { filter: { evaluationDate: 'yesterday' } }), 400, /filter\.evaluationDate/);
    expectProblem(await fixture.http('GET', '/v2/decision-instances/123'), 400, /params\.decisionEvaluationInstanceKey/);
    const definition = (await fixture.client.searchProcessDefinitions({ filter: { processDefinitionId: 'ok' } })).items[0]!;
    const statistics = `/v2/process-definitions/${definition.processDefinitionKey}/statistics/element-instances`;
    expectProblem(await fixture.http('POST', statistics, { filters: {} }), 400, /body\.filters/);
    expectProblem(await fixture.http('POST', statistics, { filter: { colour: 'red' } }), 400, /filter\.colour/);
    expectProblem(await fixture.http('POST', statistics, { filter: [] }), 400, /body\.filter/);
    expectProblem(await fixture.http('GET', '/v2/process-instances/abc/sequence-flows'), 400, /params\.processInstanceKey/);
    expectProblem(await fixture.http('POST', `/v2/resources/${definition.processDefinitionKey}/deletion`, { operationReference: 0 }), 400, /body\.operationReference/);
    expectProblem(await fixture.http('POST', `/v2/resources/${definition.processDefinitionKey}/deletion`, { force: true }), 400, /body\.force/);
    expectProblem(await fixture.http('GET', '/v2/resources/not-a-key'), 400, /params\.resourceKey/);
    // Nothing was deleted by the refused requests.
    expect((await fixture.http('GET', `/v2/resources/${definition.processDefinitionKey}`)).status).toBe(200);
  });
});
