import { type ExecutableElement, type ExecutableProcess } from '../../model/process-model';
import { type ElementInstance, type EngineState } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { type BufferedMatch, type Subscriptions, type Wait } from '../subscriptions';

/**
 * What migration does to the event subscriptions of one active element, as
 * Zeebe 8.8's "Dealing with catch events" says
 * (https://docs.camunda.io/docs/components/concepts/process-instance-migration/#dealing-with-catch-events):
 * a mapped catch event keeps its subscription (key, due date, message name
 * and correlation key), one not mapped is closed, and one of the target
 * that no mapping points at is opened.
 */
export interface SubscriptionPlan {
  readonly migrate: readonly { readonly subscription: 'timer' | 'message' | 'signal'; readonly key: number; readonly wait: Wait }[];
  readonly close: readonly { readonly subscription: 'timer' | 'message' | 'signal'; readonly key: number }[];
  /** Target catch events (their subscription's target element ids) to open. */
  readonly open: ReadonlySet<string>;
}

type Owned = { readonly subscription: 'timer' | 'message' | 'signal'; readonly key: number; readonly targetElementId: string };

/** Checks the catch-event mappings of one active element against Zeebe's limitations and plans its subscriptions. */
export function planSubscriptions(
  state: EngineState,
  subscriptions: Subscriptions,
  instance: ElementInstance,
  source: ExecutableProcess,
  target: ExecutableProcess,
  targetElement: ExecutableElement,
  mapping: ReadonlyMap<string, string>,
  refuse: (what: string) => Error,
): SubscriptionPlan {
  // The target's waits as the migrated instance will have them (a body's boundary events, an inner instance's own trigger).
  const targetWaits = subscriptions.instanceWaits(instance, targetElement, target);
  const byCatchId = new Map(targetWaits.map((wait) => [catchIdOf(target, wait.targetElementId), wait]));
  const owned: Owned[] = [
    ...[...(state.timersByOwner.get(instance.key) ?? [])].map((key) => ({ subscription: 'timer' as const, key, targetElementId: state.timers.get(key)!.targetElementId })),
    ...[...(state.subscriptionsByOwner.get(instance.key) ?? [])].map((key) => ({ subscription: 'message' as const, key, targetElementId: state.messageSubscriptions.get(key)!.targetElementId })),
    ...[...(state.signalSubscriptionsByOwner.get(instance.key) ?? [])].map((key) => ({ subscription: 'signal' as const, key, targetElementId: state.signalSubscriptions.get(key)!.targetElementId })),
  ];
  const migrate: SubscriptionPlan['migrate'][number][] = [];
  const close: SubscriptionPlan['close'][number][] = [];
  const taken = new Set<string>();
  for (const item of owned) {
    // A catch event or receive task waits for its own trigger: it follows its element's mapping.
    const sourceCatchId = catchIdOf(source, item.targetElementId);
    const mappedTo = item.targetElementId === instance.elementId ? targetElement.id : mapping.get(sourceCatchId);
    if (mappedTo === undefined) {
      close.push(item);
      continue;
    }
    const wait = byCatchId.get(mappedTo);
    if (!wait) {
      throw refuse(
        `catch event with id '${sourceCatchId}' of active element with id '${instance.elementId}' is mapped to '${mappedTo}', which is not a catch event of the target element '${targetElement.id}'. A mapping instruction cannot detach a catch event from an active element.`,
      );
    }
    if (wait.trigger.kind !== item.subscription) {
      throw refuse(`catch event with id '${sourceCatchId}' waits for a ${item.subscription} but is mapped to '${mappedTo}', which waits for a ${wait.trigger.kind}. A catch event cannot be mapped to a different type of catch event.`);
    }
    if (taken.has(mappedTo)) throw refuse(`the catch event with id '${mappedTo}' is the target of more than one mapping instruction. Each catch event can only be the target of one.`);
    taken.add(mappedTo);
    migrate.push({ subscription: item.subscription, key: item.key, wait });
  }
  const open = new Set(targetWaits.filter((wait) => !taken.has(catchIdOf(target, wait.targetElementId))).map((wait) => wait.targetElementId));
  return { migrate, close, open };
}

/**
 * Carries out the plan once the element instance belongs to the target.
 * Returns the buffered messages newly opened subscriptions take, or throws
 * the refusal when a new subscription's expression fails (nothing is kept).
 */
export function applySubscriptionPlan(
  context: CommandContext,
  subscriptions: Subscriptions,
  instance: ElementInstance,
  target: ExecutableProcess,
  targetElement: ExecutableElement,
  plan: SubscriptionPlan,
  refuse: (what: string) => Error,
): BufferedMatch[] {
  for (const { subscription, key, wait } of plan.migrate) {
    context.emit({ type: 'EventSubscriptionMigrated', subscription, key, processDefinitionKey: instance.processDefinitionKey, targetElementId: wait.targetElementId, interrupting: wait.interrupting });
  }
  for (const { subscription, key } of plan.close) {
    if (subscription === 'timer') context.emit({ type: 'TimerCanceled', key });
    else if (subscription === 'message') context.emit({ type: 'MessageSubscriptionDeleted', key });
    else context.emit({ type: 'SignalSubscriptionDeleted', key });
  }
  if (plan.open.size === 0) return [];
  const opened = subscriptions.open(instance, targetElement, target, (targetElementId) => plan.open.has(targetElementId));
  if (!opened.ok) throw refuse(`a catch event of the target element with id '${targetElement.id}' could not be opened: ${opened.message}`);
  return opened.value;
}

/** The id a mapping instruction names a catch event by: an event subprocess's is its start event's. */
function catchIdOf(process: ExecutableProcess, targetElementId: string): string {
  const element = process.elements.get(targetElementId);
  return element?.type === 'SUB_PROCESS' && element.triggeredByEvent ? element.startEventId : targetElementId;
}
