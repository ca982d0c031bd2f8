import { definitions } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import { queryIncidentsResponseBodySchema } from '../testing/wire-schemas';

// Gateways, subprocesses, BPMN errors, incidents and mappings, driven through
// CamundaRestClient the way workers and the portal API drive them.

const task = (id: string, type: string, extra = '') =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" retries="2" />${extra}</bpmn:extensionElements></bpmn:serviceTask>`;
const flow = (id: string, from: string, to: string, condition?: string) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;
/** Errors are root elements of the definitions, beside the process. */
const process = (id: string, body: string, roots = '') => definitions(`${roots}<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>`);

describe('flows, errors and incidents through CamundaRestClient', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('flows');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (xml: string, name: string) => fixture.client.deployResources([{ name, content: xml }]);
  const start = async (processDefinitionId: string, variables: Record<string, string | number | boolean | object> = {}) =>
    (await fixture.client.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;
  const elementStates = async (processInstanceKey: string) =>
    (await fixture.client.searchElementInstances({ filter: { processInstanceKey }, page: { from: 0, limit: 100 } })).items.map((e) => `${e.elementId}:${e.state}`).sort();
  const stateOf = async (processInstanceKey: string) => (await fixture.client.searchProcessInstances({ filter: { processInstanceKey } })).items[0]?.state;
  const completeAll = async (type: string, variables: Record<string, string | number | boolean> = {}) => {
    const jobs = await fixture.client.activateJobs({ type, worker: 'test', timeout: 10_000, maxJobsToActivate: 50, requestTimeout: -1 });
    for (const job of jobs) await fixture.client.completeJob({ jobKey: job.jobKey, variables });
    return jobs;
  };

  it('routes an exclusive gateway by condition, and by the default flow otherwise', async () => {
    await deploy(
      process('route', `
        <bpmn:startEvent id="s" />
        <bpmn:exclusiveGateway id="g" default="toSmall" />
        <bpmn:endEvent id="big" /><bpmn:endEvent id="small" />
        ${flow('f0', 's', 'g')}${flow('toBig', 'g', 'big', '=amount &gt; 1000')}${flow('toSmall', 'g', 'small')}`),
      'route.bpmn',
    );
    const big = await start('route', { amount: 5000 });
    const small = await start('route', { amount: 10 });
    expect(await elementStates(big)).toContain('big:COMPLETED');
    expect(await elementStates(big)).not.toContain('small:COMPLETED');
    expect(await elementStates(small)).toContain('small:COMPLETED');
    expect(await stateOf(small)).toBe('COMPLETED');
  });

  it('raises a condition incident when no condition holds, and continues once the variable is fixed and the incident resolved', async () => {
    await deploy(
      process('strict-route', `
        <bpmn:startEvent id="s" />
        <bpmn:exclusiveGateway id="g" />
        <bpmn:endEvent id="yes" /><bpmn:endEvent id="no" />
        ${flow('f0', 's', 'g')}${flow('toYes', 'g', 'yes', '=approved = true')}${flow('toNo', 'g', 'no', '=approved = false')}`),
      'strict-route.bpmn',
    );
    const key = await start('strict-route', { approved: 'maybe' });
    const incidents = await fixture.client.searchIncidents({ filter: { processInstanceKey: key } });
    expect(queryIncidentsResponseBodySchema.safeParse(incidents).success).toBe(true);
    expect(incidents.items).toHaveLength(1);
    expect(incidents.items[0]).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'g', state: 'ACTIVE' });
    expect((await fixture.client.searchProcessInstances({ filter: { processInstanceKey: key } })).items[0]?.hasIncident).toBe(true);

    await fixture.client.updateElementInstanceVariables({ elementInstanceKey: key, variables: { approved: true } });
    await fixture.client.resolveIncident(incidents.items[0]!.incidentKey);
    expect(await stateOf(key)).toBe('COMPLETED');
    expect(await elementStates(key)).toContain('yes:COMPLETED');
    const after = await fixture.client.searchIncidents({ filter: { processInstanceKey: key } });
    expect(after.items[0]?.state).toBe('RESOLVED');
  });

  it('forks and joins parallel branches, completing only when both are done', async () => {
    await deploy(
      process('parallel', `
        <bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" /><bpmn:parallelGateway id="join" /><bpmn:endEvent id="e" />
        ${task('left', 'parallel-left')}${task('right', 'parallel-right')}
        ${flow('f0', 's', 'fork')}${flow('f1', 'fork', 'left')}${flow('f2', 'fork', 'right')}${flow('f3', 'left', 'join')}${flow('f4', 'right', 'join')}${flow('f5', 'join', 'e')}`),
      'parallel.bpmn',
    );
    const key = await start('parallel');
    await completeAll('parallel-left', { left: 1 });
    expect(await stateOf(key)).toBe('ACTIVE');
    expect(await elementStates(key)).not.toContain('join:COMPLETED');
    await completeAll('parallel-right', { right: 2 });
    expect(await stateOf(key)).toBe('COMPLETED');
    expect((await elementStates(key)).filter((s) => s.startsWith('join:'))).toEqual(['join:COMPLETED']);
  });

  it('takes every inclusive branch whose condition holds and joins only those', async () => {
    await deploy(
      process('inclusive', `
        <bpmn:startEvent id="s" /><bpmn:inclusiveGateway id="fork" /><bpmn:inclusiveGateway id="join" /><bpmn:endEvent id="e" />
        ${task('a', 'inclusive-a')}${task('b', 'inclusive-b')}${task('c', 'inclusive-c')}
        ${flow('f0', 's', 'fork')}${flow('fa', 'fork', 'a', '=needsA')}${flow('fb', 'fork', 'b', '=needsB')}${flow('fc', 'fork', 'c', '=needsC')}
        ${flow('ja', 'a', 'join')}${flow('jb', 'b', 'join')}${flow('jc', 'c', 'join')}${flow('f9', 'join', 'e')}`),
      'inclusive.bpmn',
    );
    const key = await start('inclusive', { needsA: true, needsB: false, needsC: true });
    expect((await elementStates(key)).filter((s) => /^[abc]:/.test(s))).toEqual(['a:ACTIVE', 'c:ACTIVE']);
    await completeAll('inclusive-a');
    expect(await stateOf(key)).toBe('ACTIVE');
    await completeAll('inclusive-c');
    expect(await stateOf(key)).toBe('COMPLETED');
  });

  it('catches a job error on a boundary event by code, with the error variables', async () => {
    await deploy(
      process('payout', `
        <bpmn:startEvent id="s" />${task('pay', 'payout-pay')}
        <bpmn:boundaryEvent id="onRejected" attachedToRef="pay"><bpmn:errorEventDefinition errorRef="rejected" /></bpmn:boundaryEvent>
        <bpmn:endEvent id="paid" />${task('fix', 'payout-fix')}<bpmn:endEvent id="fixed" />
        ${flow('f0', 's', 'pay')}${flow('f1', 'pay', 'paid')}${flow('f2', 'onRejected', 'fix')}${flow('f3', 'fix', 'fixed')}`, '<bpmn:error id="rejected" errorCode="PAYOUT_REJECTED" />'),
      'payout.bpmn',
    );
    const key = await start('payout');
    const [job] = await fixture.client.activateJobs({ type: 'payout-pay', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    await fixture.client.errorJob({ jobKey: job!.jobKey, errorCode: 'PAYOUT_REJECTED', errorMessage: 'account closed', variables: { reason: 'account closed' } });
    expect(await elementStates(key)).toEqual(expect.arrayContaining(['pay:TERMINATED', 'onRejected:COMPLETED', 'fix:ACTIVE']));
    const reason = (await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'reason' } })).items[0];
    expect(reason?.value).toBe('"account closed"');
    // The error ended the job: completing it now is refused.
    await expect(fixture.client.completeJob({ jobKey: job!.jobKey, variables: {} })).rejects.toThrow(/404|NOT_FOUND/);
  });

  it('raises an incident for an uncaught job error, and hands the job out again once resolved', async () => {
    const key = await start('payout');
    const [job] = await fixture.client.activateJobs({ type: 'payout-pay', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    await fixture.client.errorJob({ jobKey: job!.jobKey, errorCode: 'SOMETHING_ELSE', variables: {} });
    const [incident] = (await fixture.client.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE' } })).items;
    expect(incident).toMatchObject({ errorType: 'UNHANDLED_ERROR_EVENT', jobKey: job!.jobKey });
    expect(incident!.errorMessage).toContain("'SOMETHING_ELSE'");
    await fixture.client.resolveIncident(incident!.incidentKey);
    const again = await fixture.client.activateJobs({ type: 'payout-pay', worker: 'w', timeout: 10_000, maxJobsToActivate: 5, requestTimeout: -1 });
    expect(again.map((j) => j.jobKey)).toEqual([job!.jobKey]);
  });

  it('propagates an error end event out of a subprocess to a catch-all boundary on it', async () => {
    await deploy(
      process('nested', `
        <bpmn:startEvent id="s" />
        <bpmn:subProcess id="sub">
          <bpmn:startEvent id="subStart" />${task('inner', 'nested-inner')}
          <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="any" /></bpmn:endEvent>
          ${flow('i0', 'subStart', 'inner')}${flow('i1', 'inner', 'fail')}
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="catchAll" attachedToRef="sub"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
        <bpmn:endEvent id="normal" /><bpmn:endEvent id="handled" />
        ${flow('f0', 's', 'sub')}${flow('f1', 'sub', 'normal')}${flow('f2', 'catchAll', 'handled')}`, '<bpmn:error id="any" errorCode="DEEP" />'),
      'nested.bpmn',
    );
    const key = await start('nested');
    await completeAll('nested-inner');
    expect(await stateOf(key)).toBe('COMPLETED');
    expect(await elementStates(key)).toEqual(expect.arrayContaining(['sub:TERMINATED', 'catchAll:COMPLETED', 'handled:COMPLETED']));
    expect(await elementStates(key)).not.toContain('normal:COMPLETED');
  });

  it('retries a failed job, then raises an incident without retries, and runs on after retries are given back', async () => {
    await deploy(
      process('flaky', `<bpmn:startEvent id="s" />${task('call', 'flaky-call')}<bpmn:endEvent id="e" />${flow('f0', 's', 'call')}${flow('f1', 'call', 'e')}`),
      'flaky.bpmn',
    );
    const key = await start('flaky');
    const [first] = await fixture.client.activateJobs({ type: 'flaky-call', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    expect(first!.retries).toBe(2);
    await fixture.client.failJob({ jobKey: first!.jobKey, retries: 1, errorMessage: 'timeout', retryBackOff: 300 });
    const duringBackOff = await fixture.client.activateJobs({ type: 'flaky-call', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    expect(duringBackOff).toEqual([]);
    const [second] = await fixture.client.activateJobs({ type: 'flaky-call', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: 3_000 });
    expect(second).toMatchObject({ jobKey: first!.jobKey, retries: 1 });

    await fixture.client.failJob({ jobKey: second!.jobKey, retries: 0, errorMessage: 'still down', retryBackOff: 0 });
    const [incident] = (await fixture.client.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE' } })).items;
    expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'still down' });
    await expect(fixture.client.resolveIncident(incident!.incidentKey)).rejects.toThrow(/409|INVALID_STATE/);

    await fixture.client.updateJob({ jobKey: second!.jobKey, retries: 1 });
    await fixture.client.resolveIncident(incident!.incidentKey);
    await completeAll('flaky-call');
    expect(await stateOf(key)).toBe('COMPLETED');
  });

  it('hands out a job again once its activation times out', async () => {
    const key = await start('flaky');
    const [job] = await fixture.client.activateJobs({ type: 'flaky-call', worker: 'slow', timeout: 200, maxJobsToActivate: 1, requestTimeout: -1 });
    expect(job!.processInstanceKey).toBe(key);
    const [again] = await fixture.client.activateJobs({ type: 'flaky-call', worker: 'fast', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: 3_000 });
    expect(again).toMatchObject({ jobKey: job!.jobKey, worker: 'fast' });
  });

  it('applies input and output mappings and runs FEEL script tasks', async () => {
    await deploy(
      process('mapped', `
        <bpmn:startEvent id="s" />
        ${task('calc', 'mapped-calc', '<zeebe:ioMapping><zeebe:input source="=claim.amount" target="amount" /><zeebe:output source="=benefit * 2" target="result.benefit" /></zeebe:ioMapping>')}
        <bpmn:scriptTask id="label"><bpmn:extensionElements><zeebe:script expression="=if result.benefit &gt; 100 then &quot;high&quot; else &quot;low&quot;" resultVariable="band" /></bpmn:extensionElements></bpmn:scriptTask>
        <bpmn:endEvent id="e" />
        ${flow('f0', 's', 'calc')}${flow('f1', 'calc', 'label')}${flow('f2', 'label', 'e')}`),
      'mapped.bpmn',
    );
    const key = await start('mapped', { claim: { amount: 80 } });
    const [job] = await fixture.client.activateJobs({ type: 'mapped-calc', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    expect((job!.variables as Record<string, unknown>).amount).toBe(80);
    await fixture.client.completeJob({ jobKey: job!.jobKey, variables: { benefit: 60 } });
    const variables = await eventually(async () => {
      const found = await fixture.client.searchVariables({ filter: { processInstanceKey: key, scopeKey: key } });
      return found.items.length >= 3 ? found.items : undefined;
    });
    const byName = Object.fromEntries(variables.map((v) => [v.name, JSON.parse(v.value) as unknown]));
    // The job's own variable stayed local to the task (it has output mappings); the mapping decided what left it.
    expect(byName).toEqual({ claim: { amount: 80 }, result: { benefit: 120 }, band: 'high' });
  });

  it('cancels a running instance: its job is gone and its elements are terminated', async () => {
    const key = await start('flaky');
    const [job] = await fixture.client.activateJobs({ type: 'flaky-call', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: -1 });
    await fixture.client.cancelProcessInstance({ processInstanceKey: key });
    expect(await stateOf(key)).toBe('TERMINATED');
    expect(await elementStates(key)).toContain('call:TERMINATED');
    await expect(fixture.client.completeJob({ jobKey: job!.jobKey, variables: {} })).rejects.toThrow(/404|NOT_FOUND/);
    await expect(fixture.client.cancelProcessInstance({ processInstanceKey: key })).rejects.toThrow(/404|NOT_FOUND/);
  });

  it('ends everything in the scope at a terminate end event', async () => {
    await deploy(
      process('terminating', `
        <bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />
        ${task('slow', 'terminating-slow')}<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent><bpmn:endEvent id="e" />
        ${flow('f0', 's', 'fork')}${flow('f1', 'fork', 'slow')}${flow('f2', 'fork', 'stop')}${flow('f3', 'slow', 'e')}`),
      'terminating.bpmn',
    );
    const key = await start('terminating');
    expect(await stateOf(key)).toBe('COMPLETED');
    expect(await elementStates(key)).toEqual(expect.arrayContaining(['slow:TERMINATED', 'stop:COMPLETED']));
    expect(await completeAll('terminating-slow')).toEqual([]);
  });
});
