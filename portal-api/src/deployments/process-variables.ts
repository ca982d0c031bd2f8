import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { VARIABLES_BY_FORM, VARIABLES_BY_JOB_TYPE, VARIABLES_BY_MESSAGE, VARIABLES_OF_WORKER_DECISIONS } from './provided-variables';

/** Where a decision is called from, and which variables exist there. */
export interface DecisionCaller {
  readonly processId: string;
  readonly elementId: string;
  readonly elementName: string;
  readonly variables: ReadonlySet<string>;
}

type Element = { $type: string; id?: string; name?: string; [key: string]: unknown };

const list = (value: unknown): Element[] => (Array.isArray(value) ? (value as Element[]) : []);
const extensions = (element: Element): Element[] => list((element.extensionElements as Element | undefined)?.values);

/**
 * For each decision a process calls from a business rule task, the variables
 * that process provides: the start message's, every worker's, every task
 * form's (declared in provided-variables.ts, since the diagram only names
 * them), every result variable (decisions' and scripts') and io-mapping target in the diagram. Not
 * ordered along the flow: a name no step of the process provides is the
 * mistake this finds (a typo, a name that does not exist).
 */
export async function decisionCallers(bpmnXml: string): Promise<Map<string, DecisionCaller[]>> {
  const callers = new Map<string, DecisionCaller[]>();
  let definitions: Element;
  try {
    definitions = (await new BpmnModdle({ zeebe: zeebeSchema }).fromXML(bpmnXml, 'bpmn:Definitions')).rootElement as Element;
  } catch {
    return callers;
  }
  for (const process of list(definitions.rootElements).filter((e) => e.$type === 'bpmn:Process')) {
    const provided = new Set<string>();
    const calls: { decisionId: string; element: Element; local: string[] }[] = [];
    const visit = (elements: Element[]) => {
      for (const element of elements) {
        for (const extension of extensions(element)) {
          if (extension.$type === 'zeebe:TaskDefinition') (VARIABLES_BY_JOB_TYPE[String(extension.type)] ?? []).forEach((v) => provided.add(v));
          if (extension.$type === 'zeebe:FormDefinition') (VARIABLES_BY_FORM[String(extension.formId)] ?? []).forEach((v) => provided.add(v));
          if (extension.$type === 'zeebe:IoMapping') list(extension.outputParameters).forEach((p) => provided.add(String(p.target)));
          // A script task's result (e.g. the collection's next attempt number).
          if (extension.$type === 'zeebe:Script' && typeof extension.resultVariable === 'string') provided.add(extension.resultVariable);
          if (extension.$type === 'zeebe:CalledDecision') {
            if (typeof extension.resultVariable === 'string') provided.add(extension.resultVariable);
            const mapping = extensions(element).find((e) => e.$type === 'zeebe:IoMapping');
            calls.push({ decisionId: String(extension.decisionId), element, local: list(mapping?.inputParameters).map((p) => String(p.target)) });
          }
        }
        for (const definition of list(element.eventDefinitions)) {
          const message = definition.messageRef as Element | undefined;
          if (message?.name) (VARIABLES_BY_MESSAGE[message.name] ?? []).forEach((v) => provided.add(v));
        }
        if (element.flowElements) visit(list(element.flowElements));
      }
    };
    visit(list(process.flowElements));
    for (const call of calls) {
      const found = callers.get(call.decisionId) ?? [];
      found.push({ processId: String(process.id), elementId: String(call.element.id), elementName: call.element.name ?? String(call.element.id), variables: new Set([...provided, ...call.local]) });
      callers.set(call.decisionId, found);
    }
  }
  return callers;
}

/** Callers of the decisions workers evaluate themselves, as if they were processes. */
export function workerDecisionCallers(): Map<string, DecisionCaller[]> {
  return new Map(
    Object.entries(VARIABLES_OF_WORKER_DECISIONS).map(([decisionId, variables]) => [decisionId, [{ processId: 'workers', elementId: decisionId, elementName: 'a job worker', variables: new Set(variables) }]]),
  );
}
