import { processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Signals reach every subscription open when they are broadcast, by the API
// or by a throw or end event, and start processes with a signal start event.

const signal = (id: string, name: string) => `<bpmn:signal id="${id}" name="${name}" />`;

describe('signals', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('signals');
    await fixture.client.deployResources([
      {
        name: 'signals.bpmn',
        content: processXml(
          'waits-for-freeze',
          `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="frozen"><bpmn:signalEventDefinition signalRef="freeze" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="end" />`,
          ['start', 'frozen', 'end'],
          signal('freeze', 'claims-frozen'),
        ),
      },
      {
        name: 'started.bpmn',
        content: processXml(
          'started-by-freeze',
          `<bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="freeze2" /></bpmn:startEvent><bpmn:endEvent id="end" />`,
          ['start', 'end'],
          signal('freeze2', 'claims-frozen'),
        ),
      },
      {
        name: 'watcher.bpmn',
        content: processXml(
          'review-watcher',
          `<bpmn:startEvent id="start" />
           <bpmn:userTask id="review"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>
           <bpmn:boundaryEvent id="audited" attachedToRef="review" cancelActivity="false"><bpmn:signalEventDefinition signalRef="audit" /></bpmn:boundaryEvent>
           <bpmn:endEvent id="noted" /><bpmn:endEvent id="end" />
           <bpmn:sequenceFlow id="n" sourceRef="audited" targetRef="noted" />`,
          ['start', 'review', 'end'],
          signal('audit', 'audit-done'),
        ),
      },
      {
        name: 'thrower.bpmn',
        content: processXml(
          'audit',
          `<bpmn:startEvent id="start" /><bpmn:intermediateThrowEvent id="announce"><bpmn:signalEventDefinition signalRef="audit2" /></bpmn:intermediateThrowEvent><bpmn:endEvent id="end"><bpmn:signalEventDefinition signalRef="audit2" /></bpmn:endEvent>`,
          ['start', 'announce', 'end'],
          signal('audit2', 'audit-done'),
        ),
      },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  it('reaches waiting instances and starts signal-start processes when broadcast through the API', async () => {
    const waiting = (await fixture.client.createProcessInstance({ processDefinitionId: 'waits-for-freeze', variables: {} })).processInstanceKey;
    await eventually(async () => ((await fixture.elementIds(waiting)).includes('frozen') ? true : undefined));
    const broadcast = await fixture.client.broadcastSignal({ signalName: 'claims-frozen', variables: { reason: 'audit' } });
    expect(broadcast).toMatchObject({ signalKey: expect.stringMatching(/^\d+$/) as unknown });
    await eventually(async () => ((await fixture.instanceState(waiting)) === 'COMPLETED' ? true : undefined));
    const started = await fixture.client.searchProcessInstances({ filter: { processDefinitionId: 'started-by-freeze' } });
    expect(started.items).toHaveLength(1);
    const reason = await fixture.client.searchVariables({ filter: { processInstanceKey: waiting, name: 'reason' } });
    expect(reason.items[0]!.value).toBe('"audit"');
  });

  it('is thrown by throw and end events; a non-interrupting boundary fires once per signal and keeps the task', async () => {
    const watcher = (await fixture.client.createProcessInstance({ processDefinitionId: 'review-watcher', variables: {} })).processInstanceKey;
    await eventually(async () => ((await fixture.elementIds(watcher)).includes('review') ? true : undefined));
    await fixture.client.createProcessInstance({ processDefinitionId: 'audit', variables: {} });
    await eventually(async () => ((await fixture.elementIds(watcher, 'COMPLETED')).filter((id) => id === 'noted').length === 2 ? true : undefined));
    expect(await fixture.elementIds(watcher)).toEqual(['review']);
  });

  it('refuses a broadcast without a name', async () => {
    expect((await fixture.http('POST', '/v2/signals/broadcast', { variables: {} })).status).toBe(400);
  });
});
