import { readDmn } from '../model/read-dmn';
import { dmn, type LiteralSpec, type TableSpec } from '../testing/dmn';
import { evaluateDecision } from './evaluate-decision';

async function graphOf(...decisions: (TableSpec | LiteralSpec)[]) {
  const read = await readDmn(dmn('graph', decisions));
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return read.graph;
}

const routing: TableSpec = {
  id: 'routing',
  inputs: ['amount', 'fraudScore'],
  outputs: [{ name: 'route' }],
  rules: [
    [['< 500', '< 30'], ['"straight-through"']],
    [['>= 500', '< 30'], ['"review"']],
    [['-', '>= 30'], ['"investigation"']],
  ],
};

describe('decision tables', () => {
  it('UNIQUE yields the one matching rule, null when none matches, and fails on two', async () => {
    const graph = await graphOf(routing);
    expect(evaluateDecision(graph, 'routing', { amount: 120, fraudScore: 10 })).toMatchObject({ ok: true, output: 'straight-through' });
    expect(evaluateDecision(graph, 'routing', { amount: 900, fraudScore: 80 })).toMatchObject({ ok: true, output: 'investigation' });
    const overlapping = await graphOf({ ...routing, rules: [...routing.rules, [['-', '-'], ['"any"']]] });
    const failed = evaluateDecision(overlapping, 'routing', { amount: 1, fraudScore: 1 });
    expect(failed).toMatchObject({ ok: false, failedDecisionId: 'routing' });
    expect(!failed.ok && failed.message).toMatch(/rules 1, 4 matched/);
    const none = await graphOf({ ...routing, rules: [[['> 1000', '-'], ['"big"']]] });
    expect(evaluateDecision(none, 'routing', { amount: 1, fraudScore: 1 })).toMatchObject({ ok: true, output: null });
  });

  it('reports inputs and matched rules as Camunda does', async () => {
    const outcome = evaluateDecision(await graphOf(routing), 'routing', { amount: 700, fraudScore: 0 });
    expect(outcome.ok && outcome.evaluated[0]).toEqual({
      decisionId: 'routing',
      decisionName: 'routing',
      decisionType: 'DECISION_TABLE',
      output: 'review',
      evaluatedInputs: [
        { inputId: 'routing_in0', inputName: 'amount', inputValue: 700 },
        { inputId: 'routing_in1', inputName: 'fraudScore', inputValue: 0 },
      ],
      matchedRules: [{ ruleId: 'routing_rule1', ruleIndex: 2, evaluatedOutputs: [{ outputId: 'routing_out0', outputName: 'route', outputValue: 'review' }] }],
    });
  });

  it('FIRST, ANY, PRIORITY, RULE ORDER and OUTPUT ORDER pick and order as DMN says', async () => {
    const base = {
      inputs: ['amount'],
      outputs: [{ name: 'level', values: '"high","medium","low"' }],
      rules: [
        [['> 0'], ['"low"']],
        [['> 100'], ['"high"']],
        [['> 50'], ['"medium"']],
      ] as TableSpec['rules'],
    };
    const graph = await graphOf(
      { id: 'first', hitPolicy: 'FIRST', ...base },
      { id: 'priority', hitPolicy: 'PRIORITY', ...base },
      { id: 'ruleOrder', hitPolicy: 'RULE ORDER', ...base },
      { id: 'outputOrder', hitPolicy: 'OUTPUT ORDER', ...base },
      { id: 'any', hitPolicy: 'ANY', ...base },
    );
    const at = (id: string, amount: number) => evaluateDecision(graph, id, { amount });
    expect(at('first', 200)).toMatchObject({ output: 'low' });
    expect(at('priority', 200)).toMatchObject({ output: 'high' });
    expect(at('priority', 60)).toMatchObject({ output: 'medium' });
    expect(at('ruleOrder', 200)).toMatchObject({ output: ['low', 'high', 'medium'] });
    expect(at('outputOrder', 200)).toMatchObject({ output: ['high', 'medium', 'low'] });
    expect(at('any', 10)).toMatchObject({ ok: true, output: 'low' });
    expect(at('any', 200)).toMatchObject({ ok: false, failedDecisionId: 'any' });
  });

  it('COLLECT lists outputs or aggregates them', async () => {
    const weights = (id: string, aggregation?: string): TableSpec => ({
      id,
      hitPolicy: 'COLLECT',
      aggregation,
      inputs: ['daysSincePolicyStart', 'claimsThisYear'],
      outputs: [{ name: 'weight' }],
      rules: [
        [['< 30', '-'], ['40']],
        [['-', '> 5'], ['25']],
        [['-', '-'], ['1']],
      ],
    });
    const graph = await graphOf(weights('list'), weights('sum', 'SUM'), weights('min', 'MIN'), weights('max', 'MAX'), weights('count', 'COUNT'));
    const facts = { daysSincePolicyStart: 10, claimsThisYear: 9 };
    expect(evaluateDecision(graph, 'list', facts)).toMatchObject({ output: [40, 25, 1] });
    expect(evaluateDecision(graph, 'sum', facts)).toMatchObject({ output: 66 });
    expect(evaluateDecision(graph, 'min', facts)).toMatchObject({ output: 1 });
    expect(evaluateDecision(graph, 'max', facts)).toMatchObject({ output: 40 });
    expect(evaluateDecision(graph, 'count', { daysSincePolicyStart: 400, claimsThisYear: 0 })).toMatchObject({ output: 1 });
  });

  it('several outputs make a context per rule', async () => {
    const graph = await graphOf({
      id: 'authority',
      hitPolicy: 'FIRST',
      inputs: ['role'],
      outputs: [{ name: 'limit' }, { name: 'needsManager' }],
      rules: [
        [['"adjuster"'], ['5000', 'false']],
        [['-'], ['0', 'true']],
      ],
    });
    expect(evaluateDecision(graph, 'authority', { role: 'adjuster' })).toMatchObject({ output: { limit: 5000, needsManager: false } });
  });
});

describe('required decisions and literal expressions', () => {
  it('evaluates required decisions first and reads their results by id', async () => {
    const graph = await graphOf(
      { id: 'riskScore', expression: 'if amount > 1000 then 50 else 10' },
      { ...routing, inputs: ['amount', 'riskScore'], requires: ['riskScore'] },
    );
    const outcome = evaluateDecision(graph, 'routing', { amount: 2000 });
    expect(outcome).toMatchObject({ ok: true, output: 'investigation' });
    expect(outcome.evaluated.map((d) => d.decisionId)).toEqual(['riskScore', 'routing']);
  });

  it('a failing expression names the decision and never throws', async () => {
    const graph = await graphOf({ id: 'broken', expression: 'amount + "text"' }, { id: 'top', expression: 'broken', requires: ['broken'] });
    const outcome = evaluateDecision(graph, 'top', { amount: 1 });
    expect(outcome).toMatchObject({ ok: false, failedDecisionId: 'broken' });
  });
});

describe('reading DMN', () => {
  it('lists every problem with the id at fault', async () => {
    const read = await readDmn(
      dmn('bad', [
        { id: 'wide', inputs: ['a'], outputs: [{ name: 'x' }], rules: [[['1', '2'], ['"y"']]] },
        { id: 'unparsable', inputs: ['a +'], outputs: [{ name: 'x' }], rules: [] },
        { id: 'agg', hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['a'], outputs: [{ name: 'x' }], rules: [] },
        { id: 'orphan', expression: '1', requires: ['missing'] },
        { id: 'loopA', expression: 'loopB', requires: ['loopB'] },
        { id: 'loopB', expression: 'loopA', requires: ['loopA'] },
      ]),
    );
    expect(read.ok).toBe(false);
    const problems = read.ok ? [] : read.problems;
    expect(problems.map((p) => p.elementId)).toEqual(expect.arrayContaining(['wide_rule0', 'unparsable_in0', 'agg', 'orphan', 'loopA']));
    expect(problems.find((p) => p.elementId === 'orphan')?.message).toMatch(/'missing'/);
  });

  it('refuses text that is not DMN', async () => {
    expect(await readDmn('<definitions><oops')).toMatchObject({ ok: false });
    expect(await readDmn('not xml at all')).toMatchObject({ ok: false });
  });
});
