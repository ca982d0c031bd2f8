import { processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Call activities start the latest version of another process as a child,
// pass variables both ways as Zeebe does, carry BPMN errors out of the child,
// and take the child with them when they are terminated.

const serviceTask = (id: string, type: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const callActivity = (id: string, processId: string, attributes = '', mappings = '') =>
  `<bpmn:callActivity id="${id}"><bpmn:extensionElements><zeebe:calledElement processId="${processId}" ${attributes} />${mappings}</bpmn:extensionElements></bpmn:callActivity>`;

describe('call activities', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('call_activities');
    await fixture.client.deployResources([
      { name: 'screening.bpmn', content: processXml('fraud-screening', `<bpmn:startEvent id="start" />${serviceTask('screen', 'screen-claim')}<bpmn:endEvent id="end" />`, ['start', 'screen', 'end']) },
      {
        name: 'failing.bpmn',
        content: processXml(
          'rejecting-child',
          `<bpmn:startEvent id="start" /><bpmn:endEvent id="reject"><bpmn:errorEventDefinition errorRef="rejected" /></bpmn:endEvent>`,
          ['start', 'reject'],
          '<bpmn:error id="rejected" errorCode="CLAIM_REJECTED" />',
        ),
      },
      { name: 'parent.bpmn', content: processXml('claim', `<bpmn:startEvent id="start" />${callActivity('screening', 'fraud-screening')}<bpmn:endEvent id="end" />`, ['start', 'screening', 'end']) },
      {
        name: 'mapped.bpmn',
        content: processXml(
          'claim-mapped',
          `<bpmn:startEvent id="start" />${callActivity(
            'screening',
            'fraud-screening',
            'propagateAllParentVariables="false" propagateAllChildVariables="false"',
            '<zeebe:ioMapping><zeebe:input source="=claim.amount" target="amount" /><zeebe:output source="=score" target="fraudScore" /></zeebe:ioMapping>',
          )}<bpmn:endEvent id="end" />`,
          ['start', 'screening', 'end'],
        ),
      },
      {
        name: 'catching.bpmn',
        content: processXml(
          'claim-catching',
          `<bpmn:startEvent id="start" />${callActivity('check', 'rejecting-child')}
           <bpmn:boundaryEvent id="rejected" attachedToRef="check"><bpmn:errorEventDefinition errorRef="rejectedError" /></bpmn:boundaryEvent>
           <bpmn:endEvent id="end" /><bpmn:endEvent id="closed" />
           <bpmn:sequenceFlow id="r" sourceRef="rejected" targetRef="closed" />`,
          ['start', 'check', 'end'],
          '<bpmn:error id="rejectedError" errorCode="CLAIM_REJECTED" />',
        ),
      },
      { name: 'nowhere.bpmn', content: processXml('calls-nowhere', `<bpmn:startEvent id="start" />${callActivity('call', 'not-deployed')}`, ['start', 'call']) },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const start = async (processDefinitionId: string, variables: Record<string, unknown>) => (await fixture.client.createProcessInstance({ processDefinitionId, variables })).processInstanceKey;
  const childOf = (parent: string) =>
    eventually(async () => (await fixture.http('POST', '/v2/process-instances/search', { filter: { parentProcessInstanceKey: parent } })).body as { items: { processInstanceKey: string; state: string }[] }).then(
      (found) => found,
    );
  /** A variable at the process instance's own scope. */
  const variable = async (processInstanceKey: string, name: string) =>
    (await fixture.client.searchVariables({ filter: { processInstanceKey, scopeKey: processInstanceKey, name } })).items[0]?.value;

  it('runs the child with the parent’s variables and brings its variables back', async () => {
    const seen: unknown[] = [];
    fixture.client.createJobWorker({
      type: 'screen-claim',
      worker: 'screener',
      timeout: 30_000,
      maxJobsToActivate: 10,
      jobHandler: (job) => {
        seen.push(job.variables);
        return job.complete({ score: 12 });
      },
    });
    const parent = await start('claim', { claim: { amount: 300 }, claimId: 'C-1' });
    await eventually(async () => ((await fixture.instanceState(parent)) === 'COMPLETED' ? true : undefined));
    expect(seen[0]).toMatchObject({ claim: { amount: 300 }, claimId: 'C-1' });
    expect(await variable(parent, 'score')).toBe('12');
    const children = await childOf(parent);
    expect(children.items).toHaveLength(1);
    expect(children.items[0]).toMatchObject({ state: 'COMPLETED' });

    const mapped = await start('claim-mapped', { claim: { amount: 900 }, secret: 'x' });
    await eventually(async () => ((await fixture.instanceState(mapped)) === 'COMPLETED' ? true : undefined));
    expect(seen[1]).toEqual({ amount: 900 });
    expect(await variable(mapped, 'fraudScore')).toBe('12');
    expect(await variable(mapped, 'score')).toBeUndefined();
  });

  it('carries a BPMN error out of the child to a boundary event on the call activity', async () => {
    const parent = await start('claim-catching', {});
    await eventually(async () => ((await fixture.instanceState(parent)) === 'COMPLETED' ? true : undefined));
    expect(await fixture.elementIds(parent, 'COMPLETED')).toEqual(expect.arrayContaining(['closed', 'rejected']));
    const children = await childOf(parent);
    expect(children.items[0]!.state).toBe('TERMINATED');
  });

  it('terminates the child with its parent, and refuses to cancel the child alone', async () => {
    await fixture.client.deployResources([
      { name: 'slow.bpmn', content: processXml('slow-child', `<bpmn:startEvent id="start" />${serviceTask('wait', 'never-picked')}`, ['start', 'wait']) },
      { name: 'calls-slow.bpmn', content: processXml('calls-slow', `<bpmn:startEvent id="start" />${callActivity('call', 'slow-child')}`, ['start', 'call']) },
    ]);
    const parent = await start('calls-slow', {});
    const child = await eventually(async () => (await childOf(parent)).items[0]);
    const refused = await fixture.http('POST', `/v2/process-instances/${child.processInstanceKey}/cancellation`);
    expect(refused.status).toBe(409);
    await fixture.client.cancelProcessInstance({ processInstanceKey: parent });
    await eventually(async () => ((await fixture.instanceState(child.processInstanceKey)) === 'TERMINATED' ? true : undefined));
  });

  it('raises an incident when the called process is not deployed, and goes on once it is', async () => {
    const parent = await start('calls-nowhere', {});
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: parent } })).items[0] as { errorType: string; incidentKey: string } | undefined);
    expect(incident.errorType).toBe('CALLED_ELEMENT_ERROR');
    await fixture.client.deployResources([{ name: 'not-deployed.bpmn', content: processXml('not-deployed', '<bpmn:startEvent id="start" /><bpmn:endEvent id="end" />', ['start', 'end']) }]);
    await fixture.client.resolveIncident(incident.incidentKey);
    await eventually(async () => ((await fixture.instanceState(parent)) === 'COMPLETED' ? true : undefined));
  });
});
