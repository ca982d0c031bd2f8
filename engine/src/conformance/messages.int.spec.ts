import { messageXml, processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Messages as Zeebe correlates them: by name and correlation key, buffered for
// their time to live, unique by message id while buffered, once per process
// instance, and starting processes with a message start event.

describe('messages', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('messages');
    await fixture.client.deployResources([
      {
        name: 'waits.bpmn',
        content: processXml(
          'waits-for-documents',
          `<bpmn:startEvent id="start" />
           <bpmn:receiveTask id="documents" messageRef="documentsMessage" />
           <bpmn:endEvent id="end" />`,
          ['start', 'documents', 'end'],
          messageXml('documentsMessage', 'documents-uploaded', 'claimId'),
        ),
      },
      {
        name: 'started.bpmn',
        content: processXml(
          'started-by-message',
          `<bpmn:startEvent id="filed"><bpmn:messageEventDefinition messageRef="filedMessage" /></bpmn:startEvent>
           <bpmn:intermediateCatchEvent id="closed"><bpmn:messageEventDefinition messageRef="closedMessage" /></bpmn:intermediateCatchEvent>
           <bpmn:endEvent id="end" />`,
          ['filed', 'closed', 'end'],
          `${messageXml('filedMessage', 'claim-filed')}${messageXml('closedMessage', 'claim-closed', 'claimId')}`,
        ),
      },
      {
        name: 'boundary.bpmn',
        content: processXml(
          'cancel-by-message',
          `<bpmn:startEvent id="start" />
           <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="never-done" /></bpmn:extensionElements></bpmn:serviceTask>
           <bpmn:boundaryEvent id="withdrawn" attachedToRef="work"><bpmn:messageEventDefinition messageRef="withdrawMessage" /></bpmn:boundaryEvent>
           <bpmn:endEvent id="done" /><bpmn:endEvent id="cancelled" />
           <bpmn:sequenceFlow id="w" sourceRef="withdrawn" targetRef="cancelled" />`,
          ['start', 'work', 'done'],
          messageXml('withdrawMessage', 'claim-withdrawn', 'claimId'),
        ),
      },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const start = async (processDefinitionId: string, variables: Record<string, unknown>) =>
    (await fixture.client.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;
  const completed = (key: string) => eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
  const publish = (body: Record<string, unknown>) => fixture.http('POST', '/v2/messages/publication', body);

  it('correlates a waiting subscription by name and key, passing the variables', async () => {
    const key = await start('waits-for-documents', { claimId: 'C-100' });
    await eventually(async () => ((await fixture.elementIds(key)).includes('documents') ? true : undefined));
    const other = await start('waits-for-documents', { claimId: 'C-101' });
    const response = await publish({ name: 'documents-uploaded', correlationKey: 'C-100', variables: { receipts: 3 } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ messageKey: expect.stringMatching(/^\d+$/) as unknown, tenantId: '<default>' });
    await completed(key);
    expect(await fixture.instanceState(other)).toBe('ACTIVE');
    const receipts = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'receipts' } });
    expect(receipts.items[0]!.value).toBe('3');
  });

  it('buffers a message for its time to live and hands it to a subscription opened later', async () => {
    await publish({ name: 'documents-uploaded', correlationKey: 'C-200', timeToLive: 60_000, messageId: 'upload-1' });
    const duplicate = await publish({ name: 'documents-uploaded', correlationKey: 'C-200', timeToLive: 60_000, messageId: 'upload-1' });
    expect(duplicate.status).toBe(409);
    const key = await start('waits-for-documents', { claimId: 'C-200' });
    await completed(key);
    // The buffered message reached that process: it reaches no other instance of it (message cardinality, below).
    const second = await start('waits-for-documents', { claimId: 'C-200' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await fixture.instanceState(second)).toBe('ACTIVE');
  });

  // https://docs.camunda.io/docs/components/concepts/messages/#message-cardinality
  // "A message is correlated only once to a process (based on the BPMN process ID), across all versions of this
  // process. If multiple subscriptions for the same process are opened (by multiple process instances or within
  // one instance), the message is correlated only to one of the subscriptions."
  describe('message cardinality: once per process id, across instances and versions', () => {
    const waiting = async (processDefinitionId: string, claimId: string) => {
      const key = await start(processDefinitionId, { claimId });
      await eventually(async () => ((await fixture.elementIds(key)).includes('documents') ? true : undefined));
      return key;
    };
    const states = (keys: string[]) => Promise.all(keys.map((key) => fixture.instanceState(key)));

    it('reaches one of several instances of a process waiting for the same name and key, and one of each other process', async () => {
      await fixture.client.deployResources([
        {
          name: 'other-waits.bpmn',
          content: processXml('also-waits-for-documents', '<bpmn:startEvent id="start" /><bpmn:receiveTask id="documents" messageRef="m" /><bpmn:endEvent id="end" />', ['start', 'documents', 'end'], messageXml('m', 'documents-uploaded', 'claimId')),
        },
      ]);
      const same = [await waiting('waits-for-documents', 'C-760'), await waiting('waits-for-documents', 'C-760')];
      const other = await waiting('also-waits-for-documents', 'C-760');
      const published = await publish({ name: 'documents-uploaded', correlationKey: 'C-760' });
      expect(published.status).toBe(200);
      await completed(other);
      await completed(same[0]!);
      expect(await states(same)).toEqual(['COMPLETED', 'ACTIVE']);
      // A second message is a new message: it reaches the instance still waiting.
      await publish({ name: 'documents-uploaded', correlationKey: 'C-760' });
      await completed(same[1]!);
    });

    it('counts instances of every version of the process as one process', async () => {
      const v1 = await waiting('waits-for-documents', 'C-710');
      await fixture.client.deployResources([
        {
          name: 'waits-v2.bpmn',
          content: processXml('waits-for-documents', '<bpmn:startEvent id="start" /><bpmn:receiveTask id="documents" messageRef="m" /><bpmn:endEvent id="end2" />', ['start', 'documents', 'end2'], messageXml('m', 'documents-uploaded', 'claimId')),
        },
      ]);
      const v2 = await waiting('waits-for-documents', 'C-710');
      await publish({ name: 'documents-uploaded', correlationKey: 'C-710', timeToLive: 60_000 });
      await completed(v1);
      // Buffered, it still reaches no other instance of the process, whatever its version.
      const later = await waiting('waits-for-documents', 'C-710');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await states([v1, v2, later])).toEqual(['COMPLETED', 'ACTIVE', 'ACTIVE']);
    });

    // https://docs.camunda.io/docs/components/modeler/bpmn/message-events/#message-correlation
    // "If an instance of this process is active (independently from its version) and it was triggered by a message
    // with the same correlationKey, the message is not correlated and no new instance is created."
    it('starts no instance of a new version while one started by the same key runs on an older version', async () => {
      // A process of its own, so the versions deployed here change no other test's process.
      const version = (end: string) => ({
        name: `filed-${end}.bpmn`,
        content: processXml(
          'filed-across-versions',
          `<bpmn:startEvent id="filed"><bpmn:messageEventDefinition messageRef="filedMessage" /></bpmn:startEvent>
           <bpmn:intermediateCatchEvent id="closed"><bpmn:messageEventDefinition messageRef="closedMessage" /></bpmn:intermediateCatchEvent>
           <bpmn:endEvent id="${end}" />`,
          ['filed', 'closed', end],
          `${messageXml('filedMessage', 'claim-filed-versions')}${messageXml('closedMessage', 'claim-closed-versions', 'claimId')}`,
        ),
      });
      const active = async () =>
        ((await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'filed-across-versions', state: 'ACTIVE' } } as never)).items as unknown as { processDefinitionVersion: number | string }[]).map((i) => Number(i.processDefinitionVersion));
      await fixture.client.deployResources([version('end')]);
      await publish({ name: 'claim-filed-versions', correlationKey: 'C-720', variables: { claimId: 'C-720' } });
      await eventually(async () => ((await active()).length === 1 ? true : undefined));
      await fixture.client.deployResources([version('end2')]);
      const refused = await publish({ name: 'claim-filed-versions', correlationKey: 'C-720', variables: { claimId: 'C-720' } });
      expect(refused.status).toBe(200);
      await fixture.engine.idle();
      expect(await active()).toEqual([1]);
      // Another key starts the new version.
      await publish({ name: 'claim-filed-versions', correlationKey: 'C-721', variables: { claimId: 'C-721' } });
      await eventually(async () => ((await active()).sort().join() === '1,2' ? true : undefined));
    });
  });

  it('does not keep a message without a time to live', async () => {
    await publish({ name: 'documents-uploaded', correlationKey: 'C-300' });
    const key = await start('waits-for-documents', { claimId: 'C-300' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await fixture.instanceState(key)).toBe('ACTIVE');
  });

  it('drops an expired message: the clock past its time to live', async () => {
    const now = Date.now();
    await fixture.pinClock(now);
    await publish({ name: 'documents-uploaded', correlationKey: 'C-400', timeToLive: 1000 });
    await fixture.pinClock(now + 5000);
    const key = await start('waits-for-documents', { claimId: 'C-400' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await fixture.instanceState(key)).toBe('ACTIVE');
    await fixture.http('POST', '/v2/clock/reset');
  });

  it('starts a process by message, once per correlation key while that instance runs', async () => {
    const count = async () => (await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'started-by-message', state: 'ACTIVE' } } as never)).page.totalItems;
    await publish({ name: 'claim-filed', correlationKey: 'C-500', variables: { claimId: 'C-500', amount: 120 } });
    await publish({ name: 'claim-filed', correlationKey: 'C-500', variables: { claimId: 'C-500' } });
    await eventually(async () => ((await count()) === 1 ? true : undefined));
    await publish({ name: 'claim-filed', correlationKey: 'C-501', variables: { claimId: 'C-501' } });
    await eventually(async () => ((await count()) === 2 ? true : undefined));
    const correlated = await fixture.http('POST', '/v2/messages/correlation', { name: 'claim-closed', correlationKey: 'C-500' });
    expect(correlated.status).toBe(200);
    const processInstanceKey = (correlated.body as { processInstanceKey: string }).processInstanceKey;
    await completed(processInstanceKey);
    const amount = await fixture.client.searchVariables({ filter: { processInstanceKey, name: 'amount' } });
    expect(amount.items[0]!.value).toBe('120');
    // With the first instance done, the key may start a new one.
    await publish({ name: 'claim-filed', correlationKey: 'C-500', variables: { claimId: 'C-500' } });
    await eventually(async () => ((await count()) === 2 ? true : undefined));
  });

  describe('message start events with a correlation key (the claim submission\'s start)', () => {
    const instancesFor = async (correlationKey: string) =>
      (await fixture.client.searchVariables({ filter: { name: 'claimId', value: JSON.stringify(correlationKey) } })).items
        .filter((v) => v.scopeKey === v.processInstanceKey)
        .map((v) => v.processInstanceKey);
    const close = async (correlationKey: string) => {
      const answer = await fixture.http('POST', '/v2/messages/correlation', { name: 'claim-closed', correlationKey });
      expect(answer.status).toBe(200);
      await completed((answer.body as { processInstanceKey: string }).processInstanceKey);
    };

    it('refuses a repeated publication with the same message id while it is buffered, even after its instance ended', async () => {
      const submission = { name: 'claim-filed', correlationKey: 'C-700', messageId: 'C-700', timeToLive: 60_000, variables: { claimId: 'C-700' } };
      expect((await publish(submission)).status).toBe(200);
      // A lost answer, retried: the same message id is refused, so nothing starts twice.
      expect((await publish(submission)).status).toBe(409);
      await eventually(async () => ((await instancesFor('C-700')).length === 1 ? true : undefined));
      await close('C-700');
      expect((await publish(submission)).status).toBe(409);
      expect((await publish({ ...submission, timeToLive: 0 })).status).toBe(409);
      expect(await instancesFor('C-700')).toHaveLength(1);
    });

    it('keeps a message refused by the running instance and starts the process with it once that instance ends, then no more', async () => {
      await publish({ name: 'claim-filed', correlationKey: 'C-800', messageId: 'first', timeToLive: 60_000, variables: { claimId: 'C-800', attempt: 1 } });
      await publish({ name: 'claim-filed', correlationKey: 'C-800', messageId: 'second', timeToLive: 60_000, variables: { claimId: 'C-800', attempt: 2 } });
      const [first] = await eventually(async () => ((await instancesFor('C-800')).length === 1 ? instancesFor('C-800') : undefined));
      await close('C-800');
      // Zeebe: the buffered message starts a new instance once the one holding the key ends.
      const keys = await eventually(async () => {
        const found = await instancesFor('C-800');
        return found.length === 2 ? found : undefined;
      });
      const second = keys.find((key) => key !== first)!;
      expect((await fixture.client.searchVariables({ filter: { processInstanceKey: second, name: 'attempt' } })).items[0]!.value).toBe('2');
      // Each message has started the process once: when the second instance ends, nothing starts.
      await close('C-800');
      expect(await instancesFor('C-800')).toHaveLength(2);
      expect(await fixture.instanceState(second)).toBe('COMPLETED');
    });

    it('drops a message without a time to live that a running instance refused', async () => {
      await publish({ name: 'claim-filed', correlationKey: 'C-900', messageId: 'C-900', timeToLive: 60_000, variables: { claimId: 'C-900' } });
      await eventually(async () => ((await instancesFor('C-900')).length === 1 ? true : undefined));
      expect((await publish({ name: 'claim-filed', correlationKey: 'C-900', messageId: 'C-900-retry', timeToLive: 0, variables: { claimId: 'C-900' } })).status).toBe(200);
      await close('C-900');
      expect(await instancesFor('C-900')).toHaveLength(1);
    });

    it('serves the form a message start event links as the process\'s start form', async () => {
      await fixture.client.deployResources([
        { name: 'request.form', content: JSON.stringify({ id: 'request-form', type: 'default', components: [{ type: 'textfield', key: 'amount', label: 'Amount' }] }) },
        {
          name: 'submitted.bpmn',
          content: processXml(
            'started-with-form',
            `<bpmn:startEvent id="submitted"><bpmn:extensionElements><zeebe:formDefinition formId="request-form" /></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="submittedMessage" /></bpmn:startEvent>
             <bpmn:endEvent id="end" />`,
            ['submitted', 'end'],
            messageXml('submittedMessage', 'request-submitted'),
          ),
        },
      ]);
      const definition = (await fixture.client.searchProcessDefinitions({ filter: { processDefinitionId: 'started-with-form' } })).items[0] as unknown as { processDefinitionKey: string; hasStartForm: boolean };
      expect(definition.hasStartForm).toBe(true);
      const form = await fixture.http('GET', `/v2/process-definitions/${definition.processDefinitionKey}/form`);
      expect(form.status).toBe(200);
      expect((form.body as { formId: string }).formId).toBe('request-form');
    });
  });

  it('answers 404 to a correlation nothing waits for, writing nothing', async () => {
    const response = await fixture.http('POST', '/v2/messages/correlation', { name: 'claim-closed', correlationKey: 'nobody' });
    expect(response.status).toBe(404);
    expect(response.contentType).toMatch(/problem\+json/);
  });

  it('interrupts a task with a message boundary event', async () => {
    const key = await start('cancel-by-message', { claimId: 'C-600' });
    await eventually(async () => ((await fixture.elementIds(key)).includes('work') ? true : undefined));
    await fixture.client.publishMessage({ name: 'claim-withdrawn', correlationKey: 'C-600', variables: {}, timeToLive: 0 });
    await completed(key);
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(expect.arrayContaining(['cancelled', 'withdrawn']));
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual(['work']);
  });

  it('raises an incident when the correlation key cannot be read', async () => {
    const key = await start('waits-for-documents', { claimId: { nested: true } });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key } })).items[0] as { errorType: string; elementId: string } | undefined);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'documents' });
  });

  it('refuses malformed publications', async () => {
    expect((await publish({ correlationKey: 'x' })).status).toBe(400);
    expect((await publish({ name: 'n', timeToLive: -5 })).status).toBe(400);
    expect((await publish({ name: 'n', variables: [1, 2] })).status).toBe(400);
  });

  it('hands send tasks and message throw and end events to job workers', async () => {
    await fixture.client.deployResources([
      {
        name: 'notify.bpmn',
        content: processXml(
          'notify-client',
          `<bpmn:startEvent id="start" />
           <bpmn:sendTask id="email"><bpmn:extensionElements><zeebe:taskDefinition type="send-email" /></bpmn:extensionElements></bpmn:sendTask>
           <bpmn:intermediateThrowEvent id="sms"><bpmn:extensionElements><zeebe:taskDefinition type="send-sms" /></bpmn:extensionElements><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>
           <bpmn:endEvent id="letter"><bpmn:extensionElements><zeebe:taskDefinition type="send-letter" /></bpmn:extensionElements><bpmn:messageEventDefinition /></bpmn:endEvent>`,
          ['start', 'email', 'sms', 'letter'],
        ),
      },
    ]);
    const sent: string[] = [];
    for (const type of ['send-email', 'send-sms', 'send-letter']) {
      fixture.client.createJobWorker({ type, worker: 'notifier', timeout: 10_000, maxJobsToActivate: 5, jobHandler: (job) => (sent.push(job.type), job.complete({})) });
    }
    const key = await start('notify-client', {});
    await completed(key);
    expect(sent).toEqual(['send-email', 'send-sms', 'send-letter']);
  });
});
