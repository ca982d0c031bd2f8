import { type ExecutableElement, type ExecutableProcess } from '../../model/process-model';
import { type CompensationSubscriptionEntity } from '../../state/compensation-subscriptions';
import { type EngineState } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { compensationBoundaryOf } from '../compensation';

/**
 * What a migration does to the compensation subscriptions of a process
 * instance (the completions a compensation throw event can still undo), as
 * Zeebe 8.8's "Compensation boundary events" says
 * (https://docs.camunda.io/docs/components/concepts/process-instance-migration/#compensation-boundary-events):
 * like other catch events, a compensation boundary event that is mapped keeps
 * its subscription, now for the target boundary event's activity and handler;
 * one that is not mapped loses it; a compensation boundary event the target
 * adds opens none for an activity that already completed (an active one gets
 * its subscription from the target when it completes, as any completion does).
 *
 * A completed subprocess (or multi-instance body) that carries subscriptions
 * of the activities inside it, and has no handler of its own, keeps its own as
 * long as one inside it is kept: by its mapping, else by the same id in the
 * target. Subscriptions already triggered (their handlers run now, as active
 * elements that are mapped like any other) finish as they are.
 */
export interface CompensationPlan {
  readonly migrate: readonly { readonly key: number; readonly activityId: string; readonly handlerId?: string }[];
  readonly remove: readonly number[];
}

export function planCompensation(
  state: EngineState,
  processInstanceKey: number,
  source: ExecutableProcess,
  target: ExecutableProcess,
  mapping: ReadonlyMap<string, string>,
  refuse: (what: string) => Error,
): CompensationPlan {
  // Oldest first: what completed inside a subprocess comes before the subprocess's own.
  const open = state.compensationSubscriptions.ofProcessInstance(processInstanceKey).filter((s) => s.throwEventInstanceKey === undefined);
  const kept = new Map<number, { activityId: string; handlerId?: string }>();
  const removed = new Set<number>();
  const targetBoundaryOf = new Map<string, string>();
  for (const subscription of open) {
    const decided = subscription.handlerId === undefined ? carrier(subscription) : withHandler(subscription);
    if (decided) kept.set(subscription.key, decided);
    else removed.add(subscription.key);
  }

  function withHandler(subscription: CompensationSubscriptionEntity): { activityId: string; handlerId: string } | undefined {
    const boundaryId = compensationBoundaryOf(source, source.elements.get(subscription.activityId)!);
    const mappedTo = boundaryId === undefined ? undefined : mapping.get(boundaryId);
    if (mappedTo === undefined) return undefined;
    const boundary = target.elements.get(mappedTo)!;
    if (boundary.type !== 'BOUNDARY_EVENT' || boundary.trigger.kind !== 'compensation') {
      throw refuse(`compensation boundary event with id '${boundaryId}' is mapped to '${mappedTo}', which is not a compensation boundary event. A catch event cannot be mapped to a different type of catch event.`);
    }
    const activityTarget = mapping.get(subscription.activityId);
    if (activityTarget !== undefined && activityTarget !== boundary.attachedToId) {
      throw refuse(
        `compensation boundary event with id '${boundaryId}' of activity '${subscription.activityId}' is mapped to '${mappedTo}', which is not attached to '${activityTarget}', the activity's own target. A mapping instruction cannot detach a catch event from its activity.`,
      );
    }
    const earlier = targetBoundaryOf.get(mappedTo);
    if (earlier !== undefined && earlier !== boundaryId) {
      throw refuse(`the compensation boundary events with ids '${earlier}' and '${boundaryId}' are both mapped to '${mappedTo}'. Two catch events cannot be mapped to the same catch event.`);
    }
    targetBoundaryOf.set(mappedTo, boundaryId!);
    return { activityId: boundary.attachedToId, handlerId: boundary.trigger.handlerId };
  }

  function carrier(subscription: CompensationSubscriptionEntity): { activityId: string } | undefined {
    if (!open.some((inner) => inner.scopeKey === subscription.activityInstanceKey && kept.has(inner.key))) return undefined;
    const sourceElement = source.elements.get(subscription.activityId)!;
    const targetId = mapping.get(subscription.activityId) ?? subscription.activityId;
    const targetElement = target.elements.get(targetId);
    if (!targetElement || !sameKind(sourceElement, targetElement)) {
      throw refuse(
        `the completed ${sourceElement.type === 'SUB_PROCESS' ? 'subprocess' : 'multi-instance activity'} with id '${subscription.activityId}' holds activities that can still be compensated, and the target has no element of its kind with id '${targetId}'. Map it to one.`,
      );
    }
    return { activityId: targetId };
  }

  // A subscription inside one that is removed can no longer be reached by a throw event: it goes too (newest, outermost, first).
  for (const subscription of [...open].reverse()) {
    if (removed.has(subscription.key)) continue;
    const around = open.find((s) => s.activityInstanceKey === subscription.scopeKey);
    if (around && removed.has(around.key)) {
      removed.add(subscription.key);
      kept.delete(subscription.key);
    }
  }

  // The flow scope of a kept activity cannot change, as for active elements.
  for (const subscription of open) {
    const moved = kept.get(subscription.key);
    if (!moved) continue;
    const expected = scopeTargetOf(subscription);
    const targetElement = target.elements.get(moved.activityId)!;
    const actual = expected.isBody ? moved.activityId : targetElement.type === 'PROCESS' ? undefined : targetElement.containerId;
    if (actual !== expected.id) {
      throw refuse(
        `the flow scope of completed activity with id '${subscription.activityId}', which can still be compensated, is changed. Its flow scope is expected to be '${expected.id}' but was '${actual}'. The flow scope of an element cannot be changed during migration.`,
      );
    }
  }

  /**
   * The target element id of a subscription's flow scope (an active scope's
   * mapping, or a completed carrier's new id), and whether that scope is a
   * multi-instance body, whose inner instances are of its own element.
   */
  function scopeTargetOf(subscription: CompensationSubscriptionEntity): { id: string | undefined; isBody: boolean } {
    const active = state.elementInstances.get(subscription.scopeKey);
    if (active) return { id: mapping.get(active.elementId), isBody: active.type === 'MULTI_INSTANCE_BODY' };
    const around = open.find((s) => s.activityInstanceKey === subscription.scopeKey);
    if (!around) return { id: undefined, isBody: false };
    const element = source.elements.get(around.activityId);
    const isBody = around.activityId === subscription.activityId && element?.type !== 'PROCESS' && element?.multiInstance !== undefined;
    return { id: kept.get(around.key)?.activityId, isBody };
  }

  return {
    migrate: [...kept].map(([key, moved]) => ({ key, ...moved })),
    remove: [...removed],
  };
}

export function applyCompensationPlan(context: CommandContext, plan: CompensationPlan): void {
  for (const { key, activityId, handlerId } of plan.migrate) {
    context.emit({ type: 'CompensationSubscriptionMigrated', key, activityId, ...(handlerId !== undefined ? { handlerId } : {}) });
  }
  for (const key of plan.remove) context.emit({ type: 'CompensationSubscriptionDeleted', key });
}

/** A completed scope carrying subscriptions maps to one of its kind: a subprocess to a subprocess, a multi-instance activity to one. */
function sameKind(source: ExecutableElement, target: ExecutableElement): boolean {
  if (source.type === 'PROCESS' || target.type === 'PROCESS') return false;
  return source.type === target.type && (source.multiInstance === undefined) === (target.multiInstance === undefined);
}
