import { DmnModdle } from 'dmn-moddle';
import { evaluateFeel, feelSyntaxProblem, unaryTestsSyntaxProblem } from '../feel/feel';
import {
  type Aggregation,
  type DecisionInput,
  type DecisionOutput,
  type DecisionRule,
  type ExecutableDecision,
  type ExecutableDecisionGraph,
  type HitPolicy,
} from './decision-model';
import { moddleWarning, type ModelProblem } from './read-bpmn';

export type ReadDmnResult = { readonly ok: true; readonly graph: ExecutableDecisionGraph } | { readonly ok: false; readonly problems: ModelProblem[] };

/** A moddle element as dmn-moddle hands it out: typed by `$type`, properties by name. */
interface DmnElement {
  readonly $type: string;
  readonly id?: string;
  readonly name?: string;
  readonly [property: string]: unknown;
}

const moddle = new DmnModdle();

const HIT_POLICIES = new Set<string>(['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER']);
const AGGREGATIONS = new Set<string>(['SUM', 'MIN', 'MAX', 'COUNT']);

/**
 * Reads a DMN 1.3 document into an executable decision graph, or lists every
 * problem (unsupported logic, FEEL that does not parse, rules of the wrong
 * width, unknown or circular required decisions) with the id at fault.
 */
export async function readDmn(xml: string): Promise<ReadDmnResult> {
  let definitions: DmnElement;
  try {
    const parsed = await moddle.fromXML(xml, 'dmn:Definitions');
    definitions = parsed.rootElement as DmnElement;
    const broken = parsed.warnings.find((w) => /unparsable content|unknown type/i.test(w.message));
    if (broken) return { ok: false, problems: [{ message: moddleWarning(broken.message) }] };
  } catch (error) {
    return { ok: false, problems: [{ message: `The resource is not valid DMN XML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const problems: ModelProblem[] = [];
  if (!definitions.id) problems.push({ message: 'Expected the DMN definitions to have an id (the decision requirements id), but none was found.' });
  const decisions = new Map<string, ExecutableDecision>();
  for (const element of list(definitions.drgElement)) {
    if (element.$type !== 'dmn:Decision') continue; // input data and knowledge sources are documentation only
    const decision = readDecision(element, problems);
    if (decision) decisions.set(decision.id, decision);
  }
  if (decisions.size === 0 && problems.length === 0) problems.push({ message: 'Expected at least one decision in the DMN resource, but found none.' });
  for (const decision of decisions.values()) {
    for (const required of decision.requiredDecisions) {
      if (!decisions.has(required)) problems.push({ elementId: decision.id, message: `Requires the decision '${required}', which is not in this resource.` });
    }
  }
  const cycle = findCycle(decisions);
  if (cycle) problems.push({ elementId: cycle[0], message: `The required decisions form a cycle: ${cycle.join(' → ')}.` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, graph: { id: definitions.id!, name: definitions.name ?? definitions.id!, decisions } };
}

function readDecision(element: DmnElement, problems: ModelProblem[]): ExecutableDecision | undefined {
  const id = element.id;
  if (!id) {
    problems.push({ message: 'Expected every decision to have an id, but one has none.' });
    return undefined;
  }
  const requiredDecisions = list(element.informationRequirement)
    .map((requirement) => (requirement.requiredDecision as { href?: string } | undefined)?.href)
    .filter((href): href is string => typeof href === 'string')
    .map((href) => href.replace(/^#/, ''));
  const logic = element.decisionLogic as DmnElement | undefined;
  const base = { id, name: element.name ?? id, requiredDecisions };
  const before = problems.length;
  const report = (message: string, elementId = id) => problems.push({ elementId, message });
  if (logic?.$type === 'dmn:LiteralExpression') {
    const expression = text(logic);
    checkFeel(expression, report, 'literal expression');
    return problems.length === before ? { ...base, logic: { kind: 'literal', expression } } : undefined;
  }
  if (logic?.$type !== 'dmn:DecisionTable') {
    report(`The decision logic '${logic?.$type ?? 'none'}' is not supported; use a decision table or a literal expression.`);
    return undefined;
  }
  const hitPolicy = (logic.hitPolicy as string | undefined) ?? 'UNIQUE';
  if (!HIT_POLICIES.has(hitPolicy)) report(`The hit policy '${hitPolicy}' is not supported.`);
  const aggregation = logic.aggregation as string | undefined;
  if (aggregation !== undefined && (hitPolicy !== 'COLLECT' || !AGGREGATIONS.has(aggregation))) report(`The aggregation '${aggregation}' is only allowed with the hit policy COLLECT (SUM, MIN, MAX or COUNT).`);

  const inputs: DecisionInput[] = list(logic.input).map((input, index) => {
    const expression = text(input.inputExpression as DmnElement | undefined);
    checkFeel(expression, (message) => report(message, input.id ?? id), `input expression ${index + 1}`);
    return { id: input.id ?? `${id}-input-${index + 1}`, name: (input.label as string | undefined) ?? expression, expression };
  });
  const outputDefinitions = list(logic.output);
  if (outputDefinitions.length === 0) report('Expected the decision table to have at least one output, but it has none.');
  if (outputDefinitions.length > 1 && outputDefinitions.some((output) => !output.name)) report('Expected every output of a decision table with several outputs to have a name.');
  if (aggregation !== undefined && outputDefinitions.length > 1) report('Expected a decision table with an aggregation to have exactly one output.');
  const outputs: DecisionOutput[] = outputDefinitions.map((output, index) => ({
    id: output.id ?? `${id}-output-${index + 1}`,
    name: output.name ?? id,
    priorities: priorities(output, (message) => report(message, output.id ?? id)),
  }));
  const rules: DecisionRule[] = list(logic.rule).map((rule, index) => {
    const ruleId = rule.id ?? `${id}-rule-${index + 1}`;
    const inputEntries = list(rule.inputEntry).map(text);
    const outputEntries = list(rule.outputEntry).map(text);
    if (inputEntries.length !== inputs.length) report(`Expected ${inputs.length} input entries in rule ${index + 1}, but found ${inputEntries.length}.`, ruleId);
    if (outputEntries.length !== outputs.length) report(`Expected ${outputs.length} output entries in rule ${index + 1}, but found ${outputEntries.length}.`, ruleId);
    for (const entry of inputEntries) {
      const problem = unaryTestsSyntaxProblem(entry);
      if (problem) report(`Input entry of rule ${index + 1}: ${problem}`, ruleId);
    }
    for (const entry of outputEntries) if (entry.trim() !== '') checkFeel(entry, (message) => report(message, ruleId), `output entry of rule ${index + 1}`);
    return { id: ruleId, inputEntries, outputEntries };
  });
  if (problems.length > before) return undefined;
  return {
    ...base,
    logic: { kind: 'table', hitPolicy: hitPolicy as HitPolicy, ...(aggregation ? { aggregation: aggregation as Aggregation } : {}), inputs, outputs, rules },
  };
}

/** An output's allowed values (`"high","medium","low"`), in priority order. */
function priorities(output: DmnElement, report: (message: string) => void): unknown[] {
  const source = text(output.outputValues as DmnElement | undefined).trim();
  if (source === '') return [];
  const result = evaluateFeel(`[${source}]`, {});
  if (!result.ok || !Array.isArray(result.value)) {
    report(`The output values '${source}' are not a list of values.`);
    return [];
  }
  return result.value as unknown[];
}

function checkFeel(source: string, report: (message: string) => void, what: string): void {
  if (source.trim() === '') {
    report(`Expected the ${what} to have an expression, but it is empty.`);
    return;
  }
  const problem = feelSyntaxProblem(source);
  if (problem) report(`The ${what} does not parse: ${problem}`);
}

function findCycle(decisions: ReadonlyMap<string, ExecutableDecision>): string[] | undefined {
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (done.has(id)) return undefined;
    if (visiting.has(id)) return [...path.slice(path.indexOf(id)), id];
    visiting.add(id);
    for (const required of decisions.get(id)?.requiredDecisions ?? []) {
      const cycle = visit(required, [...path, id]);
      if (cycle) return cycle;
    }
    visiting.delete(id);
    done.add(id);
    return undefined;
  };
  for (const id of decisions.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

function text(element: DmnElement | undefined): string {
  const value = element?.text;
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): DmnElement[] {
  return Array.isArray(value) ? (value as DmnElement[]) : [];
}
