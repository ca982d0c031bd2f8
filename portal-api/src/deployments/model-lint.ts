import { BpmnModdle } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import { Linter } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';

/** One problem found in a model, named by the element at fault. */
export interface ModelProblem {
  readonly resource: string;
  readonly elementId: string | null;
  /** The element's name as the modeler shows it (its id when it has none), for people. */
  readonly elementName?: string | null;
  readonly rule: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/**
 * The rules every diagram must pass before it is deployed: bpmnlint's
 * recommended set and Camunda's compatibility rules for Camunda 8.8, the
 * version the embedded engine speaks. The same rules run in `npm test` over
 * `bpmn/` and in the modeler.
 */
export const BPMN_LINT_CONFIG = {
  extends: ['bpmnlint:recommended', 'plugin:camunda-compat/camunda-cloud-8-8'],
};

export async function lintBpmn(resource: string, xml: string): Promise<ModelProblem[]> {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  let definitions: unknown;
  try {
    const parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
    definitions = parsed.rootElement;
    const unparsable = parsed.warnings.map((w) => ({ resource, elementId: null, rule: 'xml', message: w.message.split('\n')[0]!, severity: 'error' as const }));
    if (unparsable.length > 0) return unparsable;
  } catch (error) {
    return [{ resource, elementId: null, rule: 'xml', message: `Not a BPMN 2.0 document: ${(error as Error).message.split('\n')[0]}`, severity: 'error' }];
  }
  const linter = new Linter({ config: BPMN_LINT_CONFIG, resolver: new NodeResolver() });
  const reports = await linter.lint(definitions);
  const names = elementNames(definitions);
  const named = (id: string | null) => (id === null ? null : (names.get(id) ?? id));
  const linted = Object.entries(reports).flatMap(([rule, found]) =>
    found.map((report) => ({ resource, elementId: report.id ?? null, elementName: named(report.id ?? null), rule, message: report.message, severity: report.category === 'warn' || report.category === 'info' ? ('warning' as const) : ('error' as const) })),
  );
  return [...linted, ...danglingFlows(resource, definitions, named)];
}

type Element = { $type: string; id?: string; name?: string; [key: string]: unknown };

/** Every element's name by id (flows and steps a person can point at), to name problems as the modeler shows them. */
function elementNames(definitions: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const element of elements as Element[]) {
      if (element.id) names.set(element.id, element.name?.trim() ? element.name : element.id);
      visit(element.flowElements);
    }
  };
  visit((definitions as { rootElements?: unknown }).rootElements);
  return names;
}

/** A sequence flow must run from a step to a step: one with an end missing (its step deleted) blocks deployment. */
function danglingFlows(resource: string, definitions: unknown, named: (id: string | null) => string | null): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const visit = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const element of elements as Element[]) {
      if (element.$type === 'bpmn:SequenceFlow' && (!element.sourceRef || !element.targetRef)) {
        const end = !element.sourceRef ? 'source' : 'target';
        problems.push({ resource, elementId: element.id ?? null, elementName: named(element.id ?? null), rule: 'flow-connected', message: `The flow "${named(element.id ?? null)}" has no ${end} step: connect it or delete it.`, severity: 'error' });
      }
      visit(element.flowElements);
    }
  };
  visit((definitions as { rootElements?: unknown }).rootElements);
  return problems;
}

/** DMN has no bpmnlint; it must at least read as DMN 1.3 without warnings. */
export async function checkDmn(resource: string, xml: string): Promise<ModelProblem[]> {
  try {
    const parsed = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
    return parsed.warnings.map((w) => ({ resource, elementId: null, rule: 'xml', message: w.message.split('\n')[0]!, severity: 'error' as const }));
  } catch (error) {
    return [{ resource, elementId: null, rule: 'xml', message: `Not a DMN document: ${(error as Error).message.split('\n')[0]}`, severity: 'error' }];
  }
}

/** A form must be a form-js schema: a JSON object with an id and a list of components. */
export function checkForm(resource: string, text: string): ModelProblem[] {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return [{ resource, elementId: null, rule: 'json', message: `Not JSON: ${(error as Error).message}`, severity: 'error' }];
  }
  const problems: ModelProblem[] = [];
  const form = schema as { id?: unknown; type?: unknown; components?: unknown };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return [{ resource, elementId: null, rule: 'form', message: 'A form is a JSON object.', severity: 'error' }];
  if (typeof form.id !== 'string' || form.id === '') problems.push({ resource, elementId: null, rule: 'form', message: 'A form needs an "id" (the form id tasks link to).', severity: 'error' });
  if (form.type !== 'default') problems.push({ resource, elementId: null, rule: 'form', message: 'A form-js schema has "type": "default".', severity: 'error' });
  if (!Array.isArray(form.components)) problems.push({ resource, elementId: null, rule: 'form', message: 'A form needs a "components" list.', severity: 'error' });
  return problems;
}
