import { evaluateFeel, evaluateString, type FeelResult } from '../feel/feel';
import { type BoundaryEventElement, type ExecutableElement, type ExecutableProcess, type WaitTrigger } from '../model/process-model';
import { correlationOf, type ElementInstance, type MessageEntity, type MessageSubscriptionEntity } from '../state/engine-state';
import { scheduleTimer, type TimerSchedule } from '../timers/timer-schedule';
import { type CommandContext } from './command-context';
import { type Variables } from './variables';

/** One thing an element instance waits for, resolved: when a timer fires, or which message it takes. */
type Resolved =
  | { readonly kind: 'timer'; readonly targetElementId: string; readonly dueAt: number; readonly repetitionsLeft: number; readonly cycle?: string }
  | { readonly kind: 'message'; readonly targetElementId: string; readonly messageName: string; readonly correlationKey: string; readonly interrupting: boolean }
  | { readonly kind: 'signal'; readonly targetElementId: string; readonly signalName: string };

export interface Wait {
  readonly targetElementId: string;
  readonly trigger: WaitTrigger;
  readonly interrupting: boolean;
  /** A boundary event's: it belongs to a multi-instance body, not to the inner instances. */
  readonly onBoundary: boolean;
}

/** A buffered message that a newly opened subscription takes at once. */
export interface BufferedMatch {
  readonly subscription: MessageSubscriptionEntity;
  readonly message: MessageEntity;
}

/**
 * The timers, message and signal subscriptions of waiting element instances: a catch
 * event or receive task waits for its own trigger, an event-based gateway for
 * those of the events after it, an activity for those of its boundary events.
 * Opening is all or nothing: every expression is evaluated before anything is
 * written, so a broken one becomes an incident with nothing half-open.
 */
export class Subscriptions {
  constructor(
    private readonly context: CommandContext,
    private readonly variables: Variables,
  ) {}

  private get state() {
    return this.context.state;
  }

  /**
   * What the element waits for: its own trigger (catch events, receive
   * tasks), its event-based gateway's events, its event subprocesses' start
   * events (processes, subprocesses), and its boundary events (`onBoundary`).
   */
  static waitsOf(element: ExecutableElement, process: ExecutableProcess): Wait[] {
    const own = (targetElementId: string, trigger: WaitTrigger, interrupting = true): Wait => ({ targetElementId, trigger, interrupting, onBoundary: false });
    if (element.type === 'INTERMEDIATE_CATCH_EVENT') return 'trigger' in element ? [own(element.id, element.trigger)] : [];
    if (element.type === 'RECEIVE_TASK') return [own(element.id, element.trigger), ...Subscriptions.boundaryWaits(element, process)];
    if (element.type === 'EVENT_BASED_GATEWAY') {
      return element.outgoing.flatMap((flow) => {
        const target = process.elements.get(flow.targetId);
        return (target?.type === 'INTERMEDIATE_CATCH_EVENT' || target?.type === 'RECEIVE_TASK') && 'trigger' in target ? [own(target.id, target.trigger)] : [];
      });
    }
    const eventSubProcesses = element.type === 'PROCESS' || element.type === 'SUB_PROCESS' ? element.eventSubProcessIds : [];
    const starts = eventSubProcesses.flatMap((id) => {
      const subProcess = process.elements.get(id);
      const start = subProcess?.type === 'SUB_PROCESS' ? process.elements.get(subProcess.startEventId) : undefined;
      return start?.type === 'START_EVENT' && start.trigger && start.trigger.kind !== 'error' && start.trigger.kind !== 'escalation' ? [own(id, start.trigger, start.interrupting)] : [];
    });
    return [...starts, ...Subscriptions.boundaryWaits(element, process)];
  }

  private static boundaryWaits(element: ExecutableElement, process: ExecutableProcess): Wait[] {
    return element.boundaryEvents
      .map((id) => process.elements.get(id))
      .filter((b): b is BoundaryEventElement & { trigger: WaitTrigger } => b?.type === 'BOUNDARY_EVENT' && b.trigger.kind !== 'error' && b.trigger.kind !== 'escalation' && b.trigger.kind !== 'compensation')
      .map((b) => ({ targetElementId: b.id, trigger: b.trigger, interrupting: b.interrupting, onBoundary: true }));
  }

  /**
   * Opens what the instance waits for. Returns the buffered messages the new
   * subscriptions take at once (at most one per instance for interrupting waits),
   * or a failure to raise as an incident.
   */
  open(instance: ElementInstance, element: ExecutableElement, process: ExecutableProcess, only?: (targetElementId: string) => boolean): FeelResult<BufferedMatch[]> {
    const waits = this.instanceWaits(instance, element, process).filter((wait) => only?.(wait.targetElementId) ?? true);
    if (waits.length === 0) return { ok: true, value: [] };
    const scope = this.variables.visibleFrom(instance.key);
    const resolved: Resolved[] = [];
    for (const wait of waits) {
      const result = this.resolve(wait.targetElementId, wait.trigger, wait.interrupting, scope);
      if (!result.ok) return result;
      resolved.push(result.value);
    }
    const opened: MessageSubscriptionEntity[] = [];
    for (const wait of resolved) {
      if (wait.kind === 'timer') {
        createTimer(this.context, instance.key, instance.processDefinitionKey, wait.targetElementId, wait);
      } else if (wait.kind === 'signal') {
        this.context.emit({ type: 'SignalSubscriptionCreated', key: this.context.newKey(), ownerKey: instance.key, targetElementId: wait.targetElementId, signalName: wait.signalName });
      } else {
        const key = this.context.newKey();
        this.context.emit({
          type: 'MessageSubscriptionCreated',
          key,
          ownerKey: instance.key,
          targetElementId: wait.targetElementId,
          messageName: wait.messageName,
          correlationKey: wait.correlationKey,
          interrupting: wait.interrupting,
        });
        opened.push(this.state.messageSubscriptions.get(key)!);
      }
    }
    const matches: BufferedMatch[] = [];
    for (const subscription of opened) {
      const message = this.bufferedFor(subscription);
      if (!message) continue;
      matches.push({ subscription, message });
      if (subscription.interrupting) break;
    }
    return { ok: true, value: matches };
  }

  /** What this instance of the element waits for: a multi-instance body for the boundary events, its inner instances only for their own triggers. */
  instanceWaits(instance: ElementInstance, element: ExecutableElement, process: ExecutableProcess): Wait[] {
    const flowScope = instance.flowScopeKey === undefined ? undefined : this.state.elementInstances.get(instance.flowScopeKey);
    const isInner = flowScope?.type === 'MULTI_INSTANCE_BODY' && flowScope.elementId === instance.elementId;
    return Subscriptions.waitsOf(element, process).filter((wait) => {
      if (instance.type === 'MULTI_INSTANCE_BODY') return wait.onBoundary;
      return isInner ? !wait.onBoundary : true;
    });
  }

  /** Closes every timer and message subscription the instance owns. */
  close(instance: ElementInstance): void {
    for (const key of [...(this.state.timersByOwner.get(instance.key) ?? [])]) this.context.emit({ type: 'TimerCanceled', key });
    for (const key of [...(this.state.subscriptionsByOwner.get(instance.key) ?? [])]) this.context.emit({ type: 'MessageSubscriptionDeleted', key });
    for (const key of [...(this.state.signalSubscriptionsByOwner.get(instance.key) ?? [])]) this.context.emit({ type: 'SignalSubscriptionDeleted', key });
  }

  /** The oldest live buffered message for the subscription that has not yet reached its process instance. */
  bufferedFor(subscription: MessageSubscriptionEntity): MessageEntity | undefined {
    for (const key of this.state.messagesByCorrelation.get(correlationOf(subscription.messageName, subscription.correlationKey)) ?? []) {
      const message = this.state.messages.get(key)!;
      // Not one that already reached this process (any instance or version): Zeebe's message cardinality.
      if (message.expiresAt > this.context.now && !message.correlatedInstances.has(subscription.processInstanceKey) && !message.startedProcesses.has(this.state.definitions.get(subscription.processDefinitionKey)?.bpmnProcessId ?? '')) return message;
    }
    return undefined;
  }

  private resolve(targetElementId: string, trigger: WaitTrigger, interrupting: boolean, scope: Record<string, unknown>): FeelResult<Resolved> {
    if (trigger.kind === 'timer') {
      const value = trigger.expression.kind === 'static' ? { ok: true as const, value: trigger.expression.value } : timerText(evaluateFeel(trigger.expression.source, scope));
      if (!value.ok) return value;
      const scheduled = scheduleTimer(trigger.timer, value.value, this.context.now);
      if (!scheduled.ok) return { ok: false, message: scheduled.message };
      return { ok: true, value: { kind: 'timer', targetElementId, ...scheduled.schedule } };
    }
    if (trigger.kind === 'signal') {
      const signalName = evaluateString(trigger.signalName, scope);
      return signalName.ok ? { ok: true, value: { kind: 'signal', targetElementId, signalName: signalName.value } } : signalName;
    }
    const name = evaluateString(trigger.messageName, scope);
    if (!name.ok) return name;
    const key = trigger.correlationKey === undefined ? { ok: true as const, value: '' } : correlationKeyText(trigger.correlationKey, evaluateFeel(trigger.correlationKey, scope));
    if (!key.ok) return key;
    return { ok: true, value: { kind: 'message', targetElementId, messageName: name.value, correlationKey: key.value, interrupting } };
  }
}

/** A FEEL timer value: ISO text, or a FEEL date or duration (which arrive as their ISO text). */
function timerText(result: FeelResult<unknown>): FeelResult<string> {
  if (!result.ok) return result;
  if (typeof result.value === 'string') return { ok: true, value: result.value };
  return { ok: false, message: `Expected the timer expression to yield a date, a duration or a cycle, but it yielded '${JSON.stringify(result.value)}'.` };
}

/** Zeebe takes strings and numbers as correlation keys; numbers as their text. */
function correlationKeyText(source: string, result: FeelResult<unknown>): FeelResult<string> {
  if (!result.ok) return result;
  if (typeof result.value === 'string') return { ok: true, value: result.value };
  if (typeof result.value === 'number') return { ok: true, value: String(result.value) };
  return {
    ok: false,
    message: `Failed to extract the correlation key for '${source}': The value must be either a string or a number, but was '${result.value === null ? 'NULL' : typeof result.value}'.`,
  };
}

/** Opens a timer for an owner element instance, or for a process definition's start event (no owner). */
export function createTimer(context: CommandContext, ownerKey: number | undefined, processDefinitionKey: number, targetElementId: string, schedule: TimerSchedule): void {
  context.emit({
    type: 'TimerCreated',
    key: context.newKey(),
    ownerKey,
    processDefinitionKey,
    targetElementId,
    dueAt: schedule.dueAt,
    repetitionsLeft: Number.isFinite(schedule.repetitionsLeft) ? schedule.repetitionsLeft : -1,
    ...(schedule.cycle ? { cycle: schedule.cycle } : {}),
  });
}
