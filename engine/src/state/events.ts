/**
 * The events the engine writes to its log. State changes only by applying
 * them (engine-state.ts), so replaying the log rebuilds the state exactly.
 *
 * An event shape that has shipped is never changed: a new shape is logged
 * with the next version (`v: 2`; absent means 1) and its applier is
 * registered beside the old one (state/appliers/engine-appliers.ts), so old
 * logs replay as they were written. Times are epoch milliseconds from the engine clock;
 * keys are numbers below 2^53 (see KEY_BASE in engine-state.ts).
 */

import { type ElementType } from '../model/process-model';

export interface DeployedProcess {
  readonly key: number;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly name?: string;
  readonly versionTag?: string;
  readonly resourceName: string;
  readonly checksum: string;
  readonly xml: string;
}

/** One DMN file: a decision requirements graph and the decisions in it, each versioned by its id. */
export interface DeployedDecisionGraph {
  readonly key: number;
  readonly decisionRequirementsId: string;
  readonly name: string;
  readonly version: number;
  readonly resourceName: string;
  readonly checksum: string;
  readonly xml: string;
  readonly decisions: readonly { readonly key: number; readonly decisionId: string; readonly name: string; readonly version: number }[];
}

/** A form-js schema, versioned by its `id`. */
export interface DeployedForm {
  readonly key: number;
  readonly formId: string;
  readonly version: number;
  readonly resourceName: string;
  readonly checksum: string;
  /** The schema as deployed (JSON text). */
  readonly schema: string;
}

export type IncidentErrorType =
  | 'IO_MAPPING_ERROR'
  | 'JOB_NO_RETRIES'
  | 'EXECUTION_LISTENER_NO_RETRIES'
  | 'TASK_LISTENER_NO_RETRIES'
  | 'CONDITION_ERROR'
  | 'EXTRACT_VALUE_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CALLED_DECISION_ERROR'
  | 'DECISION_EVALUATION_ERROR'
  | 'FORM_NOT_FOUND'
  | 'CALLED_ELEMENT_ERROR'
  | 'UNKNOWN';

/** What a listener job stands for: an execution listener's or a user task listener's. */
export type JobListener = ExecutionListenerJob | TaskListenerJob;

/** Corrections of a user task a task listener returned, applied when the transition goes through. */
export interface UserTaskCorrections extends UserTaskChanges {
  readonly assignee?: string;
}

/**
 * A user task listener's job (https://docs.camunda.io/docs/components/concepts/user-task-listeners/):
 * the transition it holds, with what the request asked for, and the corrections of the listeners before it.
 */
export interface TaskListenerJob {
  readonly kind: 'TASK_LISTENER';
  readonly eventType: 'CREATING' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING';
  readonly index: number;
  readonly userTaskKey: number;
  /**
   * The assignee asked for (assigning; absent to unassign), the changes asked for (updating; a field added
   * later, optional, so jobs logged before it replay as written) or the completion's variables (completing).
   */
  readonly requested: {
    readonly assignee?: string;
    readonly changes?: UserTaskChanges;
    /** The completion's variables (completing), or the variables a variable update on the task's scope sets (updating). */
    readonly variables?: Readonly<Record<string, unknown>>;
    /** Updating by a variable update: whether it sets them on the task's own scope only (added later, optional like changes). */
    readonly local?: boolean;
  };
  readonly corrections: UserTaskCorrections;
}

/** What an execution listener job stands for (https://docs.camunda.io/docs/components/concepts/execution-listeners/). */
export interface ExecutionListenerJob {
  readonly kind: 'EXECUTION_LISTENER';
  readonly eventType: 'START' | 'END';
  /** Position among the element's listeners of that event type. */
  readonly index: number;
  /** A process's start listeners: the start elements the instance goes on from once they are done. */
  readonly resumeAt?: readonly string[];
}

export type EngineEvent =
  | {
      readonly type: 'DeploymentCreated';
      readonly key: number;
      readonly tenantId: string;
      readonly processes: readonly DeployedProcess[];
      /** Added with DMN support; absent in logs written before it. */
      readonly decisionGraphs?: readonly DeployedDecisionGraph[];
      readonly forms?: readonly DeployedForm[];
      readonly time: number;
    }
  /** A decision was evaluated (by the API or a business rule task); the key is the decision instance's. */
  | { readonly type: 'DecisionEvaluated'; readonly key: number; readonly decisionKey: number; readonly failed: boolean; readonly time: number }
  /**
   * A decision was evaluated, with what Camunda keeps of it (the decision
   * instances: inputs, matched rules, outputs), so its history can be read.
   * Replaces DecisionEvaluated, which old logs still hold.
   */
  | {
      readonly type: 'DecisionInstanceEvaluated';
      /** The decision evaluation key; its decision instances are `${key}-1`, `${key}-2`, … */
      readonly key: number;
      /** The decision asked for (the root of the evaluation). */
      readonly decisionKey: number;
      readonly evaluated: readonly LoggedDecisionInstance[];
      /** Set when the evaluation failed: which decision, and why. */
      readonly failure?: { readonly decisionKey: number; readonly message: string };
      /** Set when a business rule task evaluated it. */
      readonly elementInstanceKey?: number;
      readonly time: number;
    }
  | {
      readonly type: 'ElementActivating';
      readonly key: number;
      readonly elementId: string;
      readonly elementType: ElementType;
      readonly processInstanceKey: number;
      readonly processDefinitionKey: number;
      readonly flowScopeKey: number | undefined;
      /** Tokens a join consumes when it activates: per incoming flow id, one. */
      readonly consumedFlows?: readonly string[];
      /** For a process instance started by a call activity: that call activity's instance. */
      readonly parentElementInstanceKey?: number;
      readonly time: number;
    }
  | { readonly type: 'ElementActivated'; readonly key: number }
  | { readonly type: 'ElementCompleting'; readonly key: number }
  | { readonly type: 'ElementCompleted'; readonly key: number; readonly time: number }
  | { readonly type: 'ElementTerminating'; readonly key: number }
  | { readonly type: 'ElementTerminated'; readonly key: number; readonly time: number }
  /** A token waits at a join gateway in the scope. */
  | { readonly type: 'JoinTokenArrived'; readonly scopeKey: number; readonly gatewayId: string; readonly flowId: string }
  /** A sequence flow was taken in the scope (what Operate draws as the path of an instance). */
  | { readonly type: 'SequenceFlowTaken'; readonly scopeKey: number; readonly flowId: string }
  /** A deployed resource (process definition, decision requirements, form) was deleted. */
  | { readonly type: 'ResourceDeleted'; readonly key: number; readonly resourceType: DeletableResourceType; readonly time: number }
  | { readonly type: 'VariableCreated'; readonly key: number; readonly scopeKey: number; readonly processInstanceKey: number; readonly name: string; readonly value: string }
  | { readonly type: 'VariableUpdated'; readonly key: number; readonly value: string }
  | {
      readonly type: 'JobCreated';
      readonly key: number;
      readonly jobType: string;
      readonly retries: number;
      readonly customHeaders: Readonly<Record<string, string>>;
      readonly elementInstanceKey: number;
      readonly time: number;
      /** An execution listener's job (absent for the element's own job): which listener, so its completion runs the next. */
      readonly listener?: JobListener;
      /**
       * 2: the job of a creating or updating task listener, whose tag may carry `requested.changes`,
       * `requested.variables` and `requested.local`, added after version 1 shipped; an engine that knows only
       * version 1 refuses such a log instead of dropping what it asked for.
       */
      readonly v?: 2;
    }
  | { readonly type: 'JobsActivated'; readonly keys: readonly number[]; readonly worker: string; readonly deadline: number }
  | { readonly type: 'JobCompleted'; readonly key: number }
  | { readonly type: 'JobFailed'; readonly key: number; readonly retries: number; readonly errorMessage: string; readonly retryAt: number | undefined }
  | { readonly type: 'JobRecurred'; readonly key: number }
  | { readonly type: 'JobTimedOut'; readonly key: number }
  | { readonly type: 'JobRetriesUpdated'; readonly key: number; readonly retries: number }
  | { readonly type: 'JobTimeoutUpdated'; readonly key: number; readonly deadline: number }
  | { readonly type: 'JobErrorThrown'; readonly key: number; readonly errorCode: string; readonly errorMessage: string }
  | { readonly type: 'JobCanceled'; readonly key: number }
  | {
      readonly type: 'IncidentCreated';
      readonly key: number;
      readonly errorType: IncidentErrorType;
      readonly errorMessage: string;
      readonly elementInstanceKey: number;
      readonly jobKey: number | undefined;
      readonly time: number;
    }
  | { readonly type: 'IncidentResolved'; readonly key: number }
  /**
   * A timer opened. Its owner is the element instance whose subscription it
   * is (a catch event, an event-based gateway, or the activity a boundary
   * event is attached to); a timer start event has no owner but a process definition.
   */
  | {
      readonly type: 'TimerCreated';
      readonly key: number;
      readonly ownerKey: number | undefined;
      readonly processDefinitionKey: number;
      readonly targetElementId: string;
      readonly dueAt: number;
      /** Firings left after this one; -1 for an unbounded cycle. */
      readonly repetitionsLeft: number;
      readonly cycle?: string;
    }
  | { readonly type: 'TimerTriggered'; readonly key: number }
  | { readonly type: 'TimerCanceled'; readonly key: number }
  | {
      readonly type: 'MessageSubscriptionCreated';
      readonly key: number;
      readonly ownerKey: number;
      readonly targetElementId: string;
      readonly messageName: string;
      readonly correlationKey: string;
      readonly interrupting: boolean;
    }
  | { readonly type: 'MessageSubscriptionDeleted'; readonly key: number }
  | {
      readonly type: 'MessagePublished';
      readonly key: number;
      readonly name: string;
      readonly correlationKey: string;
      readonly messageId: string | undefined;
      /** The message's variables as JSON text. */
      readonly variables: string;
      readonly expiresAt: number;
      readonly time: number;
    }
  | { readonly type: 'MessageExpired'; readonly key: number }
  /** A message reached a process instance (through a subscription, or by starting it). */
  | {
      readonly type: 'MessageCorrelated';
      readonly messageKey: number;
      readonly processInstanceKey: number;
      /** Set when the message started the instance: no second instance starts for this key while it runs. */
      readonly startedWithCorrelationKey?: { readonly bpmnProcessId: string; readonly correlationKey: string };
      /** The subscription it reached (absent when it started the instance, and in logs written before it was kept). */
      readonly subscriptionKey?: number;
      readonly time?: number;
    }
  | { readonly type: 'SignalSubscriptionCreated'; readonly key: number; readonly ownerKey: number; readonly targetElementId: string; readonly signalName: string }
  | { readonly type: 'SignalSubscriptionDeleted'; readonly key: number }
  /** A signal was broadcast (by the API or a throw event); its subscriptions were triggered in the same command. */
  | { readonly type: 'SignalBroadcast'; readonly key: number; readonly signalName: string; readonly time: number }
  | {
      readonly type: 'UserTaskCreated';
      readonly key: number;
      readonly elementInstanceKey: number;
      readonly assignee: string | undefined;
      readonly candidateGroups: readonly string[];
      readonly candidateUsers: readonly string[];
      readonly dueDate: string | undefined;
      readonly followUpDate: string | undefined;
      readonly priority: number;
      readonly formKey: number | undefined;
      readonly externalFormReference: string | undefined;
      readonly customHeaders: Readonly<Record<string, string>>;
      readonly time: number;
    }
  | { readonly type: 'UserTaskAssigned'; readonly key: number; readonly assignee: string | undefined }
  | { readonly type: 'UserTaskUpdated'; readonly key: number; readonly changes: UserTaskChanges }
  | { readonly type: 'UserTaskCompleted'; readonly key: number; readonly time: number }
  /**
   * A transition of the task waits for its task listeners (the task is CREATING, ASSIGNING, UPDATING or COMPLETING), or no longer does (back to CREATED).
   * CREATING and UPDATING were added to the values after version 1 shipped: they are logged as version 2 (the
   * version-1 applier still replays the ones logged before), so an engine that knows only version 1 refuses them.
   */
  | { readonly type: 'UserTaskTransitionHeld'; readonly key: number; readonly state: 'CREATING' | 'ASSIGNING' | 'UPDATING' | 'COMPLETING' | 'CREATED'; readonly v?: 2 }
  | { readonly type: 'UserTaskCanceled'; readonly key: number; readonly time: number }
  /**
   * Process instance migration: the element instance (the process instance
   * itself included) now belongs to another process definition, as the given
   * element; its job, user task and incident follow it with their keys.
   */
  | { readonly type: 'ElementMigrated'; readonly key: number; readonly processDefinitionKey: number; readonly elementId: string }
  /**
   * Process instance migration of a waiting element: its timer, message or
   * signal subscription now belongs to the target definition, for the target
   * catch event (a boundary event, the element itself, an event subprocess),
   * keeping its key, due date, message name and correlation key.
   */
  /** A migration gave the tokens waiting at joining gateways in this scope their target gateway and flow ids (the scope's whole set). */
  | { readonly type: 'JoinTokensMigrated'; readonly scopeKey: number; readonly tokens: readonly (readonly [gatewayId: string, perFlow: readonly (readonly [flowId: string, count: number])[]])[] }
  | {
      readonly type: 'EventSubscriptionMigrated';
      readonly subscription: 'timer' | 'message' | 'signal';
      readonly key: number;
      readonly processDefinitionKey: number;
      readonly targetElementId: string;
      readonly interrupting: boolean;
    }
  /** A batch operation over the process instances a filter matched when it was created (batch-operations.ts). */
  | {
      readonly type: 'BatchOperationCreated';
      readonly key: number;
      readonly batchOperationType: BatchOperationType;
      readonly processInstanceKeys: readonly number[];
      readonly migrationPlan?: MigrationPlan;
      /** For MODIFY_PROCESS_INSTANCE: each active instance of a source element is moved to its target element. */
      readonly moveInstructions?: readonly MoveInstruction[];
      readonly time: number;
    }
  /** The next items of a batch operation were processed in this command, in order. */
  | { readonly type: 'BatchOperationItemsProcessed'; readonly key: number; readonly outcomes: readonly BatchItemOutcome[]; readonly time: number }
  /**
   * 2: the finished batch operation leaves memory (its rows in the projection
   * tables answer for it); version 1, logged before, keeps it in memory.
   */
  | { readonly type: 'BatchOperationCompleted'; readonly key: number; readonly time: number; readonly v?: 2 }
  /** Stopped between chunks until resumed; canceled ends it, its unprocessed items canceled. */
  | { readonly type: 'BatchOperationSuspended'; readonly key: number }
  | { readonly type: 'BatchOperationResumed'; readonly key: number }
  /** 2: the cancelled batch operation leaves memory, as a completed one of version 2 does. */
  | { readonly type: 'BatchOperationCanceled'; readonly key: number; readonly time: number; readonly v?: 2 }
  /**
   * Compensation (compensation-subscriptions.ts): an activity with a
   * compensation boundary event completed, or a subprocess (or multi-instance
   * body) completed with such subscriptions inside it.
   */
  | {
      readonly type: 'CompensationSubscriptionCreated';
      readonly key: number;
      readonly processInstanceKey: number;
      readonly activityId: string;
      readonly activityInstanceKey: number;
      /** The flow scope instance the activity completed in. */
      readonly scopeKey: number;
      /** The handler its compensation boundary event is associated with; absent for a subprocess with none of its own. */
      readonly handlerId?: string;
    }
  /** A compensation throw event reached it; its handler runs as the given element instance (absent when it has no handler). */
  | { readonly type: 'CompensationSubscriptionTriggered'; readonly key: number; readonly throwEventInstanceKey: number; readonly handlerInstanceKey?: number }
  /** Its handler, and everything compensated below it, completed. */
  | { readonly type: 'CompensationSubscriptionCompleted'; readonly key: number }
  /** Its process instance ended, or a migration closed it (its compensation boundary event was not mapped). */
  | { readonly type: 'CompensationSubscriptionDeleted'; readonly key: number }
  /** A migration moved it to the target process: the activity and handler of the target's compensation boundary event. */
  | { readonly type: 'CompensationSubscriptionMigrated'; readonly key: number; readonly activityId: string; readonly handlerId?: string };

export type BatchOperationType = 'CANCEL_PROCESS_INSTANCE' | 'RESOLVE_INCIDENT' | 'MIGRATE_PROCESS_INSTANCE' | 'MODIFY_PROCESS_INSTANCE';

export interface MoveInstruction {
  readonly sourceElementId: string;
  readonly targetElementId: string;
}

/** One item's result: done, or refused with the rejection's message. */
export type BatchItemOutcome = { readonly failed: false } | { readonly failed: true; readonly errorMessage: string };

/** Where a migration takes a process instance: a definition, and per active element id its target element id. */
export interface MigrationPlan {
  readonly targetProcessDefinitionKey: number;
  readonly mappingInstructions: readonly { readonly sourceElementId: string; readonly targetElementId: string }[];
}

export type DeletableResourceType = 'PROCESS' | 'DECISION_REQUIREMENTS' | 'FORM';

/** One evaluated decision of an evaluation, values as JSON text (as the API returns them). */
export interface LoggedDecisionInstance {
  readonly decisionKey: number;
  readonly output: string;
  readonly evaluatedInputs: readonly { readonly inputId: string; readonly inputName: string; readonly inputValue: string }[];
  readonly matchedRules: readonly {
    readonly ruleId: string;
    readonly ruleIndex: number;
    readonly evaluatedOutputs: readonly { readonly outputId: string; readonly outputName: string; readonly outputValue: string }[];
  }[];
}

/** What PATCH /user-tasks/{key} may change. */
export interface UserTaskChanges {
  readonly candidateGroups?: readonly string[];
  readonly candidateUsers?: readonly string[];
  readonly dueDate?: string | null;
  readonly followUpDate?: string | null;
  readonly priority?: number;
}

export type EngineEventType = EngineEvent['type'];
