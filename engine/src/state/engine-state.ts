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
import { BatchOperationStore, isBatchEvent } from './batch-operations';
import { applyElementMigrated } from './element-migrated';
import { type ParsedResources } from './parsed-resources';
import { JournaledMap, JournaledSet, StateJournal } from './state-journal';

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
export type UserTaskState = 'CREATED' | 'ASSIGNING' | 'COMPLETING' | 'COMPLETED' | 'CANCELED';

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
  private readonly messageStartLockOf = this.map<number, string>();
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
  /** `${kind}\0${id}` → the highest version deleted, so a version number is never used twice (Zeebe's rule). */
  readonly deletedVersions = this.map<string, number>();
  readonly dirty: DirtyEntities = emptyDirty(this.journal);
  private lastKey = KEY_BASE;
  observer: StateObserver | undefined;

  constructor(private readonly parsed: ParsedResources) {}

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

  /** Saves an entity's fields before the open command changes them. */
  private touch<T extends object>(entity: T): T {
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

  apply(event: EngineEvent): void {
    if (isBatchEvent(event)) {
      this.noteKey(event.key);
      return this.batchOperations.apply(event);
    }
    switch (event.type) {
      case 'DeploymentCreated':
        this.noteKey(event.key);
        for (const process of event.processes) this.addDefinition(process, event.key, event.tenantId);
        for (const graph of event.decisionGraphs ?? []) this.addDecisionGraph(graph, event.key, event.tenantId);
        for (const form of event.forms ?? []) this.addForm(form, event.key, event.tenantId);
        return;
      case 'DecisionEvaluated':
        this.noteKey(event.key);
        return;
      case 'DecisionInstanceEvaluated':
        return this.decisionInstanceEvaluated(event);
      case 'SequenceFlowTaken': {
        const scope = this.element(event.scopeKey);
        this.dirty.sequenceFlows.add({ processInstanceKey: scope.processInstanceKey, processDefinitionKey: scope.processDefinitionKey, flowId: event.flowId });
        return;
      }
      case 'ResourceDeleted':
        return this.resourceDeleted(event.key, event.resourceType);
      case 'ElementActivating':
        return this.elementActivating(event);
      case 'ElementActivated':
        return this.setElementState(event.key, 'ACTIVATED');
      case 'ElementCompleting':
        return this.setElementState(event.key, 'COMPLETING');
      case 'ElementTerminating':
        return this.setElementState(event.key, 'TERMINATING');
      case 'ElementCompleted':
        return this.elementEnded(event.key, 'COMPLETED', event.time);
      case 'ElementTerminated':
        return this.elementEnded(event.key, 'TERMINATED', event.time);
      case 'JoinTokenArrived': {
        const scope = this.element(event.scopeKey);
        const joinTokens = scope.joinTokens ?? (this.touch(scope).joinTokens = this.map());
        const perFlow = joinTokens.get(event.gatewayId) ?? joinTokens.set(event.gatewayId, this.map()).get(event.gatewayId)!;
        perFlow.set(event.flowId, (perFlow.get(event.flowId) ?? 0) + 1);
        return;
      }
      case 'VariableCreated':
        return this.variableCreated(event);
      case 'VariableUpdated': {
        const variable = this.variables.get(event.key);
        if (!variable) throw new Error(`Bug: variable ${event.key} is unknown`);
        this.touch(variable).value = event.value;
        this.dirty.variables.add(variable);
        return;
      }
      case 'JobCreated':
        return this.jobCreated(event);
      case 'JobsActivated':
        for (const key of event.keys) {
          const job = this.touch(this.job(key));
          this.activatableJobs.get(job.type)?.delete(key);
          job.state = 'ACTIVATED';
          job.worker = event.worker;
          job.deadline = event.deadline;
          this.dirty.jobs.add(job);
          this.observer?.jobDeadline(job, event.deadline);
        }
        return;
      case 'JobCompleted':
      case 'JobCanceled':
        return this.removeJob(event.key, event.type === 'JobCompleted' ? 'COMPLETED' : 'CANCELED');
      case 'JobFailed': {
        const job = this.touch(this.job(event.key));
        job.retries = event.retries;
        job.errorMessage = event.errorMessage;
        job.deadline = undefined;
        this.searchState(job, 'FAILED');
        if (event.retries > 0) job.hasFailedWithRetriesLeft = true;
        if (event.retries > 0 && event.retryAt === undefined) {
          this.makeActivatable(job);
        } else {
          job.state = 'FAILED';
          job.retryAt = event.retries > 0 ? event.retryAt : undefined;
          if (job.retryAt !== undefined) this.observer?.jobRetryAt(job, job.retryAt);
        }
        return;
      }
      case 'JobRecurred':
      case 'JobTimedOut': {
        const job = this.touch(this.job(event.key));
        job.retryAt = undefined;
        job.deadline = undefined;
        if (event.type === 'JobTimedOut') this.searchState(job, 'TIMED_OUT');
        else this.dirty.jobs.add(job);
        this.makeActivatable(job);
        return;
      }
      case 'JobRetriesUpdated': {
        const job = this.touch(this.job(event.key));
        job.retries = event.retries;
        this.searchState(job, 'RETRIES_UPDATED');
        return;
      }
      case 'JobTimeoutUpdated': {
        const job = this.touch(this.job(event.key));
        job.deadline = event.deadline;
        this.dirty.jobs.add(job);
        this.observer?.jobDeadline(job, event.deadline);
        return;
      }
      case 'JobErrorThrown': {
        const job = this.touch(this.job(event.key));
        job.state = 'ERROR_THROWN';
        job.errorMessage = event.errorMessage;
        job.errorCode = event.errorCode;
        this.searchState(job, 'ERROR_THROWN');
        this.activatableJobs.get(job.type)?.delete(job.key);
        return;
      }
      case 'IncidentCreated':
        return this.incidentCreated(event);
      case 'IncidentResolved':
        return this.incidentResolved(event.key);
      case 'TimerCreated':
        return this.timerCreated(event);
      case 'TimerTriggered':
      case 'TimerCanceled':
        return this.removeTimer(event.key);
      case 'MessageSubscriptionCreated':
        return this.subscriptionCreated(event);
      case 'MessageSubscriptionDeleted':
        return this.removeSubscription(event.key);
      case 'MessagePublished':
        return this.messagePublished(event);
      case 'MessageExpired':
        return this.removeMessage(event.key);
      case 'MessageCorrelated':
        return this.messageCorrelated(event);
      case 'SignalSubscriptionCreated': {
        this.noteKey(event.key);
        const { type: _type, ...fields } = event;
        this.indexSignalSubscription({ ...fields, processInstanceKey: this.element(event.ownerKey).processInstanceKey });
        return;
      }
      case 'SignalSubscriptionDeleted': {
        const subscription = this.signalSubscriptions.get(event.key);
        if (!subscription) throw new Error(`Bug: signal subscription ${event.key} is unknown`);
        this.signalSubscriptions.delete(event.key);
        removeFrom(this.signalSubscriptionsByName, subscription.signalName, event.key);
        removeFrom(this.signalSubscriptionsByOwner, subscription.ownerKey, event.key);
        return;
      }
      case 'SignalBroadcast':
        this.noteKey(event.key);
        return;
      case 'UserTaskCreated':
        return this.userTaskCreated(event);
      case 'UserTaskAssigned': {
        const task = this.touch(this.userTask(event.key));
        task.assignee = event.assignee;
        this.dirty.userTasks.add(task);
        return;
      }
      case 'UserTaskUpdated': {
        const task = this.touch(this.userTask(event.key));
        const { changes } = event;
        if (changes.candidateGroups) task.candidateGroups = changes.candidateGroups;
        if (changes.candidateUsers) task.candidateUsers = changes.candidateUsers;
        if (changes.dueDate !== undefined) task.dueDate = changes.dueDate ?? undefined;
        if (changes.followUpDate !== undefined) task.followUpDate = changes.followUpDate ?? undefined;
        if (changes.priority !== undefined) task.priority = changes.priority;
        this.dirty.userTasks.add(task);
        return;
      }
      case 'UserTaskCompleted':
        return this.userTaskEnded(event.key, 'COMPLETED', event.time);
      case 'UserTaskTransitionHeld': {
        const task = this.touch(this.userTask(event.key));
        task.state = event.state;
        this.dirty.userTasks.add(task);
        return;
      }
      case 'UserTaskCanceled':
        return this.userTaskEnded(event.key, 'CANCELED', event.time);
      case 'ElementMigrated':
        return applyElementMigrated(this, event);
    }
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

  private timerCreated(event: Extract<EngineEvent, { type: 'TimerCreated' }>): void {
    this.noteKey(event.key);
    const owner = event.ownerKey === undefined ? undefined : this.element(event.ownerKey);
    const timer: TimerEntity = {
      key: event.key,
      ownerKey: event.ownerKey,
      processDefinitionKey: event.processDefinitionKey,
      processInstanceKey: owner?.processInstanceKey,
      targetElementId: event.targetElementId,
      dueAt: event.dueAt,
      repetitionsLeft: event.repetitionsLeft < 0 ? Infinity : event.repetitionsLeft,
      cycle: event.cycle,
    };
    this.indexTimer(timer);
    this.observer?.timerCreated(timer);
  }

  private removeTimer(key: number): void {
    const timer = this.timers.get(key);
    if (!timer) throw new Error(`Bug: timer ${key} is unknown`);
    this.timers.delete(key);
    removeFrom(this.timersByOwner, timer.ownerKey ?? timer.processDefinitionKey, key);
  }

  private subscriptionCreated(event: Extract<EngineEvent, { type: 'MessageSubscriptionCreated' }>): void {
    this.noteKey(event.key);
    const owner = this.element(event.ownerKey);
    const subscription: MessageSubscriptionEntity = {
      key: event.key,
      ownerKey: event.ownerKey,
      processInstanceKey: owner.processInstanceKey,
      processDefinitionKey: owner.processDefinitionKey,
      targetElementId: event.targetElementId,
      messageName: event.messageName,
      correlationKey: event.correlationKey,
      interrupting: event.interrupting,
    };
    this.indexMessageSubscription(subscription);
    this.dirty.messageSubscriptions.add(subscription);
  }

  private removeSubscription(key: number): void {
    const subscription = this.messageSubscriptions.get(key);
    if (!subscription) throw new Error(`Bug: message subscription ${key} is unknown`);
    this.touch(subscription).deleted = true;
    this.dirty.messageSubscriptions.add(subscription);
    this.messageSubscriptions.delete(key);
    removeFrom(this.subscriptionsByCorrelation, correlationOf(subscription.messageName, subscription.correlationKey), key);
    removeFrom(this.subscriptionsByOwner, subscription.ownerKey, key);
  }

  private messagePublished(event: Extract<EngineEvent, { type: 'MessagePublished' }>): void {
    this.noteKey(event.key);
    const message: MessageEntity = {
      key: event.key,
      name: event.name,
      correlationKey: event.correlationKey,
      messageId: event.messageId,
      variables: event.variables,
      expiresAt: event.expiresAt,
      correlatedInstances: this.set(),
      startedProcesses: this.set(),
    };
    this.indexMessage(message);
    this.observer?.messageBuffered(message);
  }

  private removeMessage(key: number): void {
    const message = this.messages.get(key);
    if (!message) throw new Error(`Bug: message ${key} is unknown`);
    this.messages.delete(key);
    removeFrom(this.messagesByCorrelation, correlationOf(message.name, message.correlationKey), key);
    if (message.messageId !== undefined) this.messageIds.delete(correlationOf(message.name, message.messageId));
  }

  private messageCorrelated(event: Extract<EngineEvent, { type: 'MessageCorrelated' }>): void {
    const subscription = event.subscriptionKey === undefined ? undefined : this.messageSubscriptions.get(event.subscriptionKey);
    if (subscription) {
      this.touch(subscription).correlated = true;
      this.dirty.messageSubscriptions.add(subscription);
    }
    const message = this.messages.get(event.messageKey);
    message?.correlatedInstances.add(event.processInstanceKey);
    const started = event.startedWithCorrelationKey;
    // Zeebe's message cardinality: a message reaches each BPMN process id once, by a start or by a subscription, across versions.
    const reachedProcess = started?.bpmnProcessId ?? (subscription ? this.definitions.get(subscription.processDefinitionKey)?.bpmnProcessId : undefined);
    if (reachedProcess !== undefined) message?.startedProcesses.add(reachedProcess);
    if (started && started.correlationKey !== '') {
      const lock = correlationOf(started.bpmnProcessId, started.correlationKey);
      this.messageStartLocks.set(lock, event.processInstanceKey);
      this.messageStartLockOf.set(event.processInstanceKey, lock);
    }
  }

  private userTaskCreated(event: Extract<EngineEvent, { type: 'UserTaskCreated' }>): void {
    this.noteKey(event.key);
    const element = this.element(event.elementInstanceKey);
    const task: UserTaskEntity = {
      key: event.key,
      elementInstanceKey: element.key,
      processInstanceKey: element.processInstanceKey,
      processDefinitionKey: element.processDefinitionKey,
      elementId: element.elementId,
      creationDate: event.time,
      formKey: event.formKey,
      externalFormReference: event.externalFormReference,
      customHeaders: event.customHeaders,
      state: 'CREATED',
      assignee: event.assignee,
      candidateGroups: event.candidateGroups,
      candidateUsers: event.candidateUsers,
      dueDate: event.dueDate,
      followUpDate: event.followUpDate,
      priority: event.priority,
    };
    this.indexUserTask(task);
    this.dirty.userTasks.add(task);
  }

  private userTaskEnded(key: number, state: 'COMPLETED' | 'CANCELED', time: number): void {
    const task = this.touch(this.userTask(key));
    task.state = state;
    task.completionDate = time;
    this.userTasks.delete(key);
    this.userTaskByElement.delete(task.elementInstanceKey);
    this.dirty.userTasks.add(task);
  }

  private searchState(job: JobEntity, state: JobSearchState): void {
    this.touch(job).searchState = state;
    this.dirty.jobs.add(job);
  }

  /** Decision instances leave no state behind but their rows (and the key they used). */
  private decisionInstanceEvaluated(event: Extract<EngineEvent, { type: 'DecisionInstanceEvaluated' }>): void {
    this.noteKey(event.key);
    const element = event.elementInstanceKey === undefined ? undefined : this.elementInstances.get(event.elementInstanceKey);
    const record = (decisionKey: number, position: number, logged: Omit<LoggedDecisionInstance, 'decisionKey'>, failure: string | undefined): DecisionInstanceRecord => {
      const decision = this.decisions.get(decisionKey);
      if (!decision) throw new Error(`Bug: decision ${decisionKey} is unknown`);
      return {
        ...logged,
        decisionKey,
        key: `${event.key}-${position}`,
        evaluationKey: event.key,
        failure,
        decisionId: decision.decisionId,
        decisionName: decision.name,
        decisionVersion: decision.version,
        decisionType: decision.graph.graph.decisions.get(decision.decisionId)?.logic.kind === 'literal' ? 'LITERAL_EXPRESSION' : 'DECISION_TABLE',
        rootDecisionKey: event.decisionKey,
        tenantId: decision.tenantId,
        time: event.time,
        processDefinitionKey: element?.processDefinitionKey,
        processInstanceKey: element?.processInstanceKey,
        elementInstanceKey: element?.key,
      };
    };
    event.evaluated.forEach((evaluated, index) => this.dirty.decisionInstances.add(record(evaluated.decisionKey, index + 1, evaluated, undefined)));
    if (event.failure) {
      const empty = { output: 'null', evaluatedInputs: [], matchedRules: [] };
      this.dirty.decisionInstances.add(record(event.failure.decisionKey, event.evaluated.length + 1, empty, event.failure.message));
    }
  }

  /**
   * A deleted resource leaves memory; the previous version (if any) becomes
   * the latest again, and with it its message and signal start events (its
   * start timers are opened by the command).
   */
  private resourceDeleted(key: number, resourceType: DeletableResourceType): void {
    const highWater = (id: string, version: number) => {
      const name = `${resourceType}\u0000${id}`;
      this.deletedVersions.set(name, Math.max(version, this.deletedVersions.get(name) ?? 0));
    };
    if (resourceType === 'PROCESS') {
      const definition = this.definition(key);
      const wasLatest = this.latestDefinition(definition.bpmnProcessId) === definition;
      this.definitions.delete(key);
      removeVersion(this.definitionVersions, definition.bpmnProcessId, definition, this.journal);
      highWater(definition.bpmnProcessId, definition.version);
      for (const starts of [...this.messageStarts.values(), ...this.signalStarts.values()]) starts.delete(key);
      const previous = this.latestDefinition(definition.bpmnProcessId);
      if (wasLatest && previous) this.listenForStarts(previous);
      // Rows of its instances that finished in this batch are deleted with it, not written.
      const dirtyOfIt: Set<{ readonly processDefinitionKey?: number }>[] = [
        this.dirty.elementInstances, this.dirty.incidents, this.dirty.userTasks, this.dirty.jobs, this.dirty.messageSubscriptions, this.dirty.sequenceFlows, this.dirty.decisionInstances,
      ];
      for (const rows of dirtyOfIt) for (const row of [...rows]) if (row.processDefinitionKey === key) rows.delete(row);
      this.dirty.definitions.delete(definition);
      this.dirty.deletedResources.add({ resourceType, key });
      return;
    }
    if (resourceType === 'DECISION_REQUIREMENTS') {
      const graph = this.decisionGraphs.get(key);
      if (!graph) throw new Error(`Bug: decision requirements ${key} are unknown`);
      this.decisionGraphs.delete(key);
      removeVersion(this.decisionGraphVersions, graph.decisionRequirementsId, graph, this.journal);
      highWater(graph.decisionRequirementsId, graph.version);
      for (const deployed of graph.decisions) {
        const decision = this.decisions.get(deployed.key);
        if (!decision) continue;
        this.decisions.delete(deployed.key);
        removeVersion(this.decisionVersions, decision.decisionId, decision, this.journal);
        const name = `DECISION\u0000${decision.decisionId}`;
        this.deletedVersions.set(name, Math.max(decision.version, this.deletedVersions.get(name) ?? 0));
      }
      this.dirty.decisionGraphs.delete(graph);
      this.dirty.deletedResources.add({ resourceType, key, decisionKeys: graph.decisions.map((d) => d.key) });
      return;
    }
    const form = this.forms.get(key);
    if (!form) throw new Error(`Bug: form ${key} is unknown`);
    this.forms.delete(key);
    removeVersion(this.formVersions, form.formId, form, this.journal);
    highWater(form.formId, form.version);
    this.dirty.forms.delete(form);
    this.dirty.deletedResources.add({ resourceType, key });
  }

  private noteKey(key: number): void {
    if (key <= this.lastKey) return;
    this.saveLastKey();
    this.lastKey = key;
  }

  private addDefinition(process: DeployedProcess, deploymentKey: number, tenantId: string): void {
    this.noteKey(process.key);
    const executable = this.parsed.process(process.checksum, process.bpmnProcessId);
    const entity: ProcessDefinitionEntity = { ...process, deploymentKey, tenantId, executable };
    this.definitions.set(process.key, entity);
    const previous = this.definitionVersions.get(process.bpmnProcessId)?.at(-1);
    appendVersion(this.definitionVersions, process.bpmnProcessId, entity, this.journal);
    this.dirty.definitions.add(entity);
    // Only the latest version of a process listens for its start messages.
    if (previous) for (const starts of [...this.messageStarts.values(), ...this.signalStarts.values()]) starts.delete(previous.key);
    this.listenForStarts(entity);
  }

  /** The latest version of a process listens for its start messages and signals. */
  private listenForStarts(entity: ProcessDefinitionEntity): void {
    const { executable } = entity;
    for (const startId of executable.process.triggeredStartEventIds) {
      const start = executable.elements.get(startId);
      if (start?.type !== 'START_EVENT') continue;
      if (start.trigger?.kind === 'message' && start.trigger.messageName.kind === 'static') addTo(this.messageStarts, start.trigger.messageName.value, entity.key);
      if (start.trigger?.kind === 'signal' && start.trigger.signalName.kind === 'static') addTo(this.signalStarts, start.trigger.signalName.value, entity.key);
    }
  }

  private addDecisionGraph(deployed: DeployedDecisionGraph, deploymentKey: number, tenantId: string): void {
    this.noteKey(deployed.key);
    const graph: DecisionGraphEntity = { ...deployed, deploymentKey, tenantId, graph: this.parsed.decisionGraph(deployed.checksum, deployed.decisionRequirementsId) };
    this.decisionGraphs.set(graph.key, graph);
    appendVersion(this.decisionGraphVersions, graph.decisionRequirementsId, graph, this.journal);
    for (const decision of deployed.decisions) {
      this.noteKey(decision.key);
      const entity: DecisionEntity = { ...decision, tenantId, graph };
      this.decisions.set(entity.key, entity);
      appendVersion(this.decisionVersions, entity.decisionId, entity, this.journal);
    }
    this.dirty.decisionGraphs.add(graph);
  }

  private addForm(deployed: DeployedForm, deploymentKey: number, tenantId: string): void {
    this.noteKey(deployed.key);
    const form: FormEntity = { ...deployed, deploymentKey, tenantId };
    this.forms.set(form.key, form);
    appendVersion(this.formVersions, form.formId, form, this.journal);
    this.dirty.forms.add(form);
  }

  private elementActivating(event: Extract<EngineEvent, { type: 'ElementActivating' }>): void {
    this.noteKey(event.key);
    const instance: ElementInstance = {
      key: event.key,
      elementId: event.elementId,
      type: event.elementType,
      processInstanceKey: event.processInstanceKey,
      processDefinitionKey: event.processDefinitionKey,
      flowScopeKey: event.flowScopeKey,
      startDate: event.time,
      state: 'ACTIVATING',
      childKeys: this.set(),
      ...(event.elementType === 'PROCESS' ? { incidentCount: 0 } : {}),
      ...(event.parentElementInstanceKey !== undefined
        ? { parentElementInstanceKey: event.parentElementInstanceKey, parentProcessInstanceKey: this.element(event.parentElementInstanceKey).processInstanceKey }
        : {}),
    };
    if (event.parentElementInstanceKey !== undefined) this.touch(this.element(event.parentElementInstanceKey)).childProcessInstanceKey = event.key;
    this.elementInstances.set(event.key, instance);
    this.dirty.elementInstances.add(instance);
    if (event.flowScopeKey !== undefined) {
      const scope = this.element(event.flowScopeKey);
      scope.childKeys.add(event.key);
      if (event.consumedFlows) {
        const perFlow = scope.joinTokens?.get(event.elementId);
        for (const flowId of event.consumedFlows) {
          const left = (perFlow?.get(flowId) ?? 0) - 1;
          if (left > 0) perFlow!.set(flowId, left);
          else perFlow?.delete(flowId);
        }
        if (perFlow && perFlow.size === 0) scope.joinTokens!.delete(event.elementId);
      }
    }
  }

  private setElementState(key: number, state: ElementState): void {
    const instance = this.touch(this.element(key));
    instance.state = state;
    this.dirty.elementInstances.add(instance);
  }

  /** A finished element leaves memory with its variables; its final row is projected. */
  private elementEnded(key: number, state: 'COMPLETED' | 'TERMINATED', time: number): void {
    const instance = this.touch(this.element(key));
    instance.state = state;
    instance.endDate = time;
    this.dirty.elementInstances.add(instance);
    if (instance.flowScopeKey !== undefined) {
      const scope = this.element(instance.flowScopeKey);
      scope.childKeys.delete(key);
    }
    this.elementInstances.delete(key);
    if (instance.type === 'PROCESS') {
      const lock = this.messageStartLockOf.get(key);
      if (lock !== undefined) this.messageStartLocks.delete(lock);
      this.messageStartLockOf.delete(key);
    }
    const scopeVariables = this.variablesByScope.get(key);
    if (scopeVariables) {
      for (const variable of scopeVariables.values()) this.variables.delete(variable.key);
      this.variablesByScope.delete(key);
    }
  }

  private variableCreated(event: Extract<EngineEvent, { type: 'VariableCreated' }>): void {
    this.noteKey(event.key);
    const variable: VariableEntity = {
      key: event.key,
      name: event.name,
      scopeKey: event.scopeKey,
      processInstanceKey: event.processInstanceKey,
      value: event.value,
    };
    this.indexVariable(variable);
    this.dirty.variables.add(variable);
  }

  private jobCreated(event: Extract<EngineEvent, { type: 'JobCreated' }>): void {
    this.noteKey(event.key);
    const element = this.element(event.elementInstanceKey);
    const job: JobEntity = {
      key: event.key,
      type: event.jobType,
      customHeaders: event.customHeaders,
      elementInstanceKey: event.elementInstanceKey,
      processInstanceKey: element.processInstanceKey,
      processDefinitionKey: element.processDefinitionKey,
      elementId: element.elementId,
      createdAt: event.time,
      state: 'ACTIVATABLE',
      retries: event.retries,
      ...(event.listener ? { listener: event.listener } : {}),
    };
    this.touch(element).jobKey = event.key;
    this.jobs.set(event.key, job);
    this.dirty.jobs.add(job);
    this.makeActivatable(job);
  }

  private makeActivatable(job: JobEntity): void {
    this.touch(job);
    job.state = 'ACTIVATABLE';
    job.worker = undefined;
    const queue = this.activatableJobs.get(job.type) ?? this.activatableJobs.set(job.type, this.set()).get(job.type)!;
    queue.add(job.key);
    this.observer?.jobActivatable(job);
  }

  private removeJob(key: number, searchState: 'COMPLETED' | 'CANCELED'): void {
    const job = this.touch(this.job(key));
    this.searchState(job, searchState);
    this.activatableJobs.get(job.type)?.delete(key);
    this.jobs.delete(key);
    const element = this.elementInstances.get(job.elementInstanceKey);
    if (element?.jobKey === key) this.touch(element).jobKey = undefined;
  }

  private incidentCreated(event: Extract<EngineEvent, { type: 'IncidentCreated' }>): void {
    this.noteKey(event.key);
    const element = this.element(event.elementInstanceKey);
    const incident: IncidentEntity = {
      key: event.key,
      errorType: event.errorType,
      errorMessage: event.errorMessage,
      elementInstanceKey: event.elementInstanceKey,
      processInstanceKey: element.processInstanceKey,
      processDefinitionKey: element.processDefinitionKey,
      elementId: element.elementId,
      jobKey: event.jobKey,
      creationTime: event.time,
      state: 'ACTIVE',
    };
    this.incidents.set(event.key, incident);
    this.touch(element).incidentKey = event.key;
    this.dirty.elementInstances.add(element);
    this.dirty.incidents.add(incident);
    const processInstance = this.touch(this.element(element.processInstanceKey));
    processInstance.incidentCount = (processInstance.incidentCount ?? 0) + 1;
    this.dirty.elementInstances.add(processInstance);
  }

  private incidentResolved(key: number): void {
    const incident = this.incidents.get(key);
    if (!incident) throw new Error(`Bug: incident ${key} is unknown`);
    this.touch(incident).state = 'RESOLVED';
    this.incidents.delete(key);
    this.dirty.incidents.add(incident);
    const element = this.elementInstances.get(incident.elementInstanceKey);
    if (element?.incidentKey === key) {
      this.touch(element).incidentKey = undefined;
      this.dirty.elementInstances.add(element);
    }
    const processInstance = this.elementInstances.get(incident.processInstanceKey);
    if (processInstance) {
      this.touch(processInstance).incidentCount = Math.max(0, (processInstance.incidentCount ?? 1) - 1);
      this.dirty.elementInstances.add(processInstance);
    }
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
  };
}

/** Takes an entity out of its list of versions (undone if the command fails). */
function removeVersion<T>(versions: Map<string, T[]>, id: string, entity: T, journal: StateJournal): void {
  const list = versions.get(id);
  const index = list?.indexOf(entity) ?? -1;
  if (!list || index < 0) return;
  list.splice(index, 1);
  journal.record(() => list.splice(index, 0, entity));
  if (list.length === 0) versions.delete(id);
}

/** The key under which messages and subscriptions meet: name and correlation key. */
export function correlationOf(name: string, correlationKey: string): string {
  return `${name}\u0000${correlationKey}`;
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key) ?? index.set(key, index instanceof JournaledMap ? index.newSet<V>() : new Set()).get(key)!;
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

function appendVersion<T>(versions: Map<string, T[]>, id: string, entity: T, journal: StateJournal): void {
  const list = versions.get(id) ?? versions.set(id, []).get(id)!;
  list.push(entity);
  journal.record(() => list.pop());
}
