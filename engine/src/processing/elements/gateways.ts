import { evaluateBoolean, type FeelResult } from '../../feel/feel';
import { type GatewayElement, type SequenceFlow } from '../../model/process-model';
import { type ElementInstance } from '../../state/engine-state';
import { type BpmnBehaviors, type ElementBehavior } from './element-behavior';

/** Exclusive and inclusive gateways: the flows whose conditions hold (the first one, for exclusive), else the default flow. */
export const conditionalGateway: ElementBehavior<GatewayElement> = {
  activate(bpmn, instance, element) {
    const flows = chooseFlows(bpmn, instance, element);
    if (!flows.ok) return bpmn.raiseIncident(instance, 'CONDITION_ERROR', flows.message);
    bpmn.takeOnCompletion(instance, flows.value);
    bpmn.activated(instance, true);
  },
};

function chooseFlows(bpmn: BpmnBehaviors, instance: ElementInstance, element: GatewayElement): FeelResult<SequenceFlow[]> {
  if (element.outgoing.length <= 1 && element.outgoing.every((f) => f.condition === undefined)) return { ok: true, value: [...element.outgoing] };
  const scope = bpmn.variables.visibleFrom(instance.key);
  const chosen: SequenceFlow[] = [];
  for (const flow of element.outgoing) {
    if (flow.id === element.defaultFlowId || flow.condition === undefined) continue;
    const result = evaluateBoolean(flow.condition, scope);
    if (!result.ok) return result;
    if (result.value) {
      chosen.push(flow);
      if (element.type === 'EXCLUSIVE_GATEWAY') break;
    }
  }
  if (chosen.length > 0) return { ok: true, value: chosen };
  const fallback = element.outgoing.find((f) => f.id === element.defaultFlowId);
  if (fallback) return { ok: true, value: [fallback] };
  return {
    ok: false,
    message: `Expected at least one condition to evaluate to true, or to have a default flow, but no condition of the gateway '${element.id}' was true and it has no default flow.`,
  };
}
