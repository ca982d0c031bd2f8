import { definitions, messageXml, processXml, serviceTaskChain } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import {
  getProcessInstanceSequenceFlowsResponseBodySchema,
  getProcessInstanceStatisticsResponseBodySchema,
  parseWire,
  queryMessageSubscriptionsResponseBodySchema,
} from '../testing/wire-schemas';

// The reads an operations view draws a process from (Camunda 8.8's REST API):
// jobs, element statistics per instance and per definition, the sequence flows
// an instance took, and the message subscriptions it waits on. Each test names
// the documentation page it follows.

interface Page<T> {
  items: T[];
  page: { totalItems: number };
}
interface Job {
  jobKey: string;
  type: string;
  worker: string;
  state: string;
  kind: string;
  listenerEventType: string;
  retries: number;
  hasFailedWithRetriesLeft: boolean;
  errorCode?: string;
  errorMessage?: string;
  customHeaders: Record<string, string>;
  deadline?: string;
  endTime?: string;
  processDefinitionId: string;
  processInstanceKey: string;
  elementId: string;
  elementInstanceKey: string;
  tenantId: string;
}
interface Statistic {
  elementId: string;
  active: number;
  canceled: number;
  incidents: number;
  completed: number;
}
interface Subscription {
  messageSubscriptionKey: string;
  elementId: string;
  elementInstanceKey: string;
  processInstanceKey: string;
  messageSubscriptionState: string;
  messageName: string;
  correlationKey: string;
  lastUpdatedDate: string;
}

/** Each test has its own process (and job types), so one test's jobs are never activated by another. */
const parallelWork = (id: string) =>
  definitions(`<bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-check" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:serviceTask id="pay"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-pay" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:parallelGateway id="join" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="to-fork" sourceRef="start" targetRef="fork" />
    <bpmn:sequenceFlow id="to-check" sourceRef="fork" targetRef="check" />
    <bpmn:sequenceFlow id="to-pay" sourceRef="fork" targetRef="pay" />
    <bpmn:sequenceFlow id="check-done" sourceRef="check" targetRef="join" />
    <bpmn:sequenceFlow id="pay-done" sourceRef="pay" targetRef="join" />
    <bpmn:sequenceFlow id="to-end" sourceRef="join" targetRef="end" />
  </bpmn:process>`);

const routedByAmount = definitions(`<bpmn:process id="flows-routed" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:exclusiveGateway id="route" default="low" />
    <bpmn:serviceTask id="review"><bpmn:extensionElements><zeebe:taskDefinition type="flows-review" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="to-route" sourceRef="start" targetRef="route" />
    <bpmn:sequenceFlow id="high" sourceRef="route" targetRef="review"><bpmn:conditionExpression>=amount &gt; 1000</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="low" sourceRef="route" targetRef="end" />
    <bpmn:sequenceFlow id="reviewed" sourceRef="review" targetRef="end" />
  </bpmn:process>`);

describe('operations reads', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('reads');
    await fixture.client.deployResources([
      ...['jobs-read', 'jobs-failed', 'jobs-error', 'jobs-filtered', 'jobs-restart'].map((id) => ({
        name: `${id}.bpmn`,
        content: serviceTaskChain(id, [{ id: 'assess', type: `${id}-assess`, retries: '3', headers: { queue: 'claims' } }]),
      })),
      ...['stats-instance', 'stats-definition', 'flows-join'].map((id) => ({ name: `${id}.bpmn`, content: parallelWork(id) })),
      { name: 'routed.bpmn', content: routedByAmount },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const searchJobs = async (body: unknown) => {
    const response = await fixture.http('POST', '/v2/jobs/search', body);
    expect(response.status).toBe(200);
    return response.body as Page<Job>;
  };
  const activate = async (type: string, worker = 'reader') => {
    const [job] = await fixture.client.activateJobs({ type, worker, timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 });
    if (!job) throw new Error(`no ${type} job to activate`);
    return job;
  };
  const start = async (processDefinitionId: string, variables: Record<string, unknown> = {}) =>
    (await fixture.client.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;

  describe('POST /v2/jobs/search', () => {
    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-jobs/
    it('shows a job as CREATED, then with its worker and deadline once activated, then COMPLETED with an end time', async () => {
      const processInstanceKey = await start('jobs-read');
      const created = await searchJobs({ filter: { processInstanceKey } });
      expect(created.items).toHaveLength(1);
      expect(created.items[0]).toMatchObject({
        type: 'jobs-read-assess',
        state: 'CREATED',
        kind: 'BPMN_ELEMENT',
        listenerEventType: 'UNSPECIFIED',
        retries: 3,
        hasFailedWithRetriesLeft: false,
        customHeaders: { queue: 'claims' },
        processDefinitionId: 'jobs-read',
        elementId: 'assess',
        tenantId: '<default>',
      });
      expect(created.items[0]!.deadline).toBeUndefined();

      const job = await activate('jobs-read-assess', 'assessor');
      const activated = (await searchJobs({ filter: { jobKey: job.jobKey } })).items[0]!;
      expect(activated).toMatchObject({ state: 'CREATED', worker: 'assessor' });
      expect(Date.parse(activated.deadline!)).toBeGreaterThan(Date.now());

      await fixture.client.completeJob({ jobKey: job.jobKey, variables: {} });
      const completed = (await searchJobs({ filter: { jobKey: job.jobKey } })).items[0]!;
      expect(completed.state).toBe('COMPLETED');
      expect(Number.isNaN(Date.parse(completed.endTime!))).toBe(false);
    });

    // https://docs.camunda.io/docs/components/concepts/job-workers/#completing-or-failing-jobs
    it('shows a failed job as FAILED, with its message and whether it failed with retries left', async () => {
      const processInstanceKey = await start('jobs-failed');
      const job = await activate('jobs-failed-assess');
      await fixture.client.failJob({ jobKey: job.jobKey, retries: 2, errorMessage: 'insurer system down', retryBackOff: 0 });
      expect((await searchJobs({ filter: { processInstanceKey } })).items[0]).toMatchObject({
        state: 'FAILED',
        retries: 2,
        errorMessage: 'insurer system down',
        hasFailedWithRetriesLeft: true,
      });
      await fixture.client.updateJob({ jobKey: job.jobKey, retries: 5 });
      expect((await searchJobs({ filter: { processInstanceKey } })).items[0]).toMatchObject({ state: 'RETRIES_UPDATED', retries: 5 });
    });

    // https://docs.camunda.io/docs/components/best-practices/development/dealing-with-problems-and-exceptions/#throwing-and-handling-bpmn-errors
    it('shows a job that threw a BPMN error as ERROR_THROWN with its code, and a job of a canceled instance as CANCELED', async () => {
      const thrower = await start('jobs-error');
      const job = await activate('jobs-error-assess');
      await fixture.client.errorJob({ jobKey: job.jobKey, errorCode: 'NOT_COVERED', errorMessage: 'policy lapsed', variables: {} });
      expect((await searchJobs({ filter: { processInstanceKey: thrower } })).items[0]).toMatchObject({ state: 'ERROR_THROWN', errorCode: 'NOT_COVERED', errorMessage: 'policy lapsed' });

      const canceled = await start('jobs-error');
      await fixture.client.cancelProcessInstance({ processInstanceKey: canceled });
      const row = (await searchJobs({ filter: { processInstanceKey: canceled } })).items[0]!;
      expect(row.state).toBe('CANCELED');
      expect(row.endTime).toBeDefined();
    });

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-data-fetching/
    it('filters by type, state, worker and retries, and sorts and pages like the other searches', async () => {
      const keys = [await start('jobs-filtered'), await start('jobs-filtered'), await start('jobs-filtered')];
      const open = await searchJobs({ filter: { type: 'jobs-filtered-assess', state: 'CREATED', processInstanceKey: { $in: keys } }, sort: [{ field: 'jobKey', order: 'DESC' }] });
      expect(open.page.totalItems).toBe(3);
      const jobKeys = open.items.map((j) => j.jobKey);
      expect([...jobKeys].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1))).toEqual(jobKeys);

      await activate('jobs-filtered-assess', 'second-reader');
      const byWorker = await searchJobs({ filter: { worker: 'second-reader' } });
      expect(byWorker.items.map((j) => j.worker)).toEqual(['second-reader']);
      const byRetries = await searchJobs({ filter: { retries: { $gte: 4 } } });
      expect(byRetries.items.every((j) => j.retries >= 4)).toBe(true);
      expect(byRetries.items.length).toBeGreaterThan(0);
      const paged = await searchJobs({ filter: { processInstanceKey: { $in: keys } }, page: { from: 1, limit: 1 } });
      expect(paged.items).toHaveLength(1);
      expect(paged.page.totalItems).toBe(3);
    });

    it('keeps finished jobs searchable after a restart', async () => {
      const processInstanceKey = await start('jobs-restart');
      const job = await activate('jobs-restart-assess');
      await fixture.client.completeJob({ jobKey: job.jobKey, variables: {} });
      await fixture.restart();
      expect((await searchJobs({ filter: { processInstanceKey } })).items.map((j) => j.state)).toEqual(['COMPLETED']);
    });
  });

  describe('element statistics', () => {
    const instanceStatistics = async (processInstanceKey: string) => {
      const response = await fixture.http('GET', `/v2/process-instances/${processInstanceKey}/statistics/element-instances`);
      expect(response.status).toBe(200);
      return parseWire<{ items: Statistic[] }>(getProcessInstanceStatisticsResponseBodySchema, response.body).items;
    };
    const byElement = (items: Statistic[]) => Object.fromEntries(items.map(({ elementId, ...counts }) => [elementId, counts]));

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-instance-statistics/
    it('counts, per element of an instance, the active, completed, canceled instances and those with an incident', async () => {
      const processInstanceKey = await start('stats-instance');
      const check = await activate('stats-instance-check');
      await fixture.client.completeJob({ jobKey: check.jobKey, variables: {} });
      const pay = await activate('stats-instance-pay');
      await fixture.client.failJob({ jobKey: pay.jobKey, retries: 0, errorMessage: 'bank refused', retryBackOff: 0 });
      const counts = byElement(await instanceStatistics(processInstanceKey));
      expect(counts).toEqual({
        start: { active: 0, canceled: 0, incidents: 0, completed: 1 },
        fork: { active: 0, canceled: 0, incidents: 0, completed: 1 },
        check: { active: 0, canceled: 0, incidents: 0, completed: 1 },
        pay: { active: 0, canceled: 0, incidents: 1, completed: 0 },
      });

      await fixture.client.cancelProcessInstance({ processInstanceKey });
      expect(byElement(await instanceStatistics(processInstanceKey)).pay).toEqual({ active: 0, canceled: 1, incidents: 0, completed: 0 });
    });

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-definition-statistics/
    it('sums them over a definition’s instances, narrowed by a process instance filter', async () => {
      const definition = (await fixture.client.searchProcessDefinitions({ filter: { processDefinitionId: 'stats-definition' } })).items[0]!;
      const first = await start('stats-definition');
      const second = await start('stats-definition');
      await fixture.client.cancelProcessInstance({ processInstanceKey: second });
      const url = `/v2/process-definitions/${definition.processDefinitionKey}/statistics/element-instances`;

      const both = await fixture.http('POST', url, { filter: { processInstanceKey: { $in: [first, second] } } });
      expect(both.status).toBe(200);
      const counts = byElement(parseWire<{ items: Statistic[] }>(getProcessInstanceStatisticsResponseBodySchema, both.body).items);
      expect(counts.check).toEqual({ active: 1, canceled: 1, incidents: 0, completed: 0 });
      expect(counts.start).toEqual({ active: 0, canceled: 0, incidents: 0, completed: 2 });

      const active = await fixture.http('POST', url, { filter: { processInstanceKey: { $in: [first, second] }, state: 'ACTIVE' } });
      expect(byElement((active.body as { items: Statistic[] }).items).check).toEqual({ active: 1, canceled: 0, incidents: 0, completed: 0 });
      // No body at all: every instance of the definition.
      const all = await fixture.http('POST', url);
      expect(all.status).toBe(200);
      expect((all.body as { items: Statistic[] }).items.length).toBeGreaterThan(0);
    });

    it('answers 404 for an instance or a definition it does not know', async () => {
      expect((await fixture.http('GET', '/v2/process-instances/2251799813999999/statistics/element-instances')).status).toBe(404);
      expect((await fixture.http('POST', '/v2/process-definitions/2251799813999999/statistics/element-instances', {})).status).toBe(404);
    });
  });

  describe('GET /v2/process-instances/{key}/sequence-flows', () => {
    const flowsOf = async (processInstanceKey: string) => {
      const response = await fixture.http('GET', `/v2/process-instances/${processInstanceKey}/sequence-flows`);
      expect(response.status).toBe(200);
      return parseWire<{ items: { sequenceFlowId: string; processInstanceKey: string; processDefinitionId: string }[] }>(
        getProcessInstanceSequenceFlowsResponseBodySchema,
        response.body,
      ).items;
    };

    // https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-process-instance-sequence-flows/
    it('lists the flows an instance took, not the ones its gateway left aside', async () => {
      const low = await start('flows-routed', { amount: 20 });
      const lowFlows = await flowsOf(low);
      expect(lowFlows.map((f) => f.sequenceFlowId)).toEqual(['low', 'to-route']);
      expect(lowFlows[0]).toMatchObject({ processInstanceKey: low, processDefinitionId: 'flows-routed', tenantId: '<default>' });

      const high = await start('flows-routed', { amount: 5000 });
      expect((await flowsOf(high)).map((f) => f.sequenceFlowId)).toEqual(['high', 'to-route']);
      const review = await activate('flows-review');
      await fixture.client.completeJob({ jobKey: review.jobKey, variables: {} });
      expect((await flowsOf(high)).map((f) => f.sequenceFlowId)).toEqual(['high', 'reviewed', 'to-route']);
    });

    it('lists the flows into a join as they are taken, before the join fires', async () => {
      const processInstanceKey = await start('flows-join');
      const check = await activate('flows-join-check');
      await fixture.client.completeJob({ jobKey: check.jobKey, variables: {} });
      expect((await flowsOf(processInstanceKey)).map((f) => f.sequenceFlowId)).toEqual(['check-done', 'to-check', 'to-fork', 'to-pay']);
    });

    it('answers 404 for an unknown instance', async () => {
      expect((await fixture.http('GET', '/v2/process-instances/2251799813999999/sequence-flows')).status).toBe(404);
    });
  });

  describe('POST /v2/message-subscriptions/search', () => {
    const waitForDocuments = processXml(
      'subscriptions-read',
      `<bpmn:startEvent id="start" />
       <bpmn:intermediateCatchEvent id="documents-received"><bpmn:messageEventDefinition messageRef="documents" /></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="end" />`,
      ['start', 'documents-received', 'end'],
      messageXml('documents', 'claim-documents', 'claimId'),
    );
    const searchSubscriptions = async (filter: Record<string, unknown>) => {
      const response = await fixture.http('POST', '/v2/message-subscriptions/search', { filter });
      expect(response.status).toBe(200);
      return parseWire<Page<Subscription>>(queryMessageSubscriptionsResponseBodySchema, response.body).items;
    };

    beforeAll(async () => {
      await fixture.client.deployResources([{ name: 'subscriptions.bpmn', content: waitForDocuments }]);
    });

    // https://docs.camunda.io/docs/components/concepts/messages/#message-subscriptions
    it('shows what an instance waits for: the message name and correlation key, at its element, as CREATED', async () => {
      const processInstanceKey = await start('subscriptions-read', { claimId: 'C-100' });
      const [subscription] = await searchSubscriptions({ processInstanceKey });
      expect(subscription).toMatchObject({
        elementId: 'documents-received',
        messageName: 'claim-documents',
        correlationKey: 'C-100',
        messageSubscriptionState: 'CREATED',
        processInstanceKey,
      });
      const waiting = await fixture.client.searchElementInstances({ filter: { processInstanceKey, elementId: 'documents-received' } });
      expect(subscription!.elementInstanceKey).toBe(waiting.items[0]!.elementInstanceKey);
    });

    // https://docs.camunda.io/docs/components/concepts/messages/#message-correlation-overview
    it('marks a subscription CORRELATED once its message arrived, and one closed without a message DELETED', async () => {
      const correlated = await start('subscriptions-read', { claimId: 'C-101' });
      await fixture.client.publishMessage({ name: 'claim-documents', correlationKey: 'C-101', variables: {}, timeToLive: 0 });
      await eventually(async () => ((await fixture.instanceState(correlated)) === 'COMPLETED' ? true : undefined));
      expect((await searchSubscriptions({ processInstanceKey: correlated }))[0]!.messageSubscriptionState).toBe('CORRELATED');

      const canceled = await start('subscriptions-read', { claimId: 'C-102' });
      await fixture.client.cancelProcessInstance({ processInstanceKey: canceled });
      expect((await searchSubscriptions({ processInstanceKey: canceled }))[0]!.messageSubscriptionState).toBe('DELETED');

      const stillWaiting = await searchSubscriptions({ messageName: 'claim-documents', messageSubscriptionState: 'CREATED', correlationKey: { $like: 'C-10*' } });
      expect(stillWaiting.map((s) => s.correlationKey)).toEqual(['C-100']);
    });
  });
});
