import { definitions } from '../testing/bpmn';
import { EngineFixture } from '../testing/engine-fixture';

// Link events: a throw goes on at the catch of its link name in the same
// scope, as if a sequence flow joined them; deployment refuses what cannot be
// paired. https://docs.camunda.io/docs/components/modeler/bpmn/link-events/

const link = (id: string, kind: 'throw' | 'catch', name: string) => {
  const tag = kind === 'throw' ? 'intermediateThrowEvent' : 'intermediateCatchEvent';
  return `<bpmn:${tag} id="${id}"><bpmn:linkEventDefinition id="${id}-def" name="${name}" /></bpmn:${tag}>`;
};

describe('link events', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('link_events');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (name: string, content: string) => fixture.client.deployResources([{ name, content }]);
  const deployRaw = (content: string) => fixture.deployRaw('links.bpmn', content);

  it('goes on at the catch event of the link name, as two none events joined by a flow', async () => {
    await deploy(
      'linked.bpmn',
      definitions(`<bpmn:process id="linked" isExecutable="true">
        <bpmn:startEvent id="start" />
        ${link('to-payment', 'throw', 'payment')}
        ${link('payment', 'catch', 'payment')}
        <bpmn:scriptTask id="pay"><bpmn:extensionElements><zeebe:script expression="=&quot;paid&quot;" resultVariable="outcome" /></bpmn:extensionElements></bpmn:scriptTask>
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="to-payment" />
        <bpmn:sequenceFlow id="f2" sourceRef="payment" targetRef="pay" />
        <bpmn:sequenceFlow id="f3" sourceRef="pay" targetRef="end" />
      </bpmn:process>`),
    );
    const result = await fixture.client.createProcessInstanceWithResult({ processDefinitionId: 'linked', variables: {} });
    expect(result.variables).toMatchObject({ outcome: 'paid' });
    const completed = await fixture.elementIds(result.processInstanceKey, 'COMPLETED');
    expect(completed).toEqual(['end', 'pay', 'payment', 'start', 'to-payment']);
    const types = await fixture.client.searchElementInstances({ filter: { processInstanceKey: result.processInstanceKey, elementId: 'payment' } });
    expect(types.items[0]!.type).toBe('INTERMEDIATE_CATCH_EVENT');
  });

  // "You can use link events to create loops" and "Multiple throwing link events can link to the same catching link event."
  it('lets several throws reach one catch, and loops through a link', async () => {
    await deploy(
      'retry.bpmn',
      definitions(`<bpmn:process id="retry-loop" isExecutable="true">
        <bpmn:startEvent id="start" />
        ${link('again', 'catch', 'retry')}
        <bpmn:scriptTask id="attempt"><bpmn:extensionElements><zeebe:script expression="=attempts + 1" resultVariable="attempts" /></bpmn:extensionElements></bpmn:scriptTask>
        <bpmn:exclusiveGateway id="done" default="retry-flow" />
        ${link('retry-from-start', 'throw', 'retry')}
        ${link('retry-again', 'throw', 'retry')}
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="retry-from-start" />
        <bpmn:sequenceFlow id="f2" sourceRef="again" targetRef="attempt" />
        <bpmn:sequenceFlow id="f3" sourceRef="attempt" targetRef="done" />
        <bpmn:sequenceFlow id="enough" sourceRef="done" targetRef="end"><bpmn:conditionExpression>=attempts &gt;= 3</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="retry-flow" sourceRef="done" targetRef="retry-again" />
      </bpmn:process>`),
    );
    const result = await fixture.client.createProcessInstanceWithResult({ processDefinitionId: 'retry-loop', variables: { attempts: 0 } });
    expect(result.variables).toMatchObject({ attempts: 3 });
    const passes = await fixture.client.searchElementInstances({ filter: { processInstanceKey: result.processInstanceKey, elementId: 'again' } });
    expect(passes.page.totalItems).toBe(3);
  });

  // "Link events are limited to a single scope."
  it('links inside a subprocess within that subprocess', async () => {
    await deploy(
      'scoped.bpmn',
      definitions(`<bpmn:process id="scoped-link" isExecutable="true">
        <bpmn:startEvent id="start" />
        <bpmn:subProcess id="inner">
          <bpmn:startEvent id="inner-start" />
          ${link('inner-throw', 'throw', 'next')}
          ${link('inner-catch', 'catch', 'next')}
          <bpmn:endEvent id="inner-end" />
          <bpmn:sequenceFlow id="i1" sourceRef="inner-start" targetRef="inner-throw" />
          <bpmn:sequenceFlow id="i2" sourceRef="inner-catch" targetRef="inner-end" />
        </bpmn:subProcess>
        <bpmn:endEvent id="end" />
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="inner" />
        <bpmn:sequenceFlow id="f2" sourceRef="inner" targetRef="end" />
      </bpmn:process>`),
    );
    const result = await fixture.client.createProcessInstanceWithResult({ processDefinitionId: 'scoped-link', variables: {} });
    expect(await fixture.elementIds(result.processInstanceKey, 'COMPLETED')).toContain('inner-catch');
  });

  it('refuses a throw whose link name is caught only in another scope', async () => {
    const refused = await deployRaw(
      definitions(`<bpmn:process id="cross-scope" isExecutable="true">
        <bpmn:startEvent id="start" />
        ${link('outer-throw', 'throw', 'inside')}
        <bpmn:subProcess id="inner">
          <bpmn:startEvent id="inner-start" />
          ${link('inside', 'catch', 'inside')}
          <bpmn:endEvent id="inner-end" />
          <bpmn:sequenceFlow id="i1" sourceRef="inside" targetRef="inner-end" />
        </bpmn:subProcess>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="outer-throw" />
      </bpmn:process>`),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/outer-throw.*'inside'/s);
  });

  // "A throwing link event cannot link to multiple catching link events."
  it('refuses two catch events of one link name in a scope, and a link without a name', async () => {
    const twice = await deployRaw(
      definitions(`<bpmn:process id="two-catches" isExecutable="true">
        <bpmn:startEvent id="start" />
        ${link('go', 'throw', 'target')}
        ${link('first', 'catch', 'target')}
        ${link('second', 'catch', 'target')}
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="go" />
      </bpmn:process>`),
    );
    expect(twice.status).toBe(400);
    expect(twice.body.detail).toMatch(/second/);
    const unnamed = await deployRaw(
      definitions(`<bpmn:process id="unnamed-link" isExecutable="true">
        <bpmn:startEvent id="start" />
        <bpmn:intermediateThrowEvent id="nowhere"><bpmn:linkEventDefinition id="d" /></bpmn:intermediateThrowEvent>
        <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="nowhere" />
      </bpmn:process>`),
    );
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.detail).toMatch(/nowhere.*link name/s);
    expect((await fixture.client.searchProcessDefinitions({ filter: { processDefinitionId: 'two-catches' } })).items).toHaveLength(0);
  });
});
