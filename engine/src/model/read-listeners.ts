import { expressionOf } from '../feel/feel';
import { type ExecutionListener, type TaskListener } from './process-model';

/** A moddle element as bpmn-moddle hands it out (the part the listener reader needs). */
interface ModdleLike {
  readonly $type: string;
  readonly id?: string;
  readonly [property: string]: unknown;
}

type Problem = (elementId: string | undefined, message: string) => void;
type CheckFeel = (elementId: string | undefined, raw: string) => void;

const EXECUTION_LISTENERS_PAGE = 'https://docs.camunda.io/docs/components/concepts/execution-listeners/';
const GATEWAYS = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:ParallelGateway', 'bpmn:EventBasedGateway']);

/**
 * Reads `zeebe:executionListeners` of an element or process, refusing what
 * Camunda 8.8 refuses (the page's limitations): start listeners on start and
 * boundary events, end listeners on gateways and error end events, and two
 * listeners with the same event type and job type.
 */
export function readExecutionListeners(element: ModdleLike, problem: Problem, checkFeel: CheckFeel): { executionListeners?: ExecutionListener[] } {
  const container = extensionsOf(element).find((e) => e.$type === 'zeebe:ExecutionListeners');
  const found = list(container?.listeners);
  if (found.length === 0) return {};
  const id = element.id;
  const listeners: ExecutionListener[] = [];
  const seen = new Set<string>();
  for (const listener of found) {
    const eventType = text(listener.eventType) || 'start';
    const typeSource = text(listener.type).trim();
    const retries = text(listener.retries).trim() || '3';
    if (eventType !== 'start' && eventType !== 'end') {
      problem(id, `Expected an execution listener's event type to be 'start' or 'end', but found '${eventType}'.`);
      continue;
    }
    if (!typeSource) {
      problem(id, 'Expected every execution listener to have a job type, but one has none.');
      continue;
    }
    if (seen.has(`${eventType}/${typeSource}`)) {
      problem(id, `Expected execution listeners to have unique combinations of event type and job type, but '${eventType}' with '${typeSource}' is defined twice (${EXECUTION_LISTENERS_PAGE}).`);
    }
    seen.add(`${eventType}/${typeSource}`);
    const unsupported = unsupportedReason(element, eventType);
    if (unsupported) problem(id, `${unsupported} (${EXECUTION_LISTENERS_PAGE}).`);
    if (typeSource.startsWith('=')) checkFeel(id, typeSource);
    if (retries.startsWith('=')) checkFeel(id, retries);
    else if (!/^\d+$/.test(retries)) problem(id, `Expected the execution listener's retries to be a whole number or an expression, but found '${retries}'.`);
    const headers: Record<string, string> = {};
    for (const header of list((listener.headers as ModdleLike | undefined)?.values)) headers[text(header.key)] = text(header.value);
    listeners.push({ eventType, jobType: expressionOf(typeSource), retries: expressionOf(retries), headers });
  }
  return { executionListeners: listeners };
}

const TASK_LISTENERS_PAGE = 'https://docs.camunda.io/docs/components/concepts/user-task-listeners/';
/** Camunda 8.8's event names, and the names earlier versions used for the same events. */
const TASK_EVENTS: Readonly<Record<string, TaskListener['eventType']>> = { creating: 'creating', create: 'creating', assigning: 'assigning', updating: 'updating', update: 'updating', assignment: 'assigning', completing: 'completing', complete: 'completing' };

/** Reads `zeebe:taskListeners` of a user task; events the engine does not run yet (canceling) are refused by name. */
export function readTaskListeners(element: ModdleLike, problem: Problem, checkFeel: CheckFeel): { taskListeners?: TaskListener[] } {
  const found = list(extensionsOf(element).find((e) => e.$type === 'zeebe:TaskListeners')?.listeners);
  if (found.length === 0) return {};
  const id = element.id;
  const listeners: TaskListener[] = [];
  for (const listener of found) {
    const name = text(listener.eventType);
    const eventType = TASK_EVENTS[name];
    const typeSource = text(listener.type).trim();
    const retries = text(listener.retries).trim() || '3';
    if (!eventType) {
      problem(id, `The user task listener event type '${name}' is not supported yet; 'creating', 'assigning', 'updating' and 'completing' are (${TASK_LISTENERS_PAGE}).`);
      continue;
    }
    if (!typeSource) {
      problem(id, 'Expected every user task listener to have a job type, but one has none.');
      continue;
    }
    if (typeSource.startsWith('=')) checkFeel(id, typeSource);
    if (retries.startsWith('=')) checkFeel(id, retries);
    else if (!/^\d+$/.test(retries)) problem(id, `Expected the user task listener's retries to be a whole number or an expression, but found '${retries}'.`);
    listeners.push({ eventType, jobType: expressionOf(typeSource), retries: expressionOf(retries) });
  }
  return { taskListeners: listeners };
}

function unsupportedReason(element: ModdleLike, eventType: 'start' | 'end'): string | undefined {
  const definitions = list(element.eventDefinitions);
  if (eventType === 'start' && element.$type === 'bpmn:StartEvent') return 'Start events do not support start execution listeners; use those of the process or subprocess';
  if (eventType === 'start' && element.$type === 'bpmn:BoundaryEvent') return 'Boundary events do not support start execution listeners; use those of the activity they are attached to';
  if (eventType === 'end' && GATEWAYS.has(element.$type)) return 'Gateways do not support end execution listeners; use start listeners of the element after the gateway';
  if (eventType === 'end' && element.$type === 'bpmn:EndEvent' && definitions.some((d) => d.$type === 'bpmn:ErrorEventDefinition')) {
    return 'Error end events do not support end execution listeners; use those of the error catch event';
  }
  return undefined;
}

function list(value: unknown): ModdleLike[] {
  return Array.isArray(value) ? (value as ModdleLike[]) : [];
}

function extensionsOf(element: ModdleLike): ModdleLike[] {
  return list((element.extensionElements as ModdleLike | undefined)?.values);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
