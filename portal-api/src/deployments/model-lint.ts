import { BpmnModdle } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import { Linter } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';

/** One problem found in a model, named by the element at fault. */
export interface ModelProblem {
  readonly resource: string;
  readonly elementId: string | null;
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
  return Object.entries(reports).flatMap(([rule, found]) =>
    found.map((report) => ({ resource, elementId: report.id ?? null, rule, message: report.message, severity: report.category === 'warn' || report.category === 'info' ? ('warning' as const) : ('error' as const) })),
  );
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
