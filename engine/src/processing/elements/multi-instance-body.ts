import { evaluateBoolean, evaluateFeel, type FeelResult } from '../../feel/feel';
import { type FlowElement, type MultiInstance } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { type VariableDocument } from '../variables';
import { type BpmnBehaviors } from './element-behavior';

/**
 * The multi-instance body around an activity with loop characteristics: it
 * holds the boundary events and the output collection, and runs one inner
 * instance of the activity per item (all at once, or one after another).
 */
export const multiInstanceBody = {
  /**
   * Evaluates the input collection, opens the boundary events, prepares the
   * output collection, and starts the inner instances (all of them, or the
   * first when sequential).
   */
  activate(bpmn: BpmnBehaviors, body: ElementInstance, element: FlowElement): void {
    const loop = element.multiInstance!;
    const items = inputItems(bpmn, body, loop);
    if (!items.ok) return bpmn.raiseIncident(body, 'EXTRACT_VALUE_ERROR', items.message);
    if (!bpmn.activated(body, false)) return;
    if (loop.outputCollection) bpmn.variables.setLocal(body.key, body.processInstanceKey, { [loop.outputCollection]: items.value.map(() => null) });
    if (items.value.length === 0) {
      bpmn.schedule({ kind: 'complete', key: body.key });
      return;
    }
    const count = loop.sequential ? 1 : items.value.length;
    for (let index = 0; index < count; index++) activateInner(bpmn, body, element, loop, items.value, index);
  },

  /** Writes an inner instance's output element into its slot of the body's output collection. */
  collectOutput(bpmn: BpmnBehaviors, inner: ElementInstance, body: ElementInstance, loop: MultiInstance): FeelResult<true> {
    const value = evaluateFeel(loop.outputElement!, bpmn.variables.visibleFrom(inner.key));
    if (!value.ok) return value;
    const counter = bpmn.variables.local(inner.key).loopCounter;
    const collection = [...((bpmn.variables.local(body.key)[loop.outputCollection!] as unknown[] | undefined) ?? [])];
    if (typeof counter === 'number') collection[counter - 1] = value.value;
    bpmn.variables.setLocal(body.key, body.processInstanceKey, { [loop.outputCollection!]: collection });
    return { ok: true, value: true };
  },

  /** After an inner instance: the completion condition may end the body; else the next item (sequential) or the last one done. */
  innerCompleted(bpmn: BpmnBehaviors, body: ElementInstance, loopCounter: number): void {
    const element = bpmn.elementOfInstance(body) as FlowElement;
    const loop = element.multiInstance!;
    if (loop.completionCondition) {
      const done = evaluateBoolean(loop.completionCondition, bpmn.variables.visibleFrom(body.key));
      if (!done.ok) return bpmn.raiseIncident(body, 'CONDITION_ERROR', done.message);
      if (done.value) {
        for (const childKey of [...body.childKeys]) bpmn.terminate(bpmn.state.element(childKey));
        bpmn.schedule({ kind: 'complete', key: body.key });
        return;
      }
    }
    if (loop.sequential) {
      const items = inputItems(bpmn, body, loop);
      if (!items.ok) return bpmn.raiseIncident(body, 'EXTRACT_VALUE_ERROR', items.message);
      if (loopCounter < items.value.length) return activateInner(bpmn, body, element, loop, items.value, loopCounter);
    }
    if (body.childKeys.size === 0) bpmn.schedule({ kind: 'complete', key: body.key });
  },

  /** The body's own variables (its output collection) reach the flow scope; then its flows are taken. */
  complete(bpmn: BpmnBehaviors, body: ElementInstance, element: FlowElement): void {
    const local = bpmn.variables.local(body.key);
    if (Object.keys(local).length > 0) bpmn.variables.merge(body.flowScopeKey!, body.processInstanceKey, local);
    bpmn.subscriptions.close(body);
    bpmn.compensation.completed(body, element, false);
    bpmn.context.emit({ type: 'ElementCompleted', key: body.key, time: bpmn.context.now });
    if (element.forCompensation === true) bpmn.compensation.handlerCompleted(body);
    for (const flow of element.outgoing) bpmn.takeFlow(flow, body.flowScopeKey!);
    if (element.outgoing.length === 0) bpmn.schedule({ kind: 'childEnded', scopeKey: body.flowScopeKey! });
  },
};

function inputItems(bpmn: BpmnBehaviors, body: ElementInstance, loop: MultiInstance): FeelResult<unknown[]> {
  const result = evaluateFeel(loop.inputCollection, bpmn.variables.visibleFrom(body.key));
  if (!result.ok) return result;
  if (!Array.isArray(result.value)) {
    return { ok: false, message: `Expected result of the expression '${loop.inputCollection}' to be 'ARRAY', but was '${JSON.stringify(result.value)}'.` };
  }
  return { ok: true, value: result.value as unknown[] };
}

function activateInner(bpmn: BpmnBehaviors, body: ElementInstance, element: FlowElement, loop: MultiInstance, items: readonly unknown[], index: number): void {
  const locals: VariableDocument = { loopCounter: index + 1 };
  if (loop.inputElement) locals[loop.inputElement] = items[index];
  // As Zeebe does: an output element that names a variable gets a local one on each inner
  // instance, so the results of parallel instances do not overwrite each other further out.
  if (loop.outputElement && /^[A-Za-z_]\w*$/.test(loop.outputElement.trim())) locals[loop.outputElement.trim()] = null;
  bpmn.schedule({ kind: 'activate', elementId: element.id, flowScopeKey: body.key, localVariables: locals });
}
