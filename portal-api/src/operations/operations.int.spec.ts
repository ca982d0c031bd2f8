/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { PortalFixture } from '../testing/portal-fixture';

// The operations API over the real engine: an instance stopped on an
// incident (a job that failed until its retries ran out) is seen with its
// job's error and retries left; a retry answers only once the job ran again
// and says how (failed again with the new error, then completed); cancel,
// move a token, migrate to a new version and a batch with its progress.
// This test plays the worker: it activates, fails and completes the job.

const processXml = (version: string, extra = '', processId = 'ops-test') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${processId}-${version}" targetNamespace="http://claims.example/test">
  <bpmn:process id="${processId}" name="Operations test" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>to-step</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="to-step" sourceRef="start" targetRef="step" />
    <bpmn:serviceTask id="step" name="Call the bank">
      <bpmn:extensionElements><zeebe:taskDefinition type="ops-test-step" retries="1" /></bpmn:extensionElements>
      <bpmn:incoming>to-step</bpmn:incoming><bpmn:outgoing>to-wait</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="to-wait" sourceRef="step" targetRef="wait" />
    <bpmn:userTask id="wait" name="Look at it${extra}">
      <bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements>
      <bpmn:incoming>to-wait</bpmn:incoming><bpmn:outgoing>to-end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to-end" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>to-end</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;

let portal: PortalFixture;

beforeAll(async () => {
  portal = await PortalFixture.start('operations');
  await portal.engine.client.deployResources([{ name: 'ops-test.bpmn', content: processXml('v1') }]);
});

afterAll(() => portal?.stop());

async function startInstance(processDefinitionId = 'ops-test'): Promise<string> {
  const started = await portal.engine.http('POST', '/v2/process-instances', { processDefinitionId, variables: { note: 'operations test' } });
  expect(started.status).toBe(200);
  return String((started.body as { processInstanceKey: string }).processInstanceKey);
}

/** Takes the next job of the step as a worker would (long poll), then completes or fails it. */
async function work(outcome: { fail: string } | 'complete'): Promise<void> {
  const activated = await eventually(async () => {
    const answer = await portal.engine.http('POST', '/v2/jobs/activation', { type: 'ops-test-step', worker: 'ops-test', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: 5_000 });
    return (answer.body as { jobs: { jobKey: string }[] }).jobs[0];
  }, 30_000);
  const done = outcome === 'complete'
    ? await portal.engine.http('POST', `/v2/jobs/${activated.jobKey}/completion`, {})
    : await portal.engine.http('POST', `/v2/jobs/${activated.jobKey}/failure`, { retries: 0, errorMessage: outcome.fail });
  expect(done.status).toBe(204);
}

async function openIncident(processInstanceKey: string) {
  return eventually(async () => {
    const found = await portal.call('oscar', 'GET', '/operations/incidents?processDefinitionId=ops-test&limit=100');
    return (found.body.items as { processInstanceKey: string }[]).find((i) => i.processInstanceKey === processInstanceKey) as Record<string, any> | undefined;
  });
}

it('shows an incident with its job, and a retry confirms the job ran again: failed again, then completed', async () => {
  const key = await startInstance();
  await work({ fail: 'the bank did not answer' });
  const incident = await openIncident(key);
  expect(incident).toMatchObject({ elementId: 'step', errorType: 'JOB_NO_RETRIES', job: { type: 'ops-test-step', retries: 0, errorMessage: 'the bank did not answer' } });

  // The list, filtered to instances with an incident, has it; the instance page shows the incident on its element.
  const listed = await portal.call('admin', 'GET', '/operations/process-instances?processDefinitionId=ops-test&hasIncident=true&state=ACTIVE');
  expect(listed.status).toBe(200);
  expect(listed.body.items.map((i: { processInstanceKey: string }) => i.processInstanceKey)).toContain(key);
  const page = await portal.call('oscar', 'GET', `/operations/process-instances/${key}`);
  expect(page.status).toBe(200);
  expect(page.body.xml).toContain('id="step"');
  expect(page.body.statistics).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'step', incidents: 1, active: 0 }), expect.objectContaining({ elementId: 'start', completed: 1 })]));
  expect(page.body.takenFlows).toEqual(['to-step']);
  expect(page.body.variables).toEqual([expect.objectContaining({ name: 'note', value: '"operations test"' })]);
  expect(page.body.incidents[0]).toMatchObject({ incidentKey: incident.incidentKey, job: { retries: 0 } });
  expect(page.body.history.map((h: { elementId: string }) => h.elementId)).toEqual(['start', 'step']);

  // Retried while the cause is still there: the answer waits for the job and says it failed again, with the new error.
  const failing = portal.call('oscar', 'POST', `/operations/incidents/${incident.incidentKey}/retry`, { json: { waitSeconds: 30 } });
  await work({ fail: 'the bank is still down' });
  const failed = await failing;
  expect(failed.status).toBe(200);
  expect(failed.body).toMatchObject({ outcome: 'failed-again', error: 'the bank is still down', processInstanceKey: key });
  expect(failed.body.incidentKey).toBe(incident.incidentKey);
  const second = await openIncident(key);
  expect(second.incidentKey).not.toBe(incident.incidentKey);

  // Fixed: the retry answers that the job completed, and the instance goes on.
  const succeeding = portal.call('oscar', 'POST', `/operations/incidents/${second.incidentKey}/retry`, { json: {} });
  await work('complete');
  const completed = await succeeding;
  expect(completed.body).toMatchObject({ outcome: 'completed', job: { state: 'COMPLETED' } });
  const after = await portal.call('oscar', 'GET', `/operations/process-instances/${key}`);
  expect(after.body.instance.hasIncident).toBe(false);
  expect(after.body.statistics).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'wait', active: 1 })]));

  // A resolved incident cannot be retried twice.
  expect((await portal.call('oscar', 'POST', `/operations/incidents/${second.incidentKey}/retry`, { json: {} })).status).toBe(409);

  // Both retries are in the audit trail, with who, the instance and what came of it.
  const audit = await portal.call('admin', 'GET', `/audit?entityType=process-instance&entityId=${key}`);
  expect(audit.body.items.map((e: any) => [e.action, e.actorName, e.details.outcome, e.details.processInstanceKey])).toEqual([
    ['operations.retry', 'oscar', 'completed', key],
    ['operations.retry', 'oscar', 'failed-again', key],
  ]);
});

it('moves a token, migrates to a new version and cancels, each audited', async () => {
  const key = await startInstance();
  // Moved past the step that would fail: straight to the user task.
  const moved = await portal.call('oscar', 'POST', `/operations/process-instances/${key}/modification`, { json: { fromElementId: 'step', toElementId: 'wait' } });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ moved: 1 });
  const stats = (await portal.call('oscar', 'GET', `/operations/process-instances/${key}`)).body.statistics as { elementId: string; active: number; canceled: number }[];
  expect(stats).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'wait', active: 1 }), expect.objectContaining({ elementId: 'step', canceled: 1 })]));

  await portal.engine.client.deployResources([{ name: 'ops-test.bpmn', content: processXml('v2', ' again') }]);
  const versions = (await portal.call('oscar', 'GET', '/operations/process-definitions')).body.items.filter((d: { processDefinitionId: string }) => d.processDefinitionId === 'ops-test');
  expect(versions.map((d: { version: number }) => d.version)).toEqual([2, 1]);
  const migrated = await portal.call('admin', 'POST', `/operations/process-instances/${key}/migration`, { json: { targetProcessDefinitionKey: versions[0].processDefinitionKey } });
  expect(migrated.status).toBe(200);
  expect((await portal.call('oscar', 'GET', `/operations/process-instances/${key}`)).body.instance.version).toBe(2);

  const cancelled = await portal.call('oscar', 'POST', `/operations/process-instances/${key}/cancellation`);
  expect(cancelled.status).toBe(200);
  expect((await portal.call('oscar', 'GET', `/operations/process-instances/${key}`)).body.instance.state).toBe('TERMINATED');
  expect((await portal.call('oscar', 'POST', `/operations/process-instances/${key}/cancellation`)).status).toBe(409);

  const audit = await portal.call('admin', 'GET', `/audit?entityType=process-instance&entityId=${key}`);
  expect(audit.body.items.map((e: any) => [e.action, e.actorName])).toEqual([['operations.cancel', 'oscar'], ['operations.migrate', 'admin'], ['operations.modify', 'oscar']]);
});

it('retries every instance stopped on an incident as one batch, with its progress', async () => {
  const keys = [await startInstance(), await startInstance()];
  await work({ fail: 'down' });
  await work({ fail: 'down' });
  for (const key of keys) await openIncident(key);
  const batch = await portal.call('oscar', 'POST', '/operations/batches', { json: { type: 'retry', filter: { processDefinitionId: 'ops-test', hasIncident: true }, reason: 'the bank is back' } });
  expect(batch.status).toBe(201);
  expect(batch.body.instances).toBe(2);
  const progress = await eventually(async () => {
    const answer = await portal.call('oscar', 'GET', `/operations/batches/${batch.body.batchOperationKey}`);
    return answer.body.state === 'COMPLETED' ? answer.body : undefined;
  }, 20_000);
  expect(progress).toMatchObject({ total: 2, completed: 2, failed: 0 });
  // The jobs are handed out again.
  await work('complete');
  await work('complete');
  const audit = await portal.call('admin', 'GET', `/audit?entityType=batch-operation&entityId=${batch.body.batchOperationKey}`);
  expect(audit.body.items[0]).toMatchObject({ action: 'operations.batch-retry', actorName: 'oscar' });
  expect([...audit.body.items[0].details.processInstanceKeys].sort()).toEqual([...keys].sort());
});

it('moves tokens and migrates instances as batches over a filter', async () => {
  // A process of its own, so that only these two instances match: both of version 1, waiting at the step (nobody works it here).
  await portal.engine.client.deployResources([{ name: 'ops-batch.bpmn', content: processXml('v1', '', 'ops-batch') }]);
  const keys = [await startInstance('ops-batch'), await startInstance('ops-batch')];
  const waitFor = async (batchOperationKey: string) =>
    eventually(async () => {
      const answer = await portal.call('oscar', 'GET', `/operations/batches/${batchOperationKey}`);
      return ['COMPLETED', 'PARTIALLY_COMPLETED', 'FAILED'].includes(answer.body.state) ? answer.body : undefined;
    }, 20_000);
  const moved = await portal.call('oscar', 'POST', '/operations/batches', { json: { type: 'modify', filter: { processDefinitionId: 'ops-batch', version: 1, state: 'ACTIVE' }, fromElementId: 'step', toElementId: 'wait' } });
  expect(moved.status).toBe(201);
  const movedProgress = await waitFor(moved.body.batchOperationKey);
  expect(movedProgress).toMatchObject({ state: 'COMPLETED', failed: 0, total: 2 });
  for (const key of keys) {
    const stats = (await portal.call('oscar', 'GET', `/operations/process-instances/${key}`)).body.statistics;
    expect(stats).toEqual(expect.arrayContaining([expect.objectContaining({ elementId: 'wait', active: 1 })]));
  }
  await portal.engine.client.deployResources([{ name: 'ops-batch.bpmn', content: processXml('v2', ' again', 'ops-batch') }]);
  const target = (await portal.call('oscar', 'GET', '/operations/process-definitions')).body.items.find((d: { processDefinitionId: string; version: number }) => d.processDefinitionId === 'ops-batch' && d.version === 2);
  const migrated = await portal.call('admin', 'POST', '/operations/batches', { json: { type: 'migrate', filter: { processDefinitionId: 'ops-batch', version: 1, state: 'ACTIVE' }, targetProcessDefinitionKey: target.processDefinitionKey } });
  expect(migrated.status).toBe(201);
  expect(await waitFor(migrated.body.batchOperationKey)).toMatchObject({ state: 'COMPLETED', failed: 0 });
  for (const key of keys) expect((await portal.call('oscar', 'GET', `/operations/process-instances/${key}`)).body.instance.version).toBe(2);
  const audit = await portal.call('admin', 'GET', `/audit?entityType=batch-operation&entityId=${migrated.body.batchOperationKey}`);
  expect(audit.body.items[0]).toMatchObject({ action: 'operations.batch-migrate', actorName: 'admin', details: { toVersion: 2, mappingInstructions: [{ sourceElementId: 'wait', targetElementId: 'wait' }] } });
});
