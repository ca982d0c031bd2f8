import { containersOf, type ExecutableProcess, type FlowElement } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { openInnerInstance } from '../elements/ad-hoc-sub-process';
import { invalidArgument, notFound } from '../rejection';
import { type VariableDocument } from '../variables';

/**
 * Process instance modification, as Zeebe does it
 * (https://docs.camunda.io/docs/components/concepts/process-instance-modification/):
 * activate elements (their missing flow scopes are created, variables set
 * where told) and terminate element instances; a flow scope left with
 * nothing active is terminated too, up to the process instance. The command
 * is all or nothing: one refused instruction refuses them all.
 */

export interface ActivateInstruction {
  readonly elementId: string;
  /** Where to activate: an active instance of one of the element's flow scopes; absent (or -1) picks the single active one. */
  readonly ancestorElementInstanceKey?: number;
  readonly variableInstructions: readonly { readonly variables: VariableDocument; readonly scopeId?: string }[];
}

export interface ModifyProcessInstance {
  readonly activateInstructions: readonly ActivateInstruction[];
  readonly terminateInstructions: readonly { readonly elementInstanceKey: number }[];
}

/** Element types an instruction cannot activate: they are entered only by their trigger. */
const NOT_ACTIVATABLE = new Set<string>(['START_EVENT', 'BOUNDARY_EVENT', 'AD_HOC_SUB_PROCESS_INNER_INSTANCE']);

export function modifyProcessInstance(context: CommandContext, processInstanceKey: number, request: ModifyProcessInstance): void {
  const processInstance = context.state.elementInstances.get(processInstanceKey);
  if (processInstance?.type !== 'PROCESS' || processInstance.state !== 'ACTIVATED') {
    throw notFound(`Expected to modify process instance but no process instance found with key '${processInstanceKey}'`);
  }
  const process = context.state.definition(processInstance.processDefinitionKey).executable;
  const refuse = (what: string) => invalidArgument(`Expected to modify instance of process '${process.bpmnProcessId}' but it contains one or more ${what}`);

  for (const instruction of request.activateInstructions) checkActivation(context, process, processInstance, instruction, refuse);
  for (const { elementInstanceKey } of request.terminateInstructions) {
    const target = context.state.elementInstances.get(elementInstanceKey);
    if (!target || target.processInstanceKey !== processInstanceKey || target.type === 'PROCESS') {
      throw refuse(`terminate instructions with an element instance that could not be found: '${elementInstanceKey}'`);
    }
  }

  const executor = new BpmnExecutor(context);
  for (const instruction of request.activateInstructions) activate(context, executor, process, processInstance, instruction, refuse);
  for (const { elementInstanceKey } of request.terminateInstructions) {
    const target = context.state.elementInstances.get(elementInstanceKey);
    // Already ended: inside an instance terminated before it, or moved on by an activation.
    if (!target || target.state === 'TERMINATED' || target.state === 'COMPLETED') continue;
    const flowScopeKey = target.flowScopeKey;
    executor.terminateElement(elementInstanceKey);
    terminateEmptyScopes(context, executor, flowScopeKey);
  }
}

function checkActivation(
  context: CommandContext,
  process: ExecutableProcess,
  processInstance: ElementInstance,
  instruction: ActivateInstruction,
  refuse: (what: string) => Error,
): void {
  const element = process.elements.get(instruction.elementId);
  if (!element || element.type === 'PROCESS') throw refuse(`activate instructions with an element that could not be found: '${instruction.elementId}'`);
  if (NOT_ACTIVATABLE.has(element.type)) {
    throw refuse(`activate instructions for elements that are unsupported: '${element.id}'. The activation of elements with type '${element.type}' is not supported.`);
  }
  if (element.incoming.some((flow) => process.elements.get(flow.sourceId)?.type === 'EVENT_BASED_GATEWAY')) {
    throw refuse(`activate instructions for elements that are unsupported: '${element.id}'. The activation of events belonging to an event-based gateway is not supported.`);
  }
  const containers = containersOf(process, element);
  if (containers.some((container) => container.multiInstance !== undefined)) {
    throw refuse(`activate instructions for elements that are nested in a multi-instance element: '${element.id}'. The activation of elements inside a multi-instance element is not supported.`);
  }
  const scopeIds = new Set([process.bpmnProcessId, ...containers.map((c) => c.id), element.id]);
  for (const { scopeId } of instruction.variableInstructions) {
    if (scopeId === undefined || scopeId === '') continue;
    if (!process.elements.has(scopeId)) throw refuse(`variable instructions with a scope element id that could not be found: '${scopeId}'`);
    if (!scopeIds.has(scopeId)) {
      throw refuse(`variable instructions with a scope element that doesn't belong to the activating element's flow scope: '${scopeId}'. These variables should be set before or after the modification.`);
    }
  }
  const ancestorKey = instruction.ancestorElementInstanceKey;
  if (ancestorKey === undefined || ancestorKey === -1) return;
  const ancestor = context.state.elementInstances.get(ancestorKey);
  if (!ancestor || ancestor.processInstanceKey !== processInstance.key || ancestor.state !== 'ACTIVATED') {
    throw refuse(`activate instructions with an ancestor scope key that does not exist, or is not in an active state: '${ancestorKey}'`);
  }
  if (ancestor.type === 'MULTI_INSTANCE_BODY' || !scopeIds.has(ancestor.elementId) || ancestor.elementId === element.id) {
    throw refuse(`activate instructions with an ancestor scope key that is not an ancestor of the element to activate: '${ancestorKey}'`);
  }
}

function activate(
  context: CommandContext,
  executor: BpmnExecutor,
  process: ExecutableProcess,
  processInstance: ElementInstance,
  instruction: ActivateInstruction,
  refuse: (what: string) => Error,
): void {
  const element = process.elements.get(instruction.elementId) as FlowElement;
  const variablesFor = (scopeId: string): VariableDocument => {
    const document: VariableDocument = {};
    for (const v of instruction.variableInstructions) {
      const target = v.scopeId === undefined || v.scopeId === '' ? process.bpmnProcessId : v.scopeId;
      if (target === scopeId) Object.assign(document, v.variables);
    }
    return document;
  };
  // From the ancestor asked for (else the process instance) down to the element's flow scope.
  const containers = containersOf(process, element);
  const ancestorKey = instruction.ancestorElementInstanceKey;
  let scope = ancestorKey === undefined || ancestorKey === -1 ? processInstance : context.state.element(ancestorKey);
  // Variables for scopes above the starting point go to their existing instances.
  for (let above: ElementInstance | undefined = scope; above; above = above.flowScopeKey === undefined ? undefined : context.state.element(above.flowScopeKey)) {
    const document = variablesFor(above.elementId);
    if (Object.keys(document).length > 0) executor.variables.setLocal(above.key, processInstance.key, document);
  }
  let creating = ancestorKey !== undefined && ancestorKey !== -1;
  // Inside an ad-hoc subprocess, what runs is inside its inner instances; what is activated there gets one of its own.
  const children = (of: ElementInstance) =>
    [...of.childKeys].map((key) => context.state.element(key)).flatMap((child) => (child.type === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE' ? [...child.childKeys].map((key) => context.state.element(key)) : [child]));
  const intoPath = (of: ElementInstance) => (of.type === 'AD_HOC_SUB_PROCESS' ? openInnerInstance(executor, of) : of);
  for (const container of containers.slice(containers.findIndex((c) => c.id === scope.elementId) + 1)) {
    const found = creating ? [] : children(scope).filter((child) => child.elementId === container.id && child.state === 'ACTIVATED');
    if (found.length > 1) {
      throw refuse(
        `activate instructions for an element that has a flow scope with more than one active instance: '${container.id}'. Can't decide in which instance of the flow scope the element should be activated. Please specify an ancestor element instance key.`,
      );
    }
    if (found.length === 1) {
      scope = found[0]!;
      const document = variablesFor(container.id);
      if (Object.keys(document).length > 0) executor.variables.setLocal(scope.key, processInstance.key, document);
      continue;
    }
    creating = true;
    const opened = executor.openScope(container.id, intoPath(scope).key, variablesFor(container.id));
    if ('failed' in opened) throw refuse(`activate instructions whose flow scope '${container.id}' could not be created: ${opened.failed}`);
    scope = opened.instance;
  }
  executor.activateElement(element.id, intoPath(scope).key, variablesFor(element.id));
}

/** A flow scope left with nothing active (and no token waiting at a join) is terminated, and so on outwards. */
function terminateEmptyScopes(context: CommandContext, executor: BpmnExecutor, flowScopeKey: number | undefined): void {
  for (let key = flowScopeKey; key !== undefined; ) {
    const scope = context.state.elementInstances.get(key);
    if (!scope || scope.state !== 'ACTIVATED' || scope.childKeys.size > 0) return;
    if ([...(scope.joinTokens?.values() ?? [])].some((perFlow) => perFlow.size > 0)) return;
    key = scope.flowScopeKey;
    executor.terminateElement(scope.key);
  }
}

