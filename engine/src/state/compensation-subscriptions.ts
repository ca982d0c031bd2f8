import { addTo, removeFrom } from './indexes';
import { type EngineEvent } from './events';
import { type StateJournal } from './state-journal';

/**
 * Compensation subscriptions, as Zeebe keeps them: one per completion of an
 * activity that can be compensated (it has a compensation boundary event, or
 * is a subprocess or multi-instance body with such completions inside), kept
 * until its process instance ends, so a compensation throw event can find
 * what completed in its scope after those elements left memory.
 * https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/
 */
export interface CompensationSubscriptionEntity {
  readonly key: number;
  readonly processInstanceKey: number;
  /** The completed activity's element id, and its handler's: those of the target process after a migration. */
  activityId: string;
  readonly activityInstanceKey: number;
  readonly scopeKey: number;
  handlerId?: string;
  /** Set once a compensation throw event reached it: it is not compensated again. */
  throwEventInstanceKey?: number;
  handlerInstanceKey?: number;
}

type CompensationEvent = Extract<
  EngineEvent,
  {
    type: 'CompensationSubscriptionCreated' | 'CompensationSubscriptionTriggered' | 'CompensationSubscriptionCompleted' | 'CompensationSubscriptionDeleted' | 'CompensationSubscriptionMigrated';
  }
>;

export class CompensationSubscriptionStore {
  readonly subscriptions: Map<number, CompensationSubscriptionEntity>;
  /** Process instance key → its subscriptions' keys. */
  private readonly byProcessInstance: Map<number, Set<number>>;

  constructor(
    private readonly journal: StateJournal,
    collections: { map: <K, V>() => Map<K, V> },
  ) {
    this.subscriptions = collections.map();
    this.byProcessInstance = collections.map();
  }

  apply(event: CompensationEvent): void {
    switch (event.type) {
      case 'CompensationSubscriptionCreated': {
        const { type: _type, ...fields } = event;
        this.add(fields);
        return;
      }
      case 'CompensationSubscriptionTriggered': {
        const subscription = this.journal.saveFields(this.get(event.key));
        subscription.throwEventInstanceKey = event.throwEventInstanceKey;
        if (event.handlerInstanceKey !== undefined) subscription.handlerInstanceKey = event.handlerInstanceKey;
        return;
      }
      case 'CompensationSubscriptionMigrated': {
        const subscription = this.journal.saveFields(this.get(event.key));
        subscription.activityId = event.activityId;
        if (event.handlerId === undefined) delete subscription.handlerId;
        else subscription.handlerId = event.handlerId;
        return;
      }
      case 'CompensationSubscriptionCompleted':
      case 'CompensationSubscriptionDeleted': {
        const subscription = this.get(event.key);
        this.subscriptions.delete(event.key);
        removeFrom(this.byProcessInstance, subscription.processInstanceKey, event.key);
        return;
      }
    }
  }

  /** Adds a subscription as created or as a snapshot holds it. */
  add(subscription: CompensationSubscriptionEntity): void {
    this.subscriptions.set(subscription.key, subscription);
    addTo(this.byProcessInstance, subscription.processInstanceKey, subscription.key);
  }

  /** The subscriptions of one process instance, oldest first. */
  ofProcessInstance(processInstanceKey: number): CompensationSubscriptionEntity[] {
    return [...(this.byProcessInstance.get(processInstanceKey) ?? [])].map((key) => this.get(key));
  }

  get(key: number): CompensationSubscriptionEntity {
    const subscription = this.subscriptions.get(key);
    if (!subscription) throw new Error(`Bug: compensation subscription ${key} is unknown`);
    return subscription;
  }
}

