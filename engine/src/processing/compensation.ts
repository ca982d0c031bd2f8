import { type CompensationThrowElement, type ExecutableElement, type ExecutableProcess } from '../model/process-model';
import { type CompensationSubscriptionEntity } from '../state/compensation-subscriptions';
import { type ElementInstance } from '../state/engine-state';
import { type BpmnBehaviors } from './elements/element-behavior';

/**
 * Compensation as Zeebe 8.8 runs it
 * (https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/,
 * https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/):
 *
 * - a completed activity with a compensation boundary event leaves a
 *   subscription, once per completion; so does a completed subprocess (or
 *   multi-instance body) with such subscriptions inside it;
 * - a compensation throw or end event triggers the subscriptions of its scope
 *   (an event subprocess's: the scope around it) not yet triggered, and those
 *   inside the completed subprocesses among them, or only those of the
 *   activity it names; each handler runs once per subscription, in the throw
 *   event's flow scope, all at once (newest completion first: the docs promise
 *   no order), and the throw event waits until every one completed;
 * - active and terminated activities are not compensated, nor anything inside
 *   a called process; the subscriptions go when the process instance ends.
 */
export class Compensation {
  constructor(private readonly bpmn: BpmnBehaviors) {}

  /** Called as an element instance completes (before it leaves memory): it may leave a subscription. */
  completed(instance: ElementInstance, element: ExecutableElement, isInner: boolean): void {
    if (instance.type === 'PROCESS' || instance.flowScopeKey === undefined) return;
    // An inner instance's boundary events belong to its multi-instance body.
    const handlerId = isInner ? undefined : handlerOf(this.bpmn.processOf(instance), element);
    const isScope = instance.type === 'SUB_PROCESS' || instance.type === 'AD_HOC_SUB_PROCESS' || instance.type === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE' || instance.type === 'MULTI_INSTANCE_BODY';
    const inside = isScope && this.untriggered(instance.processInstanceKey).some((s) => s.scopeKey === instance.key);
    if (handlerId === undefined && !inside) return;
    this.bpmn.context.emit({
      type: 'CompensationSubscriptionCreated',
      key: this.bpmn.context.newKey(),
      processInstanceKey: instance.processInstanceKey,
      activityId: instance.elementId,
      activityInstanceKey: instance.key,
      scopeKey: instance.flowScopeKey,
      ...(handlerId !== undefined ? { handlerId } : {}),
    });
  }

  /**
   * A compensation throw or end event: triggers what it compensates and
   * returns whether it must wait (false: nothing to compensate, it goes on).
   */
  throw(instance: ElementInstance, element: CompensationThrowElement): boolean {
    const scope = this.bpmn.state.element(instance.flowScopeKey!);
    const scopeKey = scope.type === 'EVENT_SUB_PROCESS' ? scope.flowScopeKey! : scope.key;
    const open = this.untriggered(instance.processInstanceKey);
    const top = open.filter((s) => s.scopeKey === scopeKey && (element.compensation.activityId === undefined || s.activityId === element.compensation.activityId));
    if (top.length === 0) return false;
    const triggered: CompensationSubscriptionEntity[] = [];
    const descend = (subscriptions: readonly CompensationSubscriptionEntity[]): void => {
      // Newest completion first.
      for (const subscription of [...subscriptions].reverse()) {
        triggered.push(subscription);
        this.trigger(subscription, instance);
        descend(open.filter((s) => s.scopeKey === subscription.activityInstanceKey));
      }
    };
    descend(top);
    // A subprocess with no handler of its own is done once what is inside it is (nothing, if all of it was compensated before).
    for (const subscription of triggered.reverse()) if (this.bpmn.state.compensationSubscriptions.subscriptions.has(subscription.key)) this.settle(subscription);
    return !this.throwEventDone(instance);
  }

  /** Called after an element instance completed: if it was a compensation handler, its subscription (and maybe its throw event) is done. */
  handlerCompleted(instance: ElementInstance): void {
    const subscription = this.bpmn.state.compensationSubscriptions.ofProcessInstance(instance.processInstanceKey).find((s) => s.handlerInstanceKey === instance.key);
    if (!subscription) return;
    this.bpmn.context.emit({ type: 'CompensationSubscriptionCompleted', key: subscription.key });
    this.settleScope(subscription);
    this.completeThrowEventIfDone(subscription.throwEventInstanceKey!);
  }

  /** Called as a process instance ends, completed or terminated: its subscriptions go. */
  processEnded(processInstanceKey: number): void {
    for (const subscription of this.bpmn.state.compensationSubscriptions.ofProcessInstance(processInstanceKey)) {
      this.bpmn.context.emit({ type: 'CompensationSubscriptionDeleted', key: subscription.key });
    }
  }

  private trigger(subscription: CompensationSubscriptionEntity, thrower: ElementInstance): void {
    const handlerInstanceKey = subscription.handlerId === undefined ? undefined : this.bpmn.context.newKey();
    this.bpmn.context.emit({
      type: 'CompensationSubscriptionTriggered',
      key: subscription.key,
      throwEventInstanceKey: thrower.key,
      ...(handlerInstanceKey !== undefined ? { handlerInstanceKey } : {}),
    });
    if (handlerInstanceKey === undefined) return;
    this.passBoundaryEvent(subscription, thrower);
    this.bpmn.schedule({ kind: 'activate', elementId: subscription.handlerId!, flowScopeKey: thrower.flowScopeKey!, key: handlerInstanceKey });
  }

  /** As Zeebe does, the compensation boundary event is activated and completed at once, so the history shows it fired. */
  private passBoundaryEvent(subscription: CompensationSubscriptionEntity, thrower: ElementInstance): void {
    const process = this.bpmn.processOf(thrower);
    const activity = process.elements.get(subscription.activityId);
    const boundaryId = activity && compensationBoundaryOf(process, activity);
    if (boundaryId === undefined) return;
    const key = this.bpmn.context.newKey();
    this.bpmn.context.emit({
      type: 'ElementActivating',
      key,
      elementId: boundaryId,
      elementType: 'BOUNDARY_EVENT',
      processInstanceKey: thrower.processInstanceKey,
      processDefinitionKey: thrower.processDefinitionKey,
      flowScopeKey: thrower.flowScopeKey,
      time: this.bpmn.context.now,
    });
    this.bpmn.context.emit({ type: 'ElementActivated', key });
    this.bpmn.context.emit({ type: 'ElementCompleting', key });
    this.bpmn.context.emit({ type: 'ElementCompleted', key, time: this.bpmn.context.now });
  }

  /** A triggered subscription without a handler of its own completes once nothing triggered is left inside it. */
  private settle(subscription: CompensationSubscriptionEntity): void {
    if (subscription.handlerId !== undefined) return;
    if (this.triggeredInside(subscription).length > 0) return;
    this.bpmn.context.emit({ type: 'CompensationSubscriptionCompleted', key: subscription.key });
    this.settleScope(subscription);
  }

  /** After a subscription completed: the subprocess subscription around it may be done too. */
  private settleScope(subscription: CompensationSubscriptionEntity): void {
    const parent = this.bpmn.state.compensationSubscriptions
      .ofProcessInstance(subscription.processInstanceKey)
      .find((s) => s.activityInstanceKey === subscription.scopeKey && s.throwEventInstanceKey === subscription.throwEventInstanceKey);
    if (parent) this.settle(parent);
  }

  private completeThrowEventIfDone(throwEventInstanceKey: number): void {
    const thrower = this.bpmn.state.elementInstances.get(throwEventInstanceKey);
    if (!thrower || thrower.state !== 'ACTIVATED' || !this.throwEventDone(thrower)) return;
    this.bpmn.schedule({ kind: 'complete', key: thrower.key });
  }

  /** Whether every subscription the throw event triggered completed. */
  private throwEventDone(thrower: ElementInstance): boolean {
    return !this.bpmn.state.compensationSubscriptions.ofProcessInstance(thrower.processInstanceKey).some((s) => s.throwEventInstanceKey === thrower.key);
  }

  private triggeredInside(subscription: CompensationSubscriptionEntity): CompensationSubscriptionEntity[] {
    return this.bpmn.state.compensationSubscriptions
      .ofProcessInstance(subscription.processInstanceKey)
      .filter((s) => s.scopeKey === subscription.activityInstanceKey && s.throwEventInstanceKey !== undefined);
  }

  private untriggered(processInstanceKey: number): CompensationSubscriptionEntity[] {
    return this.bpmn.state.compensationSubscriptions.ofProcessInstance(processInstanceKey).filter((s) => s.throwEventInstanceKey === undefined);
  }
}

/** The handler the element's compensation boundary event is associated with, if it has one. */
function handlerOf(process: ExecutableProcess, element: ExecutableElement): string | undefined {
  const boundaryId = compensationBoundaryOf(process, element);
  const boundary = boundaryId === undefined ? undefined : process.elements.get(boundaryId);
  return boundary?.type === 'BOUNDARY_EVENT' && boundary.trigger.kind === 'compensation' ? boundary.trigger.handlerId : undefined;
}

export function compensationBoundaryOf(process: ExecutableProcess, element: ExecutableElement): string | undefined {
  return element.boundaryEvents.find((id) => {
    const boundary = process.elements.get(id);
    return boundary?.type === 'BOUNDARY_EVENT' && boundary.trigger.kind === 'compensation';
  });
}
