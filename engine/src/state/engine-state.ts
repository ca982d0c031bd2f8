import { type ExecutableDecisionGraph } from '../model/decision-model';
import { type ElementType, type ExecutableProcess } from '../model/process-model';
import {
  type DeletableResourceType,
  type DeployedDecisionGraph,
  type DeployedForm,
  type DeployedProcess,
  type EngineEvent,
  type IncidentErrorType,
  type JobListener,
  type LoggedDecisionInstance,
} from './events';
import { type BatchOperationEntity, BatchOperationStore } from './batch-operations';
import { CompensationSubscriptionStore } from './compensation-subscriptions';
import { ENGINE_APPLIERS } from './appliers/engine-appliers';
import { addTo, correlationOf } from './indexes';
import { type ParsedResources } from './parsed-resources';
import { JournaledMap, JournaledSet, StateJournal } from './state-journal';

export { correlationOf } from './indexes';

/**
 * The engine's runtime state, in memory, changed only by apply(event).
 *
 * It holds what is alive: definitions, active element instances, their
 * variables, jobs and open incidents. Finished things leave memory once their
 * final row is handed to the projections (the `dirty` sets), which the
 * persistence layer writes in the same transaction as the events.
 */

/** Zeebe's keys carry the partition id in their top bits; ours is partition 1. */
export const KEY_BASE = 2 ** 51;

export type ElementState = 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING' | 'COMPLETED' | 'TERMINATING' | 'TERMINATED';
export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'ERROR_THROWN';

export interface ProcessDefinitionEntity extends DeployedProcess {
  readonly deploymentKey: number;
  readonly tenantId: string;
  readonly executable: ExecutableProcess;
}

export interface DecisionGraphEntity extends DeployedDecisionGraph {
  readonly deploymentKey: number;
  readonly tenantId: string;
  readonly graph: ExecutableDecisionGraph;
}

export interface DecisionEntity {
  readonly key: number;
  readonly decisionId: string;
  readonly name: string;
  readonly version: number;
  readonly tenantId: string;
  readonly graph: DecisionGraphEntity;
}

export interface FormEntity extends DeployedForm {
  readonly deploymentKey: number;
  readonly tenantId: string;
}

export interface ElementInstance {
  readonly key: number;
  readonly elementId: string;
  readonly type: ElementType;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly flowScopeKey: number | undefined;
  readonly startDate: number;
  state: ElementState;
  endDate?: number;
  /** Child element instances not yet completed or terminated. */
  readonly childKeys: Set<number>;
  /** Tokens waiting at joins in this scope: gateway id → incoming flow id → count. */
  joinTokens?: Map<string, Map<string, number>>;
  jobKey?: number;
  incidentKey?: number;
  /** A process instance called by a call activity: that call activity's instance, and its process instance. */
  readonly parentElementInstanceKey?: number;
  readonly parentProcessInstanceKey?: number;
  /** A call activity: the process instance it started. */
  childProcessInstanceKey?: number;
  /** Open incidents anywhere in the process instance (process instances only). */
  incidentCount?: number;
}

export interface VariableEntity {
  readonly key: number;
  readonly name: string;
  readonly scopeKey: number;
  readonly processInstanceKey: number;
  /** The value as JSON text, as Camunda's API returns it. */
  value: string;
}

export interface JobEntity {
  readonly key: number;
  readonly type: string;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly elementInstanceKey: number;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly elementId: string;
  readonly createdAt: number;
  state: JobState;
  retries: number;
  worker?: string;
  deadline?: number;
  retryAt?: number;
  errorMessage?: string;
  /** What job search shows (Camunda's job state: the last thing that happened to it); absent means CREATED. */
  searchState?: JobSearchState;
  hasFailedWithRetriesLeft?: boolean;
  errorCode?: string;
  /** An execution listener's job; absent for a BPMN element's own job. */
  readonly listener?: JobListener;
}

export type JobSearchState = 'CREATED' | 'COMPLETED' | 'FAILED' | 'RETRIES_UPDATED' | 'TIMED_OUT' | 'CANCELED' | 'ERROR_THROWN';

export interface IncidentEntity {
  readonly key: number;
  readonly errorType: IncidentErrorType;
  readonly errorMessage: string;
  readonly elementInstanceKey: number;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly elementId: string;
  readonly jobKey: number | undefined;
  readonly creationTime: number;
  state: 'ACTIVE' | 'RESOLVED';
}

export interface TimerEntity {
  readonly key: number;
  /** The element instance whose subscription this is; undefined for a timer start event. */
  readonly ownerKey: number | undefined;
  readonly processDefinitionKey: number;
  readonly processInstanceKey: number | undefined;
  readonly targetElementId: string;
  readonly dueAt: number;
  /** Firings left after this one; Infinity for an unbounded cycle. */
  readonly repetitionsLeft: number;
  readonly cycle?: string;
}

export interface MessageSubscriptionEntity {
  readonly key: number;
  readonly ownerKey: number;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly targetElementId: string;
  readonly messageName: string;
  readonly correlationKey: string;
  readonly interrupting: boolean;
  /** Set once a message reached it; a correlated subscription that is then closed stays CORRELATED in searches. */
  correlated?: boolean;
  deleted?: boolean;
}

/** A published message, kept while its time to live lasts. */
export interface MessageEntity {
  readonly key: number;
  readonly name: string;
  readonly correlationKey: string;
  readonly messageId: string | undefined;
  readonly variables: string;
  readonly expiresAt: number;
  /** Process instances it already reached; a message reaches each instance at most once. */
  readonly correlatedInstances: Set<number>;
  /**
   * BPMN process ids it reached, by starting an instance or through a
   * subscription: a message is correlated to each process at most once,
   * across its instances and versions (Zeebe's message cardinality).
   */
  readonly startedProcesses: Set<string>;
}

export interface SignalSubscriptionEntity {
  readonly key: number;
  readonly ownerKey: number;
  readonly processInstanceKey: number;
  readonly targetElementId: string;
  readonly signalName: string;
}

/** ASSIGNING and COMPLETING: the transition waits for the task's listeners. */
export type UserTaskState = 'CREATING' | 'CREATED' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'COMPLETED' | 'CANCELED';

export interface UserTaskEntity {
  readonly key: number;
  readonly elementInstanceKey: number;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly elementId: string;
  readonly creationDate: number;
  readonly formKey: number | undefined;
  readonly externalFormReference: string | undefined;
  readonly customHeaders: Readonly<Record<string, string>>;
  state: UserTaskState;
  assignee: string | undefined;
  candidateGroups: readonly string[];
  candidateUsers: readonly string[];
  dueDate: string | undefined;
  followUpDate: string | undefined;
  priority: number;
  completionDate?: number;
}

/** A taken sequence flow, for its projection row. */
export interface TakenFlow {
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly flowId: string;
}

/** One decision instance of an evaluation, with what its projection row needs (copied when it was evaluated). */
export interface DecisionInstanceRecord extends LoggedDecisionInstance {
  /** `${evaluation key}-${position}`, as Camunda numbers them. */
  readonly key: string;
  readonly evaluationKey: number;
  readonly failure: string | undefined;
  readonly decisionId: string;
  readonly decisionName: string;
  readonly decisionVersion: number;
  readonly decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  readonly rootDecisionKey: number;
  readonly tenantId: string;
  readonly time: number;
  readonly processDefinitionKey: number | undefined;
  readonly processInstanceKey: number | undefined;
  readonly elementInstanceKey: number | undefined;
}

export interface DeletedResource {
  readonly resourceType: DeletableResourceType;
  readonly key: number;
  /** For decision requirements: the decisions deleted with them. */
  readonly decisionKeys?: readonly number[];
}

/** Rows the projections must rewrite after the current batch. */
export interface DirtyEntities {
  readonly definitions: Set<ProcessDefinitionEntity>;
  readonly decisionGraphs: Set<DecisionGraphEntity>;
  readonly forms: Set<FormEntity>;
  readonly elementInstances: Set<ElementInstance>;
  readonly variables: Set<VariableEntity>;
  readonly incidents: Set<IncidentEntity>;
  readonly userTasks: Set<UserTaskEntity>;
  readonly jobs: Set<JobEntity>;
  readonly messageSubscriptions: Set<MessageSubscriptionEntity>;
  readonly sequenceFlows: Set<TakenFlow>;
  readonly decisionInstances: Set<DecisionInstanceRecord>;
  readonly deletedResources: Set<DeletedResource>;
  /** Batch operations that ended and left memory in this batch: their final rows come from here. */
  readonly endedBatchOperations: Set<BatchOperationEntity>;
}

/** Live notifications for the engine around the state (none during replay). */
export interface StateObserver {
  jobActivatable(job: JobEntity): void;
  jobDeadline(job: JobEntity, at: number): void;
  jobRetryAt(job: JobEntity, at: number): void;
  timerCreated(timer: TimerEntity): void;
  messageBuffered(message: MessageEntity): void;
}

export class EngineState {
  /** Undo records of the open command; every collection below is journaled (state-journal.ts). */
  readonly journal = new StateJournal();
  readonly definitions = this.map<number, ProcessDefinitionEntity>();
  /** bpmnProcessId → versions, oldest first. */
  readonly definitionVersions = this.map<string, ProcessDefinitionEntity[]>();
  readonly elementInstances = this.map<number, ElementInstance>();
  readonly variablesByScope = this.map<number, Map<string, VariableEntity>>();
  readonly variables = this.map<number, VariableEntity>();
  readonly jobs = this.map<number, JobEntity>();
  /** Job type → keys of activatable jobs, in the order they became activatable. */
  readonly activatableJobs = this.map<string, Set<number>>();
  readonly incidents = this.map<number, IncidentEntity>();
  readonly decisionGraphs = this.map<number, DecisionGraphEntity>();
  /** decisionRequirementsId → versions, oldest first. */
  readonly decisionGraphVersions = this.map<string, DecisionGraphEntity[]>();
  readonly decisions = this.map<number, DecisionEntity>();
  /** decisionId → versions, oldest first. */
  readonly decisionVersions = this.map<string, DecisionEntity[]>();
  readonly forms = this.map<number, FormEntity>();
  /** formId → versions, oldest first. */
  readonly formVersions = this.map<string, FormEntity[]>();
  readonly timers = this.map<number, TimerEntity>();
  /** Owner element instance (or process definition, for start timers) → its timers. */
  readonly timersByOwner = this.map<number, Set<number>>();
  readonly messageSubscriptions = this.map<number, MessageSubscriptionEntity>();
  /** `${name}\0${correlationKey}` → subscriptions, oldest first. */
  readonly subscriptionsByCorrelation = this.map<string, Set<number>>();
  readonly subscriptionsByOwner = this.map<number, Set<number>>();
  /** Buffered messages. */
  readonly messages = this.map<number, MessageEntity>();
  /** `${name}\0${correlationKey}` → buffered messages, oldest first. */
  readonly messagesByCorrelation = this.map<string, Set<number>>();
  /** `${name}\0${messageId}` → the buffered message with that id. */
  readonly messageIds = this.map<string, number>();
  /** Message name → latest process definitions with a message start event for it. */
  readonly messageStarts = this.map<string, Set<number>>();
  /** `${bpmnProcessId}\0${correlationKey}` → the running instance a message started. */
  readonly messageStartLocks = this.map<string, number>();
  /** Process instance → the lock it holds in messageStartLocks. */
  readonly messageStartLockOf = this.map<number, string>();
  readonly signalSubscriptions = this.map<number, SignalSubscriptionEntity>();
  /** Signal name → its subscriptions, oldest first. */
  readonly signalSubscriptionsByName = this.map<string, Set<number>>();
  readonly signalSubscriptionsByOwner = this.map<number, Set<number>>();
  /** Signal name → latest process definitions with a signal start event for it. */
  readonly signalStarts = this.map<string, Set<number>>();
  readonly userTasks = this.map<number, UserTaskEntity>();
  /** Element instance → its user task. */
  readonly userTaskByElement = this.map<number, number>();
  /** Batch operations and their items (batch-operations.ts). */
  readonly batchOperations = new BatchOperationStore(this.journal, { map: () => this.map(), set: () => this.set() });
  readonly compensationSubscriptions = new CompensationSubscriptionStore(this.journal, { map: <K, V>() => this.map<K, V>() });
  /** `${kind}\0${id}` → the highest version deleted, so a version number is never used twice (Zeebe's rule). */
  readonly deletedVersions = this.map<string, number>();
  readonly dirty: DirtyEntities = emptyDirty(this.journal);
  private lastKey = KEY_BASE;
  observer: StateObserver | undefined;

  constructor(readonly parsed: ParsedResources) {}

  newKey(): number {
    this.saveLastKey();
    return ++this.lastKey;
  }

  /** A map or set of this state: its changes are undone when the command making them fails. */
  map<K, V>(): Map<K, V> {
    return new JournaledMap<K, V>(this.journal);
  }

  set<T>(values?: Iterable<T>): Set<T> {
    return new JournaledSet<T>(this.journal, values);
  }

  /** Saves an entity's fields before the open command changes them (for appliers). */
  touch<T extends object>(entity: T): T {
    return this.journal.saveFields(entity);
  }

  private saveLastKey(): void {
    if (!this.journal.active) return;
    const before = this.lastKey;
    this.journal.record(() => (this.lastKey = before));
  }

  // One place per entity that knows which maps hold it: the appliers and the
  // snapshot restore both add entities through these.

  indexVariable(variable: VariableEntity): void {
    this.variables.set(variable.key, variable);
    const scope = this.variablesByScope.get(variable.scopeKey) ?? this.variablesByScope.set(variable.scopeKey, this.map()).get(variable.scopeKey)!;
    scope.set(variable.name, variable);
  }

  indexTimer(timer: TimerEntity): void {
    this.timers.set(timer.key, timer);
    addTo(this.timersByOwner, timer.ownerKey ?? timer.processDefinitionKey, timer.key);
  }

  indexMessageSubscription(subscription: MessageSubscriptionEntity): void {
    this.messageSubscriptions.set(subscription.key, subscription);
    addTo(this.subscriptionsByCorrelation, correlationOf(subscription.messageName, subscription.correlationKey), subscription.key);
    addTo(this.subscriptionsByOwner, subscription.ownerKey, subscription.key);
  }

  indexMessage(message: MessageEntity): void {
    this.messages.set(message.key, message);
    addTo(this.messagesByCorrelation, correlationOf(message.name, message.correlationKey), message.key);
    if (message.messageId !== undefined) this.messageIds.set(correlationOf(message.name, message.messageId), message.key);
  }

  indexSignalSubscription(subscription: SignalSubscriptionEntity): void {
    this.signalSubscriptions.set(subscription.key, subscription);
    addTo(this.signalSubscriptionsByName, subscription.signalName, subscription.key);
    addTo(this.signalSubscriptionsByOwner, subscription.ownerKey, subscription.key);
  }

  indexUserTask(task: UserTaskEntity): void {
    this.userTasks.set(task.key, task);
    this.userTaskByElement.set(task.elementInstanceKey, task.key);
  }

  /** The correlation key a running process instance holds its message-start lock for, if it does. */
  messageStartLockHeldBy(processInstanceKey: number): { bpmnProcessId: string; correlationKey: string } | undefined {
    const lock = this.messageStartLockOf.get(processInstanceKey);
    if (lock === undefined) return undefined;
    const separator = lock.indexOf('\u0000');
    return { bpmnProcessId: lock.slice(0, separator), correlationKey: lock.slice(separator + 1) };
  }

  /** The last key handed out, and the message-start locks by instance: what a snapshot needs beyond the public maps. */
  internals(): { lastKey: number; messageStartLocks: [string, number][] } {
    return { lastKey: this.lastKey, messageStartLocks: [...this.messageStartLocks] };
  }

  restoreInternals(lastKey: number, locks: readonly [string, number][]): void {
    this.lastKey = lastKey;
    for (const [lock, processInstanceKey] of locks) {
      this.messageStartLocks.set(lock, processInstanceKey);
      this.messageStartLockOf.set(processInstanceKey, lock);
    }
  }

  /** Applies one logged event through its applier, by type and version (appliers/engine-appliers.ts). */
  apply(event: EngineEvent): void {
    ENGINE_APPLIERS.apply(this, event);
  }

  userTask(key: number): UserTaskEntity {
    const task = this.userTasks.get(key);
    if (!task) throw new Error(`Bug: user task ${key} is unknown`);
    return task;
  }

  element(key: number): ElementInstance {
    const instance = this.elementInstances.get(key);
    if (!instance) throw new Error(`Bug: element instance ${key} is unknown`);
    return instance;
  }

  job(key: number): JobEntity {
    const job = this.jobs.get(key);
    if (!job) throw new Error(`Bug: job ${key} is unknown`);
    return job;
  }

  definition(key: number): ProcessDefinitionEntity {
    const definition = this.definitions.get(key);
    if (!definition) throw new Error(`Bug: process definition ${key} is unknown`);
    return definition;
  }

  latestDefinition(bpmnProcessId: string): ProcessDefinitionEntity | undefined {
    return this.definitionVersions.get(bpmnProcessId)?.at(-1);
  }

  latestDecision(decisionId: string): DecisionEntity | undefined {
    return this.decisionVersions.get(decisionId)?.at(-1);
  }

  latestDecisionGraph(decisionRequirementsId: string): DecisionGraphEntity | undefined {
    return this.decisionGraphVersions.get(decisionRequirementsId)?.at(-1);
  }

  latestForm(formId: string): FormEntity | undefined {
    return this.formVersions.get(formId)?.at(-1);
  }

  /**
   * Marks every live entity for projection, so a start rewrites their rows
   * from the state the log gives (a projection written ahead of the log by an
   * older version is put right).
   */
  markLiveDirty(): void {
    for (const definition of this.definitions.values()) this.dirty.definitions.add(definition);
    for (const graph of this.decisionGraphs.values()) this.dirty.decisionGraphs.add(graph);
    for (const form of this.forms.values()) this.dirty.forms.add(form);
    for (const instance of this.elementInstances.values()) this.dirty.elementInstances.add(instance);
    for (const variable of this.variables.values()) this.dirty.variables.add(variable);
    for (const incident of this.incidents.values()) this.dirty.incidents.add(incident);
    for (const task of this.userTasks.values()) this.dirty.userTasks.add(task);
    for (const job of this.jobs.values()) this.dirty.jobs.add(job);
    for (const subscription of this.messageSubscriptions.values()) this.dirty.messageSubscriptions.add(subscription);
  }

  /** The version a new deployment of a resource id gets: one past the latest, or past the highest deleted one. */
  nextVersion(kind: DeletableResourceType | 'DECISION', id: string, latest: number | undefined): number {
    return Math.max(latest ?? 0, this.deletedVersions.get(`${kind}\u0000${id}`) ?? 0) + 1;
  }

  /** Drains the rows to project; the persistence layer calls this once per batch. */
  takeDirty(): DirtyEntities {
    const taken = emptyDirty();
    for (const name of Object.keys(taken) as (keyof DirtyEntities)[]) {
      for (const entity of this.dirty[name]) (taken[name] as Set<unknown>).add(entity);
      this.dirty[name].clear();
    }
    return taken;
  }

  /** Keeps the key counter past a key an event used (for appliers). */
  noteKey(key: number): void {
    if (key <= this.lastKey) return;
    this.saveLastKey();
    this.lastKey = key;
  }
}

function emptyDirty(journal?: StateJournal): DirtyEntities {
  const set = <T>(): Set<T> => (journal ? new JournaledSet<T>(journal) : new Set<T>());
  return {
    definitions: set(),
    decisionGraphs: set(),
    forms: set(),
    elementInstances: set(),
    variables: set(),
    incidents: set(),
    userTasks: set(),
    jobs: set(),
    messageSubscriptions: set(),
    sequenceFlows: set(),
    decisionInstances: set(),
    deletedResources: set(),
    endedBatchOperations: set(),
  };
}
