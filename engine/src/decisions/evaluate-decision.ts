import { evaluateFeel, evaluateUnaryTests, type FeelContext } from '../feel/feel';
import { type DecisionTable, type ExecutableDecision, type ExecutableDecisionGraph } from '../model/decision-model';

/** What Camunda reports for each decision evaluated, required ones first. */
export interface EvaluatedDecision {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  readonly output: unknown;
  readonly evaluatedInputs: readonly { inputId: string; inputName: string; inputValue: unknown }[];
  readonly matchedRules: readonly { ruleId: string; ruleIndex: number; evaluatedOutputs: readonly { outputId: string; outputName: string; outputValue: unknown }[] }[];
}

export type DecisionOutcome =
  | { readonly ok: true; readonly output: unknown; readonly evaluated: readonly EvaluatedDecision[] }
  | { readonly ok: false; readonly failedDecisionId: string; readonly message: string; readonly evaluated: readonly EvaluatedDecision[] };

type Matched = { rule: number; outputs: unknown[] };

/**
 * Evaluates a decision of a graph with the given variables. Required
 * decisions are evaluated first, and each one's result is visible to the
 * decisions that require it under the required decision's id (as Camunda's
 * DMN engine does). Never throws: a broken expression or a UNIQUE table with
 * two matches is a failure naming the decision.
 */
export function evaluateDecision(graph: ExecutableDecisionGraph, decisionId: string, variables: FeelContext): DecisionOutcome {
  const evaluated: EvaluatedDecision[] = [];
  const results = new Map<string, unknown>();
  const run = (id: string): { ok: true } | { ok: false; failedDecisionId: string; message: string } => {
    if (results.has(id)) return { ok: true };
    const decision = graph.decisions.get(id)!;
    for (const required of decision.requiredDecisions) {
      const outcome = run(required);
      if (!outcome.ok) return outcome;
    }
    const context: Record<string, unknown> = { ...variables };
    for (const required of decision.requiredDecisions) context[required] = results.get(required);
    const outcome = evaluateOne(decision, context);
    if (!outcome.ok) return { ok: false, failedDecisionId: id, message: outcome.message };
    results.set(id, outcome.value.output);
    evaluated.push(outcome.value);
    return { ok: true };
  };
  if (!graph.decisions.has(decisionId)) return { ok: false, failedDecisionId: decisionId, message: `No decision with the id '${decisionId}' in '${graph.id}'.`, evaluated };
  const outcome = run(decisionId);
  if (!outcome.ok) return { ...outcome, evaluated };
  return { ok: true, output: results.get(decisionId), evaluated };
}

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

function evaluateOne(decision: ExecutableDecision, context: FeelContext): Result<EvaluatedDecision> {
  const base = { decisionId: decision.id, decisionName: decision.name };
  if (decision.logic.kind === 'literal') {
    const result = evaluateFeel(decision.logic.expression, context);
    if (!result.ok) return { ok: false, message: result.message };
    return { ok: true, value: { ...base, decisionType: 'LITERAL_EXPRESSION', output: result.value, evaluatedInputs: [], matchedRules: [] } };
  }
  const table = decision.logic;
  const inputValues: unknown[] = [];
  for (const input of table.inputs) {
    const value = evaluateFeel(input.expression, context);
    if (!value.ok) return { ok: false, message: `The input '${input.name}' failed: ${value.message}` };
    inputValues.push(value.value);
  }
  const matched: Matched[] = [];
  for (const [index, rule] of table.rules.entries()) {
    let matches = true;
    for (const [column, entry] of rule.inputEntries.entries()) {
      const test = evaluateUnaryTests(entry, inputValues[column], context);
      if (!test.ok) return { ok: false, message: `Rule ${index + 1} failed: ${test.message}` };
      if (!test.value) {
        matches = false;
        break;
      }
    }
    if (!matches) continue;
    const outputs: unknown[] = [];
    for (const entry of rule.outputEntries) {
      if (entry.trim() === '') {
        outputs.push(null);
        continue;
      }
      const value = evaluateFeel(entry, context);
      if (!value.ok) return { ok: false, message: `The output of rule ${index + 1} failed: ${value.message}` };
      outputs.push(value.value);
    }
    matched.push({ rule: index, outputs });
  }
  const applied = applyHitPolicy(table, matched);
  if (!applied.ok) return applied;
  return {
    ok: true,
    value: {
      ...base,
      decisionType: 'DECISION_TABLE',
      output: applied.value.output,
      evaluatedInputs: table.inputs.map((input, column) => ({ inputId: input.id, inputName: input.name, inputValue: inputValues[column] })),
      matchedRules: applied.value.rules.map((m) => ({
        ruleId: table.rules[m.rule]!.id,
        ruleIndex: m.rule + 1,
        evaluatedOutputs: table.outputs.map((output, column) => ({ outputId: output.id, outputName: output.name, outputValue: m.outputs[column] })),
      })),
    },
  };
}

function applyHitPolicy(table: DecisionTable, matched: Matched[]): Result<{ output: unknown; rules: Matched[] }> {
  const resultOf = (m: Matched): unknown =>
    table.outputs.length === 1 ? m.outputs[0] : Object.fromEntries(table.outputs.map((output, column) => [output.name, m.outputs[column]]));
  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1) {
        return { ok: false, message: `Expected at most one rule to match for the hit policy UNIQUE, but rules ${matched.map((m) => m.rule + 1).join(', ')} matched.` };
      }
      return { ok: true, value: { output: matched[0] ? resultOf(matched[0]) : null, rules: matched } };
    case 'FIRST':
      return { ok: true, value: { output: matched[0] ? resultOf(matched[0]) : null, rules: matched.slice(0, 1) } };
    case 'ANY': {
      const distinct = new Set(matched.map((m) => JSON.stringify(resultOf(m))));
      if (distinct.size > 1) return { ok: false, message: `Expected the matching rules to agree for the hit policy ANY, but rules ${matched.map((m) => m.rule + 1).join(', ')} have different outputs.` };
      return { ok: true, value: { output: matched[0] ? resultOf(matched[0]) : null, rules: matched.slice(0, 1) } };
    }
    case 'PRIORITY': {
      const sorted = byPriority(table, matched);
      return { ok: true, value: { output: sorted[0] ? resultOf(sorted[0]) : null, rules: sorted.slice(0, 1) } };
    }
    case 'OUTPUT ORDER': {
      const sorted = byPriority(table, matched);
      return { ok: true, value: { output: sorted.map(resultOf), rules: sorted } };
    }
    case 'RULE ORDER':
      return { ok: true, value: { output: matched.map(resultOf), rules: matched } };
    case 'COLLECT': {
      if (!table.aggregation) return { ok: true, value: { output: matched.map(resultOf), rules: matched } };
      if (table.aggregation === 'COUNT') return { ok: true, value: { output: matched.length, rules: matched } };
      const values = matched.map((m) => m.outputs[0]).filter((v) => v !== null);
      if (values.some((v) => typeof v !== 'number')) return { ok: false, message: `Expected numbers to aggregate with ${table.aggregation}, but an output is not a number.` };
      const numbers = values as number[];
      // No match yields null for SUM, MIN and MAX (there is nothing to add up), 0 for COUNT.
      if (numbers.length === 0) return { ok: true, value: { output: null, rules: matched } };
      const output = table.aggregation === 'SUM' ? numbers.reduce((a, b) => a + b, 0) : table.aggregation === 'MIN' ? Math.min(...numbers) : Math.max(...numbers);
      return { ok: true, value: { output, rules: matched } };
    }
  }
}

/** Orders matches by their outputs' positions in the outputs' allowed values, first output first. */
function byPriority(table: DecisionTable, matched: Matched[]): Matched[] {
  const rank = (m: Matched): number[] =>
    table.outputs.map((output, column) => {
      const position = output.priorities.findIndex((allowed) => JSON.stringify(allowed) === JSON.stringify(m.outputs[column]));
      return position === -1 ? Number.MAX_SAFE_INTEGER : position;
    });
  return [...matched].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return a.rule - b.rule;
  });
}
