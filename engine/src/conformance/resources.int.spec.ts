import { definitions, messageXml } from '../testing/bpmn';
import { dmn } from '../testing/dmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import { licenseSchema, resourceSchema } from '../testing/wire-schemas';

// Deployed resources by key (get, content, deletion) with Zeebe's deletion
// rules, and the gateway's status and license (Camunda 8.8's REST API).
// https://docs.camunda.io/docs/components/concepts/resource-deletion/

const versioned = (id: string, type: string, versionTag?: string) =>
  definitions(`<bpmn:process id="${id}" isExecutable="true">
    ${versionTag ? `<bpmn:extensionElements><zeebe:versionTag value="${versionTag}" /></bpmn:extensionElements>` : ''}
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  </bpmn:process>`);

const startedByMessage = (id: string, type: string) =>
  definitions(`<bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
    <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
  </bpmn:process>
  ${messageXml('m', `${id}-requested`)}`);

const limits = (limit: number) => dmn('limits', [{ id: 'payout-limit', inputs: ['role'], outputs: [{ name: 'limit' }], rules: [[['-'], [String(limit)]]] }]);
const form = (label: string) => JSON.stringify({ id: 'claim-note', type: 'default', components: [{ type: 'textfield', key: 'note', label }] });

describe('resources', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('resources');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (name: string, content: string) => fixture.client.deployResources([{ name, content }]);
  const deletion = (key: string, body: unknown = {}) => fixture.http('POST', `/v2/resources/${key}/deletion`, body);

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-resource/
  it('describes a deployed process, decision requirements graph and form by key, and serves its content', async () => {
    const xml = versioned('described', 'described-work', 'v2025.1');
    const process = (await deploy('described.bpmn', xml)).processes[0]!;
    const response = await fixture.http('GET', `/v2/resources/${process.processDefinitionKey}`);
    expect(response.status).toBe(200);
    expect(resourceSchema.parse(response.body)).toEqual({
      resourceKey: process.processDefinitionKey,
      resourceId: 'described',
      resourceName: 'described.bpmn',
      version: 1,
      versionTag: 'v2025.1',
      tenantId: '<default>',
    });
    const content = await fixture.http('GET', `/v2/resources/${process.processDefinitionKey}/content`);
    expect(content.status).toBe(200);
    expect(content.body).toBe(xml);

    const graph = (await deploy('limits.dmn', limits(100))).decisionRequirements[0]!;
    expect((await fixture.http('GET', `/v2/resources/${graph.decisionRequirementsKey}`)).body).toMatchObject({ resourceId: 'limits', resourceName: 'limits.dmn', version: 1 });
    expect((await fixture.http('GET', `/v2/resources/${graph.decisionRequirementsKey}/content`)).body).toContain('payout-limit');

    const deployedForm = (await deploy('note.form', form('Note'))).forms[0]!;
    expect((await fixture.http('GET', `/v2/resources/${deployedForm.formKey}`)).body).toMatchObject({ resourceId: 'claim-note', version: 1 });
    // The form's JSON as deployed (the test client parses JSON text it is given).
    expect((await fixture.http('GET', `/v2/resources/${deployedForm.formKey}/content`)).body).toMatchObject({ id: 'claim-note' });

    expect((await fixture.http('GET', '/v2/resources/2251799813999999')).status).toBe(404);
    expect((await fixture.http('GET', '/v2/resources/2251799813999999/content')).status).toBe(404);
  });

  // https://docs.camunda.io/docs/components/concepts/resource-deletion/#deleting-a-process-definition
  it('refuses to delete a process definition while it has running instances, then deletes it and its history', async () => {
    const process = (await deploy('busy.bpmn', versioned('busy', 'busy-work'))).processes[0]!;
    const running = await fixture.client.createProcessInstance({ processDefinitionKey: process.processDefinitionKey, variables: {} });
    const refused = await deletion(process.processDefinitionKey);
    expect(refused.status).toBe(409);
    expect((refused.body as { detail: string }).detail).toContain('running instances');
    expect((await fixture.http('GET', `/v2/process-definitions/${process.processDefinitionKey}`)).status).toBe(200);

    await fixture.client.cancelProcessInstance({ processInstanceKey: running.processInstanceKey });
    await fixture.client.deleteResource({ resourceKey: process.processDefinitionKey });
    expect((await fixture.http('GET', `/v2/resources/${process.processDefinitionKey}`)).status).toBe(404);
    expect((await fixture.http('GET', `/v2/process-definitions/${process.processDefinitionKey}`)).status).toBe(404);
    // "Deleting a process definition also deletes historical data."
    expect((await fixture.http('GET', `/v2/process-instances/${running.processInstanceKey}`)).status).toBe(404);
    const created = await fixture.http('POST', '/v2/process-instances', { processDefinitionKey: process.processDefinitionKey });
    expect(created.status).toBe(404);
    expect((await deletion(process.processDefinitionKey)).status).toBe(404);
  });

  // https://docs.camunda.io/docs/components/concepts/resource-deletion/#deleting-the-latest-version
  it('makes the previous version the latest when the latest is deleted, and never reuses a version number', async () => {
    const first = (await deploy('versions.bpmn', versioned('versions', 'versions-v1'))).processes[0]!;
    const second = (await deploy('versions.bpmn', versioned('versions', 'versions-v2'))).processes[0]!;
    expect(second.processDefinitionVersion).toBe(2);
    expect((await deletion(second.processDefinitionKey)).status).toBe(200);

    const started = await fixture.client.createProcessInstance({ processDefinitionId: 'versions', variables: {} });
    expect(started.processDefinitionKey).toBe(first.processDefinitionKey);
    const third = (await deploy('versions.bpmn', versioned('versions', 'versions-v3'))).processes[0]!;
    expect(third.processDefinitionVersion).toBe(3);
    await fixture.restart();
    const fourth = (await deploy('versions.bpmn', versioned('versions', 'versions-v4'))).processes[0]!;
    expect(fourth.processDefinitionVersion).toBe(4);
  });

  // https://docs.camunda.io/docs/components/concepts/resource-deletion/#deleting-the-latest-version
  it('hands the start events back to the previous version when the latest is deleted', async () => {
    const first = (await deploy('requested.bpmn', startedByMessage('requested', 'requested-v1'))).processes[0]!;
    const second = (await deploy('requested.bpmn', startedByMessage('requested', 'requested-v2'))).processes[0]!;
    await fixture.client.deleteResource({ resourceKey: second.processDefinitionKey });
    await fixture.client.publishMessage({ name: 'requested-requested', correlationKey: '', variables: {}, timeToLive: 0 });
    const started = await eventually(async () => (await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'requested' } })).items[0]);
    expect(started.processDefinitionKey).toBe(first.processDefinitionKey);
  });

  // https://docs.camunda.io/docs/components/concepts/resource-deletion/#deleting-the-latest-version
  it('reopens the previous version’s timer start event when the latest is deleted, and closes the deleted one’s', async () => {
    const now = Date.now();
    await fixture.pinClock(now);
    const at = new Date(now + 60 * 60_000).toISOString();
    const timed = (type: string) =>
      definitions(`<bpmn:process id="timed" isExecutable="true">
        <bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeDate>${at}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent>
        <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
      </bpmn:process>`);
    const first = (await deploy('timed.bpmn', timed('timed-v1'))).processes[0]!;
    const second = (await deploy('timed.bpmn', timed('timed-v2'))).processes[0]!;
    await fixture.client.deleteResource({ resourceKey: second.processDefinitionKey });
    await fixture.pinClock(now + 2 * 60 * 60_000);
    const started = await eventually(async () => (await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'timed' } })).items[0]);
    expect(started.processDefinitionKey).toBe(first.processDefinitionKey);
    expect((await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'timed' } })).page.totalItems).toBe(1);
    await fixture.resetClock();
  });

  // https://docs.camunda.io/docs/components/concepts/resource-deletion/#deleting-a-decision-requirements-graph
  it('deletes a decision requirements graph with its decisions; business rules then use the previous version', async () => {
    await deploy('limits.dmn', limits(200));
    const latest = await deploy('limits.dmn', limits(300));
    const graph = latest.decisionRequirements[0]!;
    expect(graph.version).toBeGreaterThan(1);
    await fixture.client.deleteResource({ resourceKey: graph.decisionRequirementsKey });
    expect((await fixture.http('GET', `/v2/decision-requirements/${graph.decisionRequirementsKey}`)).status).toBe(404);
    expect((await fixture.http('GET', `/v2/decision-definitions/${latest.decisions[0]!.decisionDefinitionKey}`)).status).toBe(404);
    const evaluated = await fixture.client.evaluateDecision({ decisionDefinitionId: 'payout-limit', variables: {} });
    expect(evaluated.output).toBe('200');
  });

  it('deletes a form', async () => {
    const deployed = (await deploy('note.form', form('A changed note'))).forms[0]!;
    await fixture.client.deleteResource({ resourceKey: deployed.formKey });
    expect((await fixture.http('GET', `/v2/resources/${deployed.formKey}`)).status).toBe(404);
    expect((await deletion('2251799813999999')).status).toBe(404);
  });

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-status/
  it('answers GET /v2/status with 204 while healthy', async () => {
    const status = await fixture.http('GET', '/v2/status');
    expect(status.status).toBe(204);
  });

  // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-license/
  it('answers GET /v2/license in Camunda’s shape, claiming no commercial license', async () => {
    const response = await fixture.http('GET', '/v2/license');
    expect(licenseSchema.parse(response.body)).toEqual({ validLicense: false, licenseType: 'unknown', isCommercial: false, expiresAt: null });
    const viaSdk = await fixture.client.getLicenseStatus();
    expect(viaSdk).toMatchObject({ licenseType: 'unknown' });
  });
});
