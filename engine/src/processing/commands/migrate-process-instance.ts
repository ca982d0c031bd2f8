import { AD_HOC_INNER_INSTANCE_SUFFIX, type ElementType, type ExecutableElement, type ExecutableProcess } from '../../model/process-model';
import { type ElementInstance, type EngineState } from '../../state/engine-state';
import { type MigrationPlan } from '../../state/events';
import { type CommandContext } from '../command-context';
import { BpmnExecutor } from '../bpmn-executor';
import { invalidArgument, notFound } from '../rejection';
import { type BufferedMatch } from '../subscriptions';
import { applyCompensationPlan, planCompensation } from './migrate-compensation';
import { applyJoinTokens, planJoinTokens, sequenceFlowIds } from './migrate-join-tokens';
import { applySubscriptionPlan, planSubscriptions } from './migrate-subscriptions';

/**
 * Process instance migration, as Zeebe does it
 * (https://docs.camunda.io/docs/components/concepts/process-instance-migration/):
 * every active element is mapped to an element of the same type in the
 * target definition, in the same flow scope; each element instance then
 * belongs to the target, keeping its key, its variables, its job (key, type,
 * retries, worker) and its user task (key, assignee). Nothing is activated
 * or completed by a migration: the instance goes on along the target's flows.
 *
 * Event subscriptions of waiting elements (timers, messages, signals: their
 * own, their boundary events', their event subprocesses') follow the catch
 * events' mappings (migrate-subscriptions.ts), and so do the compensation
 * subscriptions of completed activities (migrate-compensation.ts); tokens
 * waiting at joining gateways follow the gateways' and sequence flows'
 * mappings (migrate-join-tokens.ts).
 */
export function migrateProcessInstance(context: CommandContext, processInstanceKey: number, plan: MigrationPlan): void {
  const { state } = context;
  const processInstance = state.elementInstances.get(processInstanceKey);
  if (processInstance?.type !== 'PROCESS' || processInstance.state !== 'ACTIVATED') {
    throw notFound(`Expected to migrate process instance but no process instance found with key '${processInstanceKey}'`);
  }
  const target = state.definitions.get(plan.targetProcessDefinitionKey);
  if (!target) throw notFound(`Expected to migrate process instance to process definition but no process definition found with key '${plan.targetProcessDefinitionKey}'`);
  const source = state.definition(processInstance.processDefinitionKey).executable;
  const refuse = (what: string) => invalidArgument(`Expected to migrate process instance '${processInstanceKey}' but ${what}`);

  const mapping = new Map<string, string>();
  // Sequence flows may be mapped too, for the tokens they left at joining gateways.
  const sourceFlows = sequenceFlowIds(source);
  const targetFlows = sequenceFlowIds(target.executable);
  for (const { sourceElementId, targetElementId } of plan.mappingInstructions) {
    if (mapping.has(sourceElementId)) throw refuse(`the mapping instructions contain duplicate source element ids '${sourceElementId}'.`);
    if (sourceFlows.has(sourceElementId) !== targetFlows.has(targetElementId) && (sourceFlows.has(sourceElementId) || targetFlows.has(targetElementId))) {
      throw refuse(`the mapping instruction from '${sourceElementId}' to '${targetElementId}' maps a sequence flow and an element onto each other. A sequence flow can only be mapped to a sequence flow.`);
    }
    if (sourceFlows.has(sourceElementId)) {
      mapping.set(sourceElementId, targetElementId);
      continue;
    }
    if (sourceElementId.endsWith(AD_HOC_INNER_INSTANCE_SUFFIX) || targetElementId.endsWith(AD_HOC_INNER_INSTANCE_SUFFIX)) {
      throw refuse(`the mapping instruction from '${sourceElementId}' to '${targetElementId}' names an ad-hoc subprocess's inner instance. Inner instances are migrated with their ad-hoc subprocess; map the ad-hoc subprocess instead.`);
    }
    if (!source.elements.has(sourceElementId)) {
      throw refuse(`mapping instructions contain a non-existing source element id '${sourceElementId}'. Elements provided in mapping instructions must exist in the source process definition.`);
    }
    if (!target.executable.elements.has(targetElementId)) {
      throw refuse(`mapping instructions contain a non-existing target element id '${targetElementId}'. Elements provided in mapping instructions must exist in the target process definition.`);
    }
    mapping.set(sourceElementId, targetElementId);
  }
  // The process instance itself goes to the target process, and an ad-hoc subprocess's inner instances go with it.
  mapping.set(source.bpmnProcessId, target.bpmnProcessId);
  for (const [sourceId, targetId] of [...mapping]) {
    const from = source.elements.get(sourceId);
    const to = target.executable.elements.get(targetId);
    if (from?.type === 'AD_HOC_SUB_PROCESS' && to?.type === 'AD_HOC_SUB_PROCESS') mapping.set(from.innerInstanceId, to.innerInstanceId);
  }

  const active = activeElements(state, processInstance);
  const executor = new BpmnExecutor(context);
  const plans = active.map((instance) => {
    const targetElement = checkElement(state, instance, target.executable, mapping, refuse);
    return {
      instance,
      targetElement,
      plan: planSubscriptions(state, executor.subscriptions, instance, source, target.executable, targetElement, mapping, refuse),
      joinTokens: planJoinTokens(instance, source, target.executable, targetElement, mapping, refuse),
    };
  });
  const compensation = planCompensation(state, processInstanceKey, source, target.executable, mapping, refuse);
  const buffered: BufferedMatch[] = [];
  for (const { instance, targetElement, plan, joinTokens } of plans) {
    context.emit({ type: 'ElementMigrated', key: instance.key, processDefinitionKey: target.key, elementId: targetElement.id });
    applyJoinTokens(context, instance, joinTokens);
    buffered.push(...applySubscriptionPlan(context, executor.subscriptions, instance, target.executable, targetElement, plan, refuse));
  }
  applyCompensationPlan(context, compensation);
  // A new message subscription takes a buffered message once the whole instance is migrated.
  for (const { subscription, message } of buffered) executor.deliver(message, subscription);
}

function checkElement(
  state: EngineState,
  instance: ElementInstance,
  target: ExecutableProcess,
  mapping: ReadonlyMap<string, string>,
  refuse: (what: string) => Error,
): ExecutableElement {
  const targetId = mapping.get(instance.elementId);
  if (targetId === undefined) {
    throw refuse(`no mapping instruction defined for active element with id '${instance.elementId}'. Elements cannot be migrated without a mapping.`);
  }
  const targetElement = target.elements.get(targetId)!;
  const scope = instance.flowScopeKey === undefined ? undefined : state.element(instance.flowScopeKey);
  const inner = scope?.type === 'MULTI_INSTANCE_BODY' && scope.elementId === instance.elementId;
  const targetType = typeAs(targetElement, instance.type === 'MULTI_INSTANCE_BODY');
  if (targetType !== instance.type || (inner && targetElement.type !== 'PROCESS' && !targetElement.multiInstance)) {
    throw refuse(
      `active element with id '${instance.elementId}' and type '${instance.type}' is mapped to an element with id '${targetId}' and different type '${inner ? 'non multi-instance' : targetType}'. Elements must be mapped to elements of the same type.`,
    );
  }
  if (scope && !inner) {
    // What runs in an ad-hoc subprocess's inner instance is, in the model, directly inside the ad-hoc subprocess.
    const scopeId = scope.type === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE' ? scope.elementId.slice(0, -AD_HOC_INNER_INSTANCE_SUFFIX.length) : scope.elementId;
    const expected = mapping.get(scopeId);
    const actual = targetElement.type === 'PROCESS' ? undefined : targetElement.containerId;
    if (expected !== actual) {
      throw refuse(
        `the flow scope of active element with id '${instance.elementId}' is changed. The flow scope of the active element is expected to be '${expected}' but was '${actual}'. The flow scope of an element cannot be changed during migration yet.`,
      );
    }
  }
  return targetElement;
}

/** The type an instance of the target element would have: a multi-instance activity is first its body. */
function typeAs(element: ExecutableElement, asBody: boolean): ElementType {
  if (element.type === 'PROCESS') return 'PROCESS';
  if (asBody && element.multiInstance) return 'MULTI_INSTANCE_BODY';
  return element.type === 'SUB_PROCESS' && element.triggeredByEvent ? 'EVENT_SUB_PROCESS' : element.type;
}

/** The process instance and its active element instances, scopes before what is inside them (called process instances are their own). */
function activeElements(state: EngineState, processInstance: ElementInstance): ElementInstance[] {
  const found: ElementInstance[] = [];
  const visit = (instance: ElementInstance) => {
    found.push(instance);
    for (const childKey of instance.childKeys) visit(state.element(childKey));
  };
  visit(processInstance);
  return found;
}
