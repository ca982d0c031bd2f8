import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDecisionVariables } from './decision-variable-check';
import { freeVariableNames } from './feel-names';
import { lintBpmn } from './model-lint';
import { decisionCallers, workerDecisionCallers, type DecisionCaller } from './process-variables';

const modelsDir = path.resolve(__dirname, '../../../bpmn');
const read = (file: string) => readFileSync(path.join(modelsDir, file), 'utf8');
const routing = read('claim-routing.dmn');

async function callersOfTheClaimProcess(): Promise<Map<string, DecisionCaller[]>> {
  const callers = workerDecisionCallers();
  for (const [id, found] of await decisionCallers(read('claim-reimbursement.bpmn'))) callers.set(id, found);
  return callers;
}

describe('the variables a decision reads', () => {
  it('finds the free names of FEEL from its syntax tree, not the names it binds or calls', () => {
    expect(freeVariableNames('> five hundred', 'unary-tests')).toEqual(['five hundred']);
    expect(freeVariableNames('if fraudScore = null then 0 else fraudScore', 'expression')).toEqual(['fraudScore']);
    expect(freeVariableNames('for x in items return x.amount + count(claim.items)', 'expression')).toEqual(['items', 'claim']);
    expect(freeVariableNames('some i in items satisfies i.amount > limit', 'expression')).toEqual(['items', 'limit']);
    expect(freeVariableNames('items[amount > 3]', 'expression')).toEqual(['items']);
    expect(freeVariableNames('{a: 1, b: a + zz}.b', 'expression')).toEqual(['zz']);
    expect(freeVariableNames('function(q) q + w', 'expression')).toEqual(['w']);
    expect(freeVariableNames('"review"', 'expression')).toEqual([]);
    expect(freeVariableNames('-', 'unary-tests')).toEqual([]);
    expect(freeVariableNames('>= 60', 'unary-tests')).toEqual([]);
  });

  it('finds nothing wrong in the decisions as they ship', async () => {
    const callers = await callersOfTheClaimProcess();
    for (const file of ['claim-routing.dmn', 'authority-limits.dmn', 'fraud-rule-weights.dmn']) {
      const problems = await checkDecisionVariables(file, read(file), callers);
      expect({ file, problems }).toEqual({ file, problems: [] });
    }
  });

  it('flags a mistyped threshold that names no variable of the claim process, by the rule and input at fault', async () => {
    const mistyped = routing.replace('<text>&gt; 500</text>', '<text>&gt; five hundred</text>');
    expect(mistyped).not.toBe(routing);
    const problems = await checkDecisionVariables('claim-routing.dmn', mistyped, await callersOfTheClaimProcess());
    expect(problems).toEqual([
      expect.objectContaining({ elementId: 'route-large-claim-amount', elementName: 'Claim routing: rule 3, "Amount claimed"', rule: 'unknown-variable', severity: 'error', message: expect.stringContaining('"five hundred"') }),
    ]);
    expect(problems[0]!.message).toContain('"Route claim" (claim-reimbursement)');
  });

  it('flags an input expression and an output entry naming variables the process never provides', async () => {
    const changed = routing.replace('<text>totalClaimed</text>', '<text>totalClaim</text>').replace('<text>"investigation"</text>', '<text>if urgent then "investigation" else "review"</text>');
    const problems = await checkDecisionVariables('claim-routing.dmn', changed, await callersOfTheClaimProcess());
    expect(problems.map((p) => [p.elementId, p.elementName])).toEqual([
      ['routing-total-claimed', 'Claim routing: input "Amount claimed"'],
      ['route-high-fraud-score-route', 'Claim routing: rule 1, output "Route"'],
    ]);
  });

  it('accepts a variable a step of the process maps in with an io mapping', async () => {
    const bpmn = read('claim-reimbursement.bpmn').replace(
      '<zeebe:calledDecision decisionId="claim-routing" resultVariable="route" />',
      '<zeebe:calledDecision decisionId="claim-routing" resultVariable="route" /><zeebe:ioMapping><zeebe:input source="=500" target="reviewThreshold" /></zeebe:ioMapping>',
    );
    const callers = workerDecisionCallers();
    for (const [id, found] of await decisionCallers(bpmn)) callers.set(id, found);
    const withThreshold = routing.replace('<text>&gt; 500</text>', '<text>&gt; reviewThreshold</text>');
    expect(await checkDecisionVariables('claim-routing.dmn', withThreshold, callers)).toEqual([]);
    expect(await checkDecisionVariables('claim-routing.dmn', withThreshold, await callersOfTheClaimProcess())).toHaveLength(1);
  });

  it('warns that a decision no process calls cannot be checked', async () => {
    const problems = await checkDecisionVariables('claim-routing.dmn', routing, new Map());
    expect(problems).toEqual([expect.objectContaining({ rule: 'decision-not-called', severity: 'warning', elementName: 'Claim routing' })]);
  });
});

describe('a diagram with a broken flow', () => {
  it('is an error naming the flow by its name when a flow lost the step it led to', async () => {
    const broken = read('claim-reimbursement.bpmn').replace('<bpmn:sequenceFlow id="flow-complete" name="yes" sourceRef="request-complete" targetRef="screen-fraud" />', '<bpmn:sequenceFlow id="flow-complete" name="yes" sourceRef="request-complete" />');
    const problems = await lintBpmn('claim-reimbursement.bpmn', broken);
    expect(problems).toContainEqual(expect.objectContaining({ elementId: 'flow-complete', elementName: 'yes', rule: 'flow-connected', severity: 'error' }));
  });

  it('is an error naming the step when a step has no incoming flow', async () => {
    const broken = read('claim-reimbursement.bpmn')
      .replace('<bpmn:sequenceFlow id="flow-to-route" sourceRef="screen-fraud" targetRef="route-claim" />', '')
      .replace('<bpmn:outgoing>flow-to-route</bpmn:outgoing>', '')
      .replace('<bpmn:incoming>flow-to-route</bpmn:incoming>', '')
      .replace(/<bpmndi:BPMNEdge id="flow-to-route-edge"[\s\S]*?<\/bpmndi:BPMNEdge>/, '');
    const problems = await lintBpmn('claim-reimbursement.bpmn', broken);
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.elementName)).toEqual(expect.arrayContaining(['Route claim', 'Screen for fraud']));
  });
});
