import { evaluateInteger, evaluateString } from '../feel/feel';
import { type ExecutableElement, type ExecutionListener } from '../model/process-model';
import { type ElementInstance } from '../state/engine-state';
import { type JobListener } from '../state/events';
import { type CommandContext } from './command-context';
import { type Variables } from './variables';

/**
 * Execution listeners (https://docs.camunda.io/docs/components/concepts/execution-listeners/):
 * each is a job of kind EXECUTION_LISTENER the element waits for, one after
 * the other in model order. Start listeners run after the input mappings and
 * before the element's own behaviour; end listeners after the output
 * mappings and before the element is left. The executor calls these hooks;
 * this module knows which listener comes next and creates its job.
 */
export type ListenerEvent = 'start' | 'end';

/** The element's listeners of one event type, in model order. */
export function listenersOf(element: ExecutableElement, instance: ElementInstance, eventType: ListenerEvent): readonly ExecutionListener[] {
  // A multi-instance body has no listeners of its own here: its inner instances run the element's.
  if (instance.type === 'MULTI_INSTANCE_BODY') return [];
  return (element.executionListeners ?? []).filter((listener) => listener.eventType === eventType);
}

/** The headers a listener job carries: the element's, with the listener's own winning on the same key (the page's rule). */
function headersOf(element: ExecutableElement, listener: ExecutionListener): Record<string, string> {
  const elementHeaders = 'headers' in element ? element.headers : {};
  return { ...elementHeaders, ...listener.headers };
}

/**
 * Creates the job of the listener at `index`. A type or retries expression
 * that fails to evaluate is returned as a message (the caller raises the
 * incident; resolving it runs this event type's listeners again from the first).
 */
export function createListenerJob(
  context: CommandContext,
  variables: Variables,
  instance: ElementInstance,
  element: ExecutableElement,
  eventType: ListenerEvent,
  index: number,
  resumeAt?: readonly string[],
): { ok: true } | { ok: false; message: string } {
  const listener = listenersOf(element, instance, eventType)[index]!;
  const scope = variables.visibleFrom(instance.key);
  const jobType = evaluateString(listener.jobType, scope);
  if (!jobType.ok) return jobType;
  const retries = evaluateInteger(listener.retries, scope);
  if (!retries.ok) return retries;
  const tag: JobListener = { kind: 'EXECUTION_LISTENER', eventType: eventType === 'start' ? 'START' : 'END', index, ...(resumeAt ? { resumeAt } : {}) };
  context.emit({
    type: 'JobCreated',
    key: context.newKey(),
    jobType: jobType.value,
    retries: retries.value,
    customHeaders: headersOf(element, listener),
    elementInstanceKey: instance.key,
    time: context.now,
    listener: tag,
  });
  return { ok: true };
}
