import { definitions } from '../testing/bpmn';
import { dmn, type TableSpec } from '../testing/dmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import {
  evaluateDecisionResponseBodySchema,
  queryDecisionDefinitionsResponseBodySchema,
  queryDecisionRequirementsResponseBodySchema,
  queryIncidentsResponseBodySchema,
  parseWire,
} from '../testing/wire-schemas';

interface Page<T> {
  items: T[];
  page: { totalItems: number };
}
type Incident = { incidentKey: string; errorType: string; errorMessage: string; elementId: string };

// Given DMN decision tables and forms deployed beside BPMN, the engine versions
// them like processes, evaluates decisions on request and in business rule
// tasks, and turns a missing or failing decision into an incident that can be
// resolved once the decision is fixed.

const routing = (threshold: number): TableSpec => ({
  id: 'claim-routing',
  inputs: ['amount', 'fraudScore'],
  outputs: [{ name: 'route' }],
  rules: [
    [[`< ${threshold}`, '< 30'], ['"straight-through"']],
    [[`>= ${threshold}`, '< 30'], ['"review"']],
    [['-', '>= 30'], ['"investigation"']],
  ],
});

const ruleTaskProcess = (processId: string, decisionId: string) =>
  definitions(`<bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:businessRuleTask id="route" name="Route the claim">
      <bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="route" /></bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="route" />
    <bpmn:sequenceFlow id="f2" sourceRef="route" targetRef="end" />
  </bpmn:process>`);

const claimForm = (label: string) =>
  JSON.stringify({ id: 'assess-claim', type: 'default', schemaVersion: 16, components: [{ type: 'textfield', key: 'comment', label }] });

describe('decisions and forms', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('decisions');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  it('deploys DMN and forms beside BPMN and versions each by id', async () => {
    const resources = [
      { name: 'routing.dmn', content: dmn('claim-decisions', [routing(500)]) },
      { name: 'assess-claim.form', content: claimForm('Comment') },
      { name: 'routed.bpmn', content: ruleTaskProcess('routed', 'claim-routing') },
    ];
    const first = await fixture.client.deployResources(resources);
    expect(first.decisions[0]).toMatchObject({ decisionDefinitionId: 'claim-routing', version: 1, decisionRequirementsId: 'claim-decisions' });
    expect(first.decisionRequirements[0]).toMatchObject({ decisionRequirementsId: 'claim-decisions', version: 1, resourceName: 'routing.dmn' });
    expect(first.forms[0]).toMatchObject({ formId: 'assess-claim', version: 1, resourceName: 'assess-claim.form' });

    const again = await fixture.client.deployResources(resources);
    expect(again.decisions[0]!.decisionDefinitionKey).toBe(first.decisions[0]!.decisionDefinitionKey);
    expect(again.forms[0]!.formKey).toBe(first.forms[0]!.formKey);

    const changed = await fixture.client.deployResources([
      { name: 'routing.dmn', content: dmn('claim-decisions', [routing(800)]) },
      { name: 'assess-claim.form', content: claimForm('Your comment') },
    ]);
    expect(changed.decisions[0]).toMatchObject({ version: 2 });
    expect(changed.forms[0]).toMatchObject({ version: 2 });

    const found = await fixture.http('POST', '/v2/decision-definitions/search', { filter: { decisionDefinitionId: 'claim-routing' }, sort: [{ field: 'version', order: 'desc' }] });
    const page = parseWire<Page<{ version: number; decisionDefinitionKey: string }>>(queryDecisionDefinitionsResponseBodySchema, found.body);
    expect(page.items.map((d) => d.version)).toEqual([2, 1]);
    const xml = await fixture.http('GET', `/v2/decision-definitions/${page.items[0]!.decisionDefinitionKey}/xml`);
    expect(xml.body).toContain('&gt;= 800');
    const graphs = parseWire<Page<unknown>>(
      queryDecisionRequirementsResponseBodySchema,
      (await fixture.http('POST', '/v2/decision-requirements/search', { filter: { decisionRequirementsId: 'claim-decisions' } })).body,
    );
    expect(graphs.page.totalItems).toBe(2);
  });

  it('evaluates the latest decision through the API, with Camunda’s response shape', async () => {
    const response = await fixture.http('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: 'claim-routing', variables: { amount: 600, fraudScore: 0 } });
    expect(response.status).toBe(200);
    const body = parseWire<{ evaluatedDecisions: { matchedRules: unknown[]; evaluatedInputs: { inputValue: string }[] }[] }>(evaluateDecisionResponseBodySchema, response.body);
    expect(body).toMatchObject({ decisionDefinitionVersion: 2, output: '"straight-through"' });
    expect(body.evaluatedDecisions[0]!.matchedRules[0]).toMatchObject({ ruleIndex: 1 });
    expect(body.evaluatedDecisions[0]!.evaluatedInputs.map((i) => i.inputValue)).toEqual(['600', '0']);

    const viaSdk = await fixture.client.evaluateDecision({ decisionDefinitionId: 'claim-routing', variables: { amount: 900, fraudScore: 0 } });
    expect(viaSdk.output).toBe('"review"');

    const unknown = await fixture.http('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: 'nope', variables: {} });
    expect(unknown.status).toBe(404);
    const neither = await fixture.http('POST', '/v2/decision-definitions/evaluation', { variables: {} });
    expect(neither.status).toBe(400);
  });

  it('runs a business rule task on the latest decision and puts the result in the result variable', async () => {
    const result = await fixture.client.createProcessInstanceWithResult({ processDefinitionId: 'routed', variables: { amount: 700, fraudScore: 5 } });
    expect(result.variables).toMatchObject({ route: 'straight-through', amount: 700 });
    const flagged = await fixture.client.createProcessInstanceWithResult({ processDefinitionId: 'routed', variables: { amount: 10, fraudScore: 60 } });
    expect(flagged.variables).toMatchObject({ route: 'investigation' });
  });

  it('raises an incident for a missing decision, and carries on once it is deployed and the incident resolved', async () => {
    await fixture.client.deployResources([{ name: 'waiting.bpmn', content: ruleTaskProcess('waiting-for-decision', 'authority-limits') }]);
    const instance = await fixture.client.createProcessInstance({ processDefinitionId: 'waiting-for-decision', variables: { role: 'adjuster' } });
    const incident = await eventually(async () => {
      const found = await fixture.http('POST', '/v2/incidents/search', { filter: { processInstanceKey: instance.processInstanceKey } });
      return parseWire<Page<Incident>>(queryIncidentsResponseBodySchema, found.body).items[0];
    });
    expect(incident).toMatchObject({ errorType: 'CALLED_DECISION_ERROR', elementId: 'route' });
    expect(incident.errorMessage).toContain("'authority-limits'");

    await fixture.client.deployResources([
      { name: 'authority.dmn', content: dmn('authority', [{ id: 'authority-limits', hitPolicy: 'FIRST', inputs: ['role'], outputs: [{ name: 'limit' }], rules: [[['"adjuster"'], ['5000']]] }]) },
    ]);
    await fixture.client.resolveIncident(incident.incidentKey);
    const completed = await eventually(async () => {
      const found = await fixture.client.searchProcessInstances({ filter: { processInstanceKey: instance.processInstanceKey, state: 'COMPLETED' } });
      return found.items[0];
    });
    expect(completed).toBeDefined();
    const variables = await fixture.client.searchVariables({ filter: { processInstanceKey: instance.processInstanceKey, name: 'route' } });
    expect(variables.items[0]!.value).toBe('5000');
  });

  it('raises a decision evaluation incident when the table fails', async () => {
    await fixture.client.deployResources([
      { name: 'strict.dmn', content: dmn('strict', [{ id: 'strict-unique', inputs: ['x'], outputs: [{ name: 'y' }], rules: [[['> 0'], ['1']], [['> 1'], ['2']]] }]) },
      { name: 'strict.bpmn', content: ruleTaskProcess('strict-process', 'strict-unique') },
    ]);
    const instance = await fixture.client.createProcessInstance({ processDefinitionId: 'strict-process', variables: { x: 5 } });
    const incident = await eventually(async () => {
      const found = await fixture.http('POST', '/v2/incidents/search', { filter: { processInstanceKey: instance.processInstanceKey } });
      return parseWire<Page<Incident>>(queryIncidentsResponseBodySchema, found.body).items[0];
    });
    expect(incident.errorType).toBe('DECISION_EVALUATION_ERROR');
    expect(incident.errorMessage).toMatch(/UNIQUE/);
  });

  it('refuses broken DMN and forms with the resource and element at fault, deploying nothing', async () => {
    const response = await fixture.http('POST', '/v2/deployments', undefined, {});
    expect(response.status).toBe(400);
    const broken = await fixture.client
      .deployResources([
        { name: 'broken.dmn', content: dmn('broken', [{ id: 'bad-table', inputs: ['a'], outputs: [{ name: 'x' }], rules: [[['1', '2'], ['"y"']]] }]) },
        { name: 'no-id.form', content: JSON.stringify({ components: [] }) },
        { name: 'fine.bpmn', content: ruleTaskProcess('never-deployed', 'bad-table') },
        { name: 'notes.txt', content: 'hello' },
      ])
      .then(
        () => undefined,
        (error: unknown) => error as { message?: string },
      );
    expect(broken?.message).toMatch(/broken\.dmn/);
    expect(broken?.message).toMatch(/bad-table_rule0/);
    expect(broken?.message).toMatch(/no-id\.form/);
    expect(broken?.message).toMatch(/notes\.txt/);
    const definitions = await fixture.client.searchProcessDefinitions({ filter: { processDefinitionId: 'never-deployed' } });
    expect(definitions.items).toHaveLength(0);
  });

  it('keeps decisions and forms across a restart', async () => {
    await fixture.restart();
    const result = await fixture.client.createProcessInstanceWithResult({ processDefinitionId: 'routed', variables: { amount: 850, fraudScore: 0 } });
    expect(result.variables).toMatchObject({ route: 'review' });
    const redeployed = await fixture.client.deployResources([{ name: 'assess-claim.form', content: claimForm('Your comment') }]);
    expect(redeployed.forms[0]).toMatchObject({ version: 2 });
  });

  it('serves a process’s start form by the form id its start event links', async () => {
    const withForm = definitions(`<bpmn:process id="file-claim" isExecutable="true">
      <bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:formDefinition formId="assess-claim" /></bpmn:extensionElements></bpmn:startEvent>
      <bpmn:endEvent id="end" /><bpmn:sequenceFlow id="f" sourceRef="start" targetRef="end" />
    </bpmn:process>`);
    const deployed = await fixture.client.deployResources([{ name: 'file-claim.bpmn', content: withForm }]);
    const key = deployed.processes[0]!.processDefinitionKey;
    const form = await fixture.http('GET', `/v2/process-definitions/${key}/form`);
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ formId: 'assess-claim', version: 2 });
    expect((await fixture.http('GET', `/v2/process-definitions/${key}`)).body).toMatchObject({ hasStartForm: true });
    const plain = (await fixture.client.searchProcessDefinitions({ filter: { processDefinitionId: 'routed' } })).items[0]!;
    expect((await fixture.http('GET', `/v2/process-definitions/${plain.processDefinitionKey}/form`)).status).toBe(204);
  });
});
