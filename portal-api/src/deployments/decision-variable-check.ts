import { DmnModdle } from 'dmn-moddle';
import { freeVariableNames, type FeelKind } from './feel-names';
import { type ModelProblem } from './model-lint';
import { type DecisionCaller } from './process-variables';

type Element = { $type: string; id?: string; name?: string; label?: string; [key: string]: unknown };
const list = (value: unknown): Element[] => (Array.isArray(value) ? (value as Element[]) : []);
const textOf = (element: unknown): string => {
  const text = (element as { text?: unknown } | undefined)?.text;
  return typeof text === 'string' ? text : '';
};

/**
 * Flags every decision-table input, rule entry and literal expression that
 * reads a variable the calling process never provides. Such an expression
 * is valid FEEL, evaluates to null at run time and silently matches (or
 * fails to match) rows: `> five hundred` reads a variable "five hundred",
 * and the claims it should send to review go straight through.
 */
export async function checkDecisionVariables(resource: string, xml: string, callers: ReadonlyMap<string, readonly DecisionCaller[]>): Promise<ModelProblem[]> {
  let definitions: Element;
  try {
    definitions = (await new DmnModdle().fromXML(xml, 'dmn:Definitions')).rootElement as Element;
  } catch {
    return []; // checkDmn reports what does not parse
  }
  const problems: ModelProblem[] = [];
  const decisions = list(definitions.drgElement).filter((e) => e.$type === 'dmn:Decision');
  const requiredBy = new Map<string, string[]>();
  for (const decision of decisions) {
    for (const requirement of list(decision.informationRequirement)) {
      const href = String((requirement.requiredDecision as { href?: string } | undefined)?.href ?? '').replace(/^#/, '');
      if (href) requiredBy.set(href, [...(requiredBy.get(href) ?? []), String(decision.id)]);
    }
  }
  // A required decision is evaluated with the variables of whoever calls the decision that requires it.
  const callersOf = (id: string, seen = new Set<string>()): readonly DecisionCaller[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    return [...(callers.get(id) ?? []), ...(requiredBy.get(id) ?? []).flatMap((parent) => callersOf(parent, seen))];
  };
  for (const decision of decisions) {
    const decisionName = decision.name ?? String(decision.id);
    const calledFrom = callersOf(String(decision.id));
    if (calledFrom.length === 0) {
      problems.push({ resource, elementId: String(decision.id), elementName: decisionName, rule: 'decision-not-called', message: `No process or worker calls the decision "${decisionName}", so the variables it reads cannot be checked.`, severity: 'warning' });
      continue;
    }
    const required = list(decision.informationRequirement).map((r) => String((r.requiredDecision as { href?: string } | undefined)?.href ?? '').replace(/^#/, ''));
    const check = (elementId: string, elementName: string, source: string, kind: FeelKind) => {
      for (const name of freeVariableNames(source, kind)) {
        if (required.includes(name)) continue;
        const missing = calledFrom.filter((caller) => !caller.variables.has(name));
        if (missing.length === 0) continue;
        const where = missing.map((c) => `"${c.elementName}" (${c.processId})`).join(', ');
        problems.push({ resource, elementId, elementName, rule: 'unknown-variable', message: `"${elementName}" reads "${name}", which is not a variable where ${where} calls the decision "${decisionName}": \`${source.trim()}\`.`, severity: 'error' });
      }
    };
    const logic = decision.decisionLogic as Element | undefined;
    if (logic?.$type === 'dmn:LiteralExpression') check(String(decision.id), decisionName, textOf(logic), 'expression');
    if (logic?.$type !== 'dmn:DecisionTable') continue;
    const inputs = list(logic.input);
    const outputs = list(logic.output);
    const label = (e: Element, fallback: string) => e.label ?? e.name ?? fallback;
    inputs.forEach((input, column) => check(String(input.id), `${decisionName}: input "${label(input, `#${column + 1}`)}"`, textOf(input.inputExpression), 'expression'));
    list(logic.rule).forEach((rule, row) => {
      const ruleName = `${decisionName}: rule ${row + 1}`;
      list(rule.inputEntry).forEach((entry, column) => check(String(entry.id ?? rule.id), `${ruleName}, "${label(inputs[column] ?? ({} as Element), `input ${column + 1}`)}"`, textOf(entry), 'unary-tests'));
      list(rule.outputEntry).forEach((entry, column) => check(String(entry.id ?? rule.id), `${ruleName}, output "${label(outputs[column] ?? ({} as Element), `output ${column + 1}`)}"`, textOf(entry), 'expression'));
    });
  }
  return problems;
}
