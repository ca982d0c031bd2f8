import { evaluateBoolean, evaluateFeel, type FeelResult } from '../../feel/feel';
import { adHocActivityIds, type AdHocInnerInstanceElement, type AdHocSubProcessElement } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { type VariableDocument } from '../variables';
import { type BpmnBehaviors, type ElementBehavior } from './element-behavior';

/**
 * An ad-hoc subprocess (https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/),
 * as Zeebe runs it itself: on activation it activates the inner elements its
 * `activeElementsCollection` names (none when it has no expression), and
 * each time a path inside ends it judges whether it is done. Without a
 * completion condition it completes once nothing inside is active; with one,
 * it completes when the condition holds, first ending what is still active
 * when `cancelRemainingInstances` (else once that has ended too). While it
 * is not done it waits, and more elements can be activated through
 * `POST /v2/element-instances/ad-hoc-activities/{key}/activation`.
 * Each activated element runs in an inner instance of its own (see
 * AdHocInnerInstanceElement); when one ends, its `outputElement` is
 * appended to the `outputCollection`, a local variable that reaches the
 * parent scope as the ad-hoc subprocess completes.
 */
export const adHocSubProcess: ElementBehavior<AdHocSubProcessElement> = {
  activate(bpmn, instance, element) {
    const chosen = elementsToActivate(bpmn, instance, element);
    if (!chosen.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', chosen.message);
    if (!bpmn.activated(instance, false)) return;
    // What Zeebe gives the elements inside (an agent reads it to choose): each activity's id and name.
    const activities = adHocActivityIds(bpmn.processOf(instance), element.id).map((id) => ({ elementId: id, elementName: bpmn.processOf(instance).elements.get(id)?.name ?? '' }));
    bpmn.variables.setLocal(instance.key, instance.processInstanceKey, { adHocSubProcessElements: activities, ...(element.outputCollection ? { [element.outputCollection]: [] } : {}) });
    for (const elementId of chosen.value) activateInside(bpmn, instance, elementId);
  },

  childEnded(bpmn, instance, element) {
    if (!element.completionCondition) {
      if (instance.childKeys.size === 0) bpmn.schedule({ kind: 'complete', key: instance.key });
      return;
    }
    const done = evaluateBoolean(element.completionCondition, bpmn.variables.visibleFrom(instance.key));
    if (!done.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', `Failed to evaluate completion condition. ${done.message}`);
    if (!done.value) return;
    if (element.cancelRemainingInstances) for (const childKey of [...instance.childKeys]) bpmn.terminate(bpmn.state.element(childKey));
    if (instance.childKeys.size === 0) bpmn.schedule({ kind: 'complete', key: instance.key });
  },

  completing(bpmn, instance, element) {
    // The collected output reaches the parent scope as variables do (to the scope that has it, else the process).
    if (element.outputCollection) bpmn.variables.merge(instance.flowScopeKey!, instance.processInstanceKey, { [element.outputCollection]: bpmn.variables.local(instance.key)[element.outputCollection] ?? [] });
  },
};

/** An inner instance is created with the element it runs (activateInside), never activated on its own. */
export const adHocInnerInstance: ElementBehavior<AdHocInnerInstanceElement> = {
  activate() {
    throw new Error('Bug: an inner instance of an ad-hoc subprocess is created by activateInside, not activated');
  },
};

/**
 * Activates one of the ad-hoc subprocess's activities inside it, in an inner
 * instance of its own holding the activation's variables and, when the output
 * element names a variable, that variable set to null (so what the path writes
 * to it stays in the path, as Zeebe does).
 */
export function activateInside(bpmn: BpmnBehaviors, instance: ElementInstance, elementId: string, variables?: VariableDocument): void {
  const inner = openInnerInstance(bpmn, instance, variables);
  bpmn.schedule({ kind: 'activate', elementId, flowScopeKey: inner.key });
}

/** A new inner instance of the ad-hoc subprocess, active and empty (a modification then opens what it activates inside it). */
export function openInnerInstance(bpmn: BpmnBehaviors, instance: ElementInstance, variables?: VariableDocument): ElementInstance {
  const element = bpmn.elementOfInstance(instance) as AdHocSubProcessElement;
  const key = bpmn.context.newKey();
  bpmn.context.emit({
    type: 'ElementActivating',
    key,
    elementId: element.innerInstanceId,
    elementType: 'AD_HOC_SUB_PROCESS_INNER_INSTANCE',
    processInstanceKey: instance.processInstanceKey,
    processDefinitionKey: instance.processDefinitionKey,
    flowScopeKey: instance.key,
    time: bpmn.context.now,
  });
  bpmn.context.emit({ type: 'ElementActivated', key });
  const inner = bpmn.state.element(key);
  const outputVariable = element.outputElement?.trim();
  const locals: VariableDocument = { ...(outputVariable && /^[A-Za-z_]\w*$/.test(outputVariable) ? { [outputVariable]: null } : {}), ...variables };
  if (Object.keys(locals).length > 0) bpmn.variables.setLocal(key, instance.processInstanceKey, locals);
  return inner;
}

/** As a path's inner instance completes (before its variables leave memory): its output element, appended to the collection. */
export function collectAdHocOutput(bpmn: BpmnBehaviors, inner: ElementInstance): FeelResult<true> {
  const adHoc = bpmn.state.element(inner.flowScopeKey!);
  const element = bpmn.elementOfInstance(adHoc) as AdHocSubProcessElement;
  if (!element.outputCollection || !element.outputElement) return { ok: true, value: true };
  const value = evaluateFeel(element.outputElement, bpmn.variables.visibleFrom(inner.key));
  if (!value.ok) return { ok: false, message: `Failed to collect the output of the ad-hoc subprocess '${element.id}'. ${value.message}` };
  // Absent when a modification created the ad-hoc subprocess (it was not activated, so nothing set it).
  const current = bpmn.variables.local(adHoc.key)[element.outputCollection] ?? [];
  if (!Array.isArray(current)) return { ok: false, message: `The output collection '${element.outputCollection}' has the wrong type. Expected a list but was '${JSON.stringify(current)}'.` };
  bpmn.variables.setLocal(adHoc.key, adHoc.processInstanceKey, { [element.outputCollection]: [...(current as unknown[]), value.value] });
  return { ok: true, value: true };
}

/** The ids `activeElementsCollection` names, each an activity of this ad-hoc subprocess (Zeebe's messages when not). */
function elementsToActivate(bpmn: BpmnBehaviors, instance: ElementInstance, element: AdHocSubProcessElement): FeelResult<string[]> {
  if (!element.activeElementsCollection) return { ok: true, value: [] };
  const found = evaluateFeel(element.activeElementsCollection, bpmn.variables.visibleFrom(instance.key));
  if (!found.ok) return { ok: false, message: `Failed to activate ad-hoc elements. ${found.message}` };
  const ids = found.value;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
    return { ok: false, message: `Failed to activate ad-hoc elements. Expected result of the expression '${element.activeElementsCollection}' to be 'ARRAY' of 'STRING', but was '${JSON.stringify(ids)}'.` };
  }
  const activities = new Set(adHocActivityIds(bpmn.processOf(instance), element.id));
  const unknown = (ids as string[]).filter((id) => !activities.has(id));
  if (unknown.length > 0) return { ok: false, message: `Failed to activate ad-hoc elements. No BPMN elements found with ids: ${unknown.map((id) => `'${id}'`).join(', ')}.` };
  return { ok: true, value: ids as string[] };
}
