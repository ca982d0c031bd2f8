/**
 * Tiny BPMN writers for tests and benchmarks. Diagrams with branches live as
 * .bpmn files beside their specs; these cover the straight-line cases.
 */
export interface ServiceTaskSpec {
  readonly id: string;
  readonly type: string;
  readonly retries?: string;
  readonly headers?: Record<string, string>;
  readonly inputs?: readonly [source: string, target: string][];
  readonly outputs?: readonly [source: string, target: string][];
}

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A process: start → service tasks in a row → end. */
export function serviceTaskChain(processId: string, tasks: readonly ServiceTaskSpec[]): string {
  const ids = ['start', ...tasks.map((t) => t.id), 'end'];
  const flows = ids.slice(1).map((target, index) => `<bpmn:sequenceFlow id="flow_${index}" sourceRef="${ids[index]}" targetRef="${target}" />`);
  const taskXml = tasks.map((task) => {
    const headers = task.headers
      ? `<zeebe:taskHeaders>${Object.entries(task.headers).map(([k, v]) => `<zeebe:header key="${escape(k)}" value="${escape(v)}" />`).join('')}</zeebe:taskHeaders>`
      : '';
    const mappings =
      task.inputs || task.outputs
        ? `<zeebe:ioMapping>${(task.inputs ?? []).map(([s, t]) => `<zeebe:input source="${escape(s)}" target="${escape(t)}" />`).join('')}${(task.outputs ?? []).map(([s, t]) => `<zeebe:output source="${escape(s)}" target="${escape(t)}" />`).join('')}</zeebe:ioMapping>`
        : '';
    return `<bpmn:serviceTask id="${task.id}" name="${task.id}"><bpmn:extensionElements><zeebe:taskDefinition type="${escape(task.type)}"${task.retries ? ` retries="${escape(task.retries)}"` : ''} />${headers}${mappings}</bpmn:extensionElements></bpmn:serviceTask>`;
  });
  return definitions(`<bpmn:process id="${processId}" name="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    ${taskXml.join('\n    ')}
    <bpmn:endEvent id="end" />
    ${flows.join('\n    ')}
  </bpmn:process>`);
}

export function definitions(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  ${body}
</bpmn:definitions>`;
}

/** A process from element XML and the ids to link in a row (`['start', 'wait', 'end']`), plus any extra XML. */
export function processXml(processId: string, elements: string, row: readonly string[], extra = ''): string {
  const flows = row.slice(1).map((target, index) => `<bpmn:sequenceFlow id="row_${index}" sourceRef="${row[index]}" targetRef="${target}" />`);
  return definitions(`<bpmn:process id="${processId}" isExecutable="true">
    ${elements}
    ${flows.join('\n    ')}
  </bpmn:process>
  ${extra}`);
}

/** A message definition with a correlation key expression (without `=`), for catch events to reference. */
export function messageXml(id: string, name: string, correlationKey?: string): string {
  const subscription = correlationKey ? `<bpmn:extensionElements><zeebe:subscription correlationKey="=${escape(correlationKey)}" /></bpmn:extensionElements>` : '';
  return `<bpmn:message id="${id}" name="${escape(name)}">${subscription}</bpmn:message>`;
}
