import { definitions } from '../testing/bpmn';
import { dmn, type TableSpec } from '../testing/dmn';
import { EngineFixture } from '../testing/engine-fixture';

// The history of evaluated decisions (Camunda 8.8's decision instances), from
// business rule tasks and from POST /decision-definitions/evaluation alike,
// with the inputs, the matched rules and the outputs: why a claim took its
// route. https://docs.camunda.io/docs/components/concepts/decisions/ and
// https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/search-decision-instances/

interface Page<T> {
  items: T[];
  page: { totalItems: number };
}
interface DecisionInstance {
  decisionEvaluationInstanceKey: string;
  decisionEvaluationKey: string;
  state: string;
  evaluationDate: string;
  evaluationFailure?: string;
  decisionDefinitionId: string;
  decisionDefinitionKey: string;
  decisionDefinitionVersion: number;
  decisionDefinitionType: string;
  result: string;
  rootDecisionDefinitionKey: string;
  processInstanceKey?: string;
  elementInstanceKey?: string;
  evaluatedInputs?: { inputId: string; inputName: string; inputValue: string }[];
  matchedRules?: { ruleId: string; ruleIndex: number; evaluatedOutputs: { outputId: string; outputName: string; outputValue: string }[] }[];
}

const routing: TableSpec = {
  id: 'route-claim',
  hitPolicy: 'FIRST',
  inputs: ['amount', 'risk'],
  outputs: [{ name: 'route' }],
  rules: [
    [['< 500', '"low"'], ['"straight-through"']],
    [['-', '"high"'], ['"investigation"']],
    [['-', '-'], ['"review"']],
  ],
};
// Risk is derived from the fraud score by a literal expression the table requires.
const risk = { id: 'risk', expression: 'if fraudScore >= 30 then "high" else "low"' };

const ruleTask = definitions(`<bpmn:process id="decided-claim" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:businessRuleTask id="route"><bpmn:extensionElements><zeebe:calledDecision decisionId="route-claim" resultVariable="route" /></bpmn:extensionElements></bpmn:businessRuleTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="route" />
    <bpmn:sequenceFlow id="f2" sourceRef="route" targetRef="end" />
  </bpmn:process>`);

describe('decision instances', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('decision_instances');
    await fixture.client.deployResources([
      { name: 'routing.dmn', content: dmn('claim-routing', [risk, { ...routing, inputs: ['amount', 'risk'], requires: ['risk'] }]) },
      { name: 'strict.dmn', content: dmn('strict', [{ id: 'strict-limit', inputs: ['amount'], outputs: [{ name: 'limit' }], rules: [[['> 0'], ['1']], [['> 10'], ['2']]] }]) },
      { name: 'decided.bpmn', content: ruleTask },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const search = async (filter: Record<string, unknown>, sort?: unknown) => {
    const response = await fixture.http('POST', '/v2/decision-instances/search', { filter, ...(sort ? { sort } : {}) });
    expect(response.status).toBe(200);
    // Camunda's zod schema makes every field required (a process instance key even for an API evaluation), so the fields are named here.
    return response.body as Page<DecisionInstance>;
  };
  const get = async (key: string) => {
    const response = await fixture.http('GET', `/v2/decision-instances/${key}`);
    expect(response.status).toBe(200);
    return response.body as DecisionInstance;
  };

  it('records an evaluation through the API: one decision instance per decision evaluated, required ones first', async () => {
    const evaluation = await fixture.client.evaluateDecision({ decisionDefinitionId: 'route-claim', variables: { amount: 200, fraudScore: 5 } });
    const evaluationKey = (evaluation as unknown as { decisionEvaluationKey: string }).decisionEvaluationKey;
    expect(evaluationKey).toBe(evaluation.decisionInstanceKey);
    const found = await search({ decisionEvaluationKey: evaluationKey });
    expect(found.items.map((i) => [i.decisionEvaluationInstanceKey, i.decisionDefinitionId, i.decisionDefinitionType, i.result])).toEqual([
      [`${evaluationKey}-1`, 'risk', 'LITERAL_EXPRESSION', '"low"'],
      [`${evaluationKey}-2`, 'route-claim', 'DECISION_TABLE', '"straight-through"'],
    ]);
    // Both belong to the evaluation of the decision that was asked for.
    expect(new Set(found.items.map((i) => i.rootDecisionDefinitionKey))).toEqual(new Set([evaluation.decisionDefinitionKey]));
    expect(found.items.every((i) => i.state === 'EVALUATED' && i.processInstanceKey === undefined)).toBe(true);
  });

  it('keeps the inputs, the matched rule and its outputs of a decision instance', async () => {
    const evaluation = await fixture.client.evaluateDecision({ decisionDefinitionId: 'route-claim', variables: { amount: 900, fraudScore: 50 } });
    const table = await get(`${evaluation.decisionInstanceKey}-2`);
    expect(table).toMatchObject({ decisionDefinitionId: 'route-claim', result: '"investigation"', decisionDefinitionVersion: 1 });
    expect(table.evaluatedInputs).toEqual([
      { inputId: 'route-claim_in0', inputName: 'amount', inputValue: '900' },
      { inputId: 'route-claim_in1', inputName: 'risk', inputValue: '"high"' },
    ]);
    expect(table.matchedRules).toEqual([
      { ruleId: 'route-claim_rule1', ruleIndex: 2, evaluatedOutputs: [{ outputId: 'route-claim_out0', outputName: 'route', outputValue: '"investigation"' }] },
    ]);
    expect(Number.isNaN(Date.parse(table.evaluationDate))).toBe(false);
  });

  // https://docs.camunda.io/docs/components/modeler/bpmn/business-rule-tasks/
  it('records a business rule task’s evaluation with its process instance and element instance', async () => {
    const { processInstanceKey } = await fixture.client.createProcessInstanceWithResult({ processDefinitionId: 'decided-claim', variables: { amount: 100, fraudScore: 0 } });
    const found = await search({ processInstanceKey }, [{ field: 'decisionEvaluationInstanceKey', order: 'ASC' }]);
    expect(found.items.map((i) => i.decisionDefinitionId)).toEqual(['risk', 'route-claim']);
    const task = await fixture.client.searchElementInstances({ filter: { processInstanceKey, elementId: 'route' } });
    expect(found.items[1]).toMatchObject({ elementInstanceKey: task.items[0]!.elementInstanceKey, result: '"straight-through"' });
  });

  // https://docs.camunda.io/docs/components/best-practices/modeling/choosing-the-dmn-hit-policy/
  it('records a failed evaluation as FAILED, with why', async () => {
    const response = await fixture.http('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: 'strict-limit', variables: { amount: 50 } });
    expect(response.status).toBe(200);
    const evaluationKey = (response.body as { decisionEvaluationKey: string }).decisionEvaluationKey;
    const [failed] = (await search({ decisionEvaluationKey: evaluationKey })).items;
    expect(failed).toMatchObject({ state: 'FAILED', decisionDefinitionId: 'strict-limit', result: 'null' });
    expect(failed!.evaluationFailure).toMatch(/strict-limit|UNIQUE|rule/i);
    expect((await search({ state: 'FAILED' })).items.map((i) => i.decisionEvaluationKey)).toContain(evaluationKey);
  });

  it('keeps the history across a restart', async () => {
    const evaluation = await fixture.client.evaluateDecision({ decisionDefinitionId: 'route-claim', variables: { amount: 10, fraudScore: 0 } });
    await fixture.restart();
    expect((await get(`${evaluation.decisionInstanceKey}-2`)).result).toBe('"straight-through"');
  });

  it('answers 404 for a decision instance it does not know', async () => {
    expect((await fixture.http('GET', '/v2/decision-instances/2251799813999999-1')).status).toBe(404);
  });
});
