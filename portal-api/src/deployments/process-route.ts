import { evaluateBoolean, evaluateFeel, type FeelResult } from '@claims/engine/src/feel/feel';
import { type ExecutableProcess, type FlowElement, type GatewayElement } from '@claims/engine/src/model/process-model';

/** One step of a replayed route: the element, and what it decided there when it decided something. */
export interface RouteStep {
  readonly elementId: string;
  /** What the analyst reads: the element's name, with the decision's output or the flow a gateway took. */
  readonly label: string;
}

/** Evaluates a decision by id, as the version being replayed would (deployed or candidate). */
export type DecisionEvaluator = (decisionId: string, variables: Record<string, unknown>) => Promise<FeelResult<unknown>>;

/** A route that loops (information requested again and again) stops here: it has shown where it goes. */
const MAX_STEPS = 100;

const WAITS: Partial<Record<FlowElement['type'], string>> = {
  USER_TASK: 'waits for a person',
  RECEIVE_TASK: 'waits for a message',
  INTERMEDIATE_CATCH_EVENT: 'waits for an event',
  EVENT_BASED_GATEWAY: 'waits for an event',
  CALL_ACTIVITY: 'calls another process',
  SUB_PROCESS: 'enters a subprocess',
  PARALLEL_GATEWAY: 'splits in parallel',
  INCLUSIVE_GATEWAY: 'splits in parallel',
};

const nameOf = (element: { id: string; name?: string }) => element.name?.trim() || element.id;

/** The claim process's start: the message start event claims start by, else its none start event. */
function startOf(process: ExecutableProcess, startMessage: string): string | undefined {
  const byMessage = process.process.triggeredStartEventIds.find((id) => {
    const start = process.elements.get(id);
    return start?.type === 'START_EVENT' && start.trigger?.kind === 'message' && start.trigger.messageName.kind === 'static' && start.trigger.messageName.value === startMessage;
  });
  return byMessage ?? (process.process.startEventId || undefined);
}

/**
 * The route a claim takes through a process version as far as the claim's
 * recorded variables decide it: from the start, through job tasks (whose
 * results are what the claim recorded, such as the fraud score), business
 * rule tasks (each decision evaluated by `decide`, its result set as the
 * engine sets it) and exclusive gateways (conditions in order, as the
 * engine chooses, else the default flow), up to the first step that waits for a person or
 * a message, splits, or ends. What happens after such a step depends on
 * what people and clients do, which a replay cannot know; a route that
 * differs before it is one the new version changes.
 */
export async function replayRoute(process: ExecutableProcess, startMessage: string, claimVariables: Record<string, unknown>, decide: DecisionEvaluator): Promise<RouteStep[]> {
  const variables: Record<string, unknown> = { ...claimVariables };
  const steps: RouteStep[] = [];
  let currentId = startOf(process, startMessage);
  if (!currentId) return [{ elementId: process.bpmnProcessId, label: 'no start event a claim can start' }];
  while (currentId && steps.length < MAX_STEPS) {
    const element = process.elements.get(currentId);
    if (!element || element.type === 'PROCESS') break;
    const waits = WAITS[element.type];
    if (waits) {
      steps.push({ elementId: element.id, label: `${nameOf(element)} (${waits})` });
      return steps;
    }
    if (element.type === 'END_EVENT' && !('implementation' in element)) {
      steps.push({ elementId: element.id, label: `${nameOf(element)} (end)` });
      return steps;
    }
    if (element.type === 'BUSINESS_RULE_TASK' && element.implementation === 'decision') {
      const decisionId = element.decisionId.kind === 'static' ? { ok: true as const, value: element.decisionId.value } : evaluateFeel(element.decisionId.source, variables);
      const outcome = decisionId.ok ? await decide(String(decisionId.value), variables) : decisionId;
      if (!outcome.ok) {
        steps.push({ elementId: element.id, label: `${nameOf(element)}: failed (${outcome.message})` });
        return steps;
      }
      variables[element.resultVariable] = outcome.value;
      steps.push({ elementId: element.id, label: `${nameOf(element)}: ${JSON.stringify(outcome.value ?? null)}` });
    } else if (element.type === 'SCRIPT_TASK' && element.implementation === 'feel') {
      const result = evaluateFeel(element.expression, variables);
      if (!result.ok) {
        steps.push({ elementId: element.id, label: `${nameOf(element)}: failed (${result.message})` });
        return steps;
      }
      variables[element.resultVariable] = result.value;
      steps.push({ elementId: element.id, label: `${nameOf(element)}: ${JSON.stringify(result.value ?? null)}` });
    } else if (element.type === 'EXCLUSIVE_GATEWAY' && element.outgoing.length > 1) {
      const chosen = chooseFlow(element, variables);
      if (!chosen.ok) {
        steps.push({ elementId: element.id, label: `${nameOf(element)}: failed (${chosen.message})` });
        return steps;
      }
      const flow = element.outgoing.find((f) => f.id === chosen.value)!;
      steps.push({ elementId: element.id, label: `${nameOf(element)}: ${flow.name?.trim() || flow.id}` });
      currentId = flow.targetId;
      continue;
    } else {
      steps.push({ elementId: element.id, label: nameOf(element) });
    }
    if (element.outgoing.length > 1) {
      // Several flows out of a task run in parallel (BPMN's implicit split).
      steps[steps.length - 1] = { elementId: element.id, label: `${steps[steps.length - 1]!.label} (splits in parallel)` };
      return steps;
    }
    currentId = element.type === 'INTERMEDIATE_THROW_EVENT' && 'linkTargetId' in element && element.linkTargetId ? element.linkTargetId : element.outgoing[0]?.targetId;
  }
  return steps;
}

/** The flow an exclusive gateway takes, as the engine chooses it: the first true condition in model order, else the default. */
function chooseFlow(gateway: GatewayElement, variables: Record<string, unknown>): FeelResult<string> {
  for (const flow of gateway.outgoing) {
    if (flow.id === gateway.defaultFlowId || flow.condition === undefined) continue;
    const result = evaluateBoolean(flow.condition, variables);
    if (!result.ok) return result;
    if (result.value) return { ok: true, value: flow.id };
  }
  if (gateway.defaultFlowId) return { ok: true, value: gateway.defaultFlowId };
  return { ok: false, message: 'no condition was true and there is no default flow' };
}

/** Where two routes part: the index of the first step that differs, or -1 when they are the same. */
export function divergence(before: readonly RouteStep[], after: readonly RouteStep[]): number {
  const length = Math.max(before.length, after.length);
  for (let i = 0; i < length; i++) if (before[i]?.label !== after[i]?.label) return i;
  return -1;
}
