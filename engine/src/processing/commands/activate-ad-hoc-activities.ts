import { adHocActivityIds } from '../../model/process-model';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { activateInside } from '../elements/ad-hoc-sub-process';
import { invalidArgument, invalidState, notFound } from '../rejection';
import { type VariableDocument } from '../variables';

export interface AdHocActivation {
  readonly elementId: string;
  readonly variables?: VariableDocument;
}

/**
 * POST /v2/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation:
 * activates activities of an active ad-hoc subprocess instance, each with
 * its own variables, checked as Zeebe checks them (the instance exists and
 * is an active ad-hoc subprocess, no activity twice, each one of its
 * activities) before anything is activated.
 */
export function activateAdHocActivities(context: CommandContext, adHocSubProcessInstanceKey: number, elements: readonly AdHocActivation[]): void {
  const instance = context.state.elementInstances.get(adHocSubProcessInstanceKey);
  const missing = `Expected to activate activities for ad-hoc sub-process but no ad-hoc sub-process instance found with key '${adHocSubProcessInstanceKey}'.`;
  if (!instance || instance.type !== 'AD_HOC_SUB_PROCESS') throw notFound(missing);
  if (instance.state !== 'ACTIVATED') throw invalidState(`Expected to activate activities for ad-hoc sub-process with key '${adHocSubProcessInstanceKey}', but it is not active.`);
  if (new Set(elements.map((element) => element.elementId)).size !== elements.length) {
    throw invalidArgument(`Expected to activate activities for ad-hoc sub-process with key '${adHocSubProcessInstanceKey}', but duplicate activities were given.`);
  }
  const executor = new BpmnExecutor(context);
  const activities = new Set(adHocActivityIds(executor.processOf(instance), instance.elementId));
  const unknown = elements.map((element) => element.elementId).filter((id) => !activities.has(id));
  if (unknown.length > 0) throw notFound(`Expected to activate activities for ad-hoc sub-process with key '${adHocSubProcessInstanceKey}', but the given elements [${unknown.join(', ')}] do not exist.`);
  for (const element of elements) activateInside(executor, instance, element.elementId, element.variables);
  executor.runScheduled();
}
