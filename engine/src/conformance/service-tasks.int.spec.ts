import {
  getTopologyResponseBodySchema,
  queryElementInstancesResponseBodySchema,
  queryProcessInstancesResponseBodySchema,
  queryVariablesResponseBodySchema,
} from '../testing/wire-schemas';
import { TOTAL_ITEMS_LIMIT } from '../queries/search';
import { processXml, serviceTaskChain } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Given a deployed chain of service tasks, when SDK job workers do the work,
// then the instance completes with the workers' variables, and every search
// answers in the shape Camunda's schemas describe.

describe('service tasks driven by CamundaRestClient', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('service_tasks');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (xml: string, name = 'process.bpmn') => fixture.client.deployResources([{ name, content: xml }]);

  it('reports a one-node topology in the schema shape', async () => {
    const topology = await fixture.client.getTopology();
    expect(getTopologyResponseBodySchema.parse(topology)).toMatchObject({ clusterSize: 1, partitionsCount: 1 });
  });

  it('keeps the version of an unchanged resource and versions a changed one', async () => {
    const xml = serviceTaskChain('versioned', [{ id: 'a', type: 'versioned-a' }]);
    const first = await deploy(xml, 'versioned.bpmn');
    const again = await deploy(xml, 'versioned.bpmn');
    const changed = await deploy(serviceTaskChain('versioned', [{ id: 'b', type: 'versioned-b' }]), 'versioned.bpmn');
    expect(first.processes[0]).toMatchObject({ processDefinitionId: 'versioned', processDefinitionVersion: 1 });
    expect(again.processes[0]!.processDefinitionKey).toBe(first.processes[0]!.processDefinitionKey);
    expect(again.processes[0]!.processDefinitionVersion).toBe(1);
    expect(changed.processes[0]!.processDefinitionVersion).toBe(2);
    expect(changed.processes[0]!.processDefinitionKey).not.toBe(first.processes[0]!.processDefinitionKey);
  });

  it('runs a chain of service tasks with job workers, propagating their variables', async () => {
    await deploy(serviceTaskChain('chain', [
      { id: 'validate', type: 'chain-validate', headers: { step: 'one' } },
      { id: 'pay', type: 'chain-pay' },
    ]));
    const seen: { header?: unknown; amount?: unknown }[] = [];
    fixture.client.createJobWorker({
      type: 'chain-validate',
      worker: 'validator',
      timeout: 30_000,
      maxJobsToActivate: 10,
      jobHandler: (job) => {
        seen.push({ header: (job.customHeaders as Record<string, unknown>).step, amount: (job.variables as Record<string, unknown>).amount });
        return job.complete({ valid: true });
      },
    });
    fixture.client.createJobWorker({
      type: 'chain-pay',
      worker: 'payer',
      timeout: 30_000,
      maxJobsToActivate: 10,
      jobHandler: (job) => job.complete({ paid: ((job.variables as Record<string, unknown>).amount as number) * 2 }),
    });

    const created = await fixture.client.createProcessInstance({ processDefinitionId: 'chain', variables: { amount: 21 } });
    const key = created.processInstanceKey;

    const instance = await eventually(async () => {
      const found = await fixture.client.searchProcessInstances({ filter: { processInstanceKey: key } });
      return found.items[0]?.state === 'COMPLETED' ? found : undefined;
    });
    expect(queryProcessInstancesResponseBodySchema.safeParse(instance).success).toBe(true);
    expect(instance.items[0]).toMatchObject({ processDefinitionId: 'chain', hasIncident: false });
    expect(seen).toEqual([{ header: 'one', amount: 21 }]);

    const variables = await fixture.client.searchVariables({ filter: { processInstanceKey: key } });
    queryVariablesResponseBodySchema.parse(variables);
    const byName = Object.fromEntries(variables.items.map((v) => [v.name, JSON.parse(v.value) as unknown]));
    expect(byName).toEqual({ amount: 21, valid: true, paid: 42 });

    const elements = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key }, sort: [{ field: 'elementInstanceKey', order: 'ASC' }] });
    queryElementInstancesResponseBodySchema.parse(elements);
    expect(elements.items.map((e) => [e.elementId, e.type, e.state])).toEqual([
      ['chain', 'PROCESS', 'COMPLETED'],
      ['start', 'START_EVENT', 'COMPLETED'],
      ['validate', 'SERVICE_TASK', 'COMPLETED'],
      ['pay', 'SERVICE_TASK', 'COMPLETED'],
      ['end', 'END_EVENT', 'COMPLETED'],
    ]);
  });

  it('answers awaitCompletion with the fetched variables once the instance completes', async () => {
    await deploy(serviceTaskChain('awaited', [{ id: 'work', type: 'awaited-work' }]));
    fixture.client.createJobWorker({
      type: 'awaited-work',
      worker: 'w',
      timeout: 30_000,
      maxJobsToActivate: 5,
      jobHandler: (job) => job.complete({ result: 'done', noise: 1 }),
    });
    const outcome = await fixture.client.createProcessInstanceWithResult({
      processDefinitionId: 'awaited',
      variables: { input: 1 },
      fetchVariables: ['result'],
    });
    expect(outcome.variables).toEqual({ result: 'done' });
  });

  it('waits on a long poll until a job appears, and answers an empty poll at its timeout', async () => {
    await deploy(serviceTaskChain('polled', [{ id: 'work', type: 'polled-work' }]));
    const started = Date.now();
    const empty = await fixture.client.activateJobs({ type: 'nothing-of-this-type', worker: 'w', timeout: 1000, maxJobsToActivate: 1, requestTimeout: 300 });
    expect(empty).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);

    const poll = fixture.client.activateJobs({ type: 'polled-work', worker: 'w', timeout: 10_000, maxJobsToActivate: 1, requestTimeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const created = await fixture.client.createProcessInstance({ processDefinitionId: 'polled', variables: {} });
    const jobs = await poll;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.processInstanceKey).toBe(created.processInstanceKey);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('counts search totals up to 1,000 and says when there are more', async () => {
    await deploy(processXml('instant', '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />', ['start', 'end']), 'instant.bpmn');
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next++ < TOTAL_ITEMS_LIMIT + 5) await fixture.client.createProcessInstance({ processDefinitionId: 'instant', variables: {} });
      }),
    );
    const all = await fixture.http('POST', '/v2/process-instances/search', { filter: { processDefinitionId: 'instant' }, page: { limit: 1 } });
    expect((all.body as { page: unknown }).page).toMatchObject({ totalItems: TOTAL_ITEMS_LIMIT, hasMoreTotalItems: true });
    const few = await fixture.http('POST', '/v2/process-instances/search', { filter: { processDefinitionId: 'chain' } });
    expect((few.body as { page: { hasMoreTotalItems?: boolean } }).page.hasMoreTotalItems).toBeUndefined();
  });

  it('starts at the elements named in startInstructions, and refuses ones it cannot start at', async () => {
    await deploy(serviceTaskChain('skippable', [{ id: 'first', type: 'skip-first' }, { id: 'second', type: 'skip-second' }]), 'skippable.bpmn');
    const created = await fixture.http('POST', '/v2/process-instances', { processDefinitionId: 'skippable', startInstructions: [{ elementId: 'second' }] });
    expect(created.status).toBe(200);
    const processInstanceKey = (created.body as { processInstanceKey: string }).processInstanceKey;
    await eventually(async () => ((await fixture.elementIds(processInstanceKey)).includes('second') ? true : undefined));
    expect(await fixture.elementIds(processInstanceKey)).toEqual(['second']);
    const unknown = await fixture.http('POST', '/v2/process-instances', { processDefinitionId: 'skippable', startInstructions: [{ elementId: 'nowhere' }] });
    expect(unknown.status).toBe(400);
    expect((unknown.body as { detail: string }).detail).toMatch(/nowhere/);
  });
});
