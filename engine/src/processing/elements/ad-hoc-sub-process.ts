import { evaluateBoolean, evaluateFeel, type FeelResult } from '../../feel/feel';
import { adHocActivityIds, type AdHocSubProcessElement } from '../../model/process-model';
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
 */
export const adHocSubProcess: ElementBehavior<AdHocSubProcessElement> = {
  activate(bpmn, instance, element) {
    const chosen = elementsToActivate(bpmn, instance, element);
    if (!chosen.ok) return bpmn.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', chosen.message);
    if (!bpmn.activated(instance, false)) return;
    // What Zeebe gives the elements inside (an agent reads it to choose): each activity's id and name.
    const activities = adHocActivityIds(bpmn.processOf(instance), element.id).map((id) => ({ elementId: id, elementName: bpmn.processOf(instance).elements.get(id)?.name ?? '' }));
    bpmn.variables.setLocal(instance.key, instance.processInstanceKey, { adHocSubProcessElements: activities });
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
};

/** Activates one of the ad-hoc subprocess's activities inside it, with variables of its own when given. */
export function activateInside(bpmn: BpmnBehaviors, instance: ElementInstance, elementId: string, variables?: VariableDocument): void {
  bpmn.schedule({ kind: 'activate', elementId, flowScopeKey: instance.key, ...(variables ? { localVariables: variables } : {}) });
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
