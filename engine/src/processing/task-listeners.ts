import { evaluateInteger, evaluateString } from '../feel/feel';
import { elementOf, type TaskListener } from '../model/process-model';
import { type UserTaskEntity } from '../state/engine-state';
import { type TaskListenerJob, type UserTaskCorrections } from '../state/events';
import { BpmnExecutor } from './bpmn-executor';
import { type CommandContext } from './command-context';
import { invalidArgument, invalidState } from './rejection';
import { type VariableDocument } from './variables';

/**
 * User task listeners (https://docs.camunda.io/docs/components/concepts/user-task-listeners/):
 * a creating, assigning, updating or completing transition waits for each listener's job of kind
 * TASK_LISTENER, one after the other in model order. A listener may deny the
 * transition (the task stays as it was, corrections discarded) or correct
 * the task's attributes, which later listeners see and which are applied
 * when the transition goes through. Creating cannot be denied (Camunda
 * rejects the completion); until its listeners are done the task is
 * CREATING and refuses assignment, update and completion.
 */
type TaskEvent = TaskListenerJob['eventType'];

/** What a listener job's completion may carry (Camunda's `result` of a job completion). */
export interface TaskListenerResult {
  readonly denied?: boolean;
  readonly deniedReason?: string;
  readonly corrections?: Record<string, unknown>;
}

function listenersFor(context: CommandContext, task: UserTaskEntity, eventType: TaskEvent): readonly TaskListener[] {
  const element = elementOf(context.state.definition(task.processDefinitionKey).executable, task.elementId);
  const wanted = ({ CREATING: 'creating', ASSIGNING: 'assigning', UPDATING: 'updating', COMPLETING: 'completing' } as const)[eventType];
  return element.type === 'USER_TASK' ? (element.taskListeners ?? []).filter((listener) => listener.eventType === wanted) : [];
}

/**
 * Holds the transition for the task's listeners when it has some: the task
 * becomes ASSIGNING or COMPLETING and the first listener's job is created.
 * Returns false when there are none (the caller applies the transition now).
 */
export function holdForTaskListeners(context: CommandContext, task: UserTaskEntity, eventType: TaskEvent, requested: TaskListenerJob['requested']): boolean {
  if (listenersFor(context, task, eventType).length === 0) return false;
  context.emit({ type: 'UserTaskTransitionHeld', key: task.key, state: eventType, ...(eventType === 'CREATING' || eventType === 'UPDATING' ? { v: 2 as const } : {}) });
  createTaskListenerJob(context, task, { kind: 'TASK_LISTENER', eventType, index: 0, userTaskKey: task.key, requested, corrections: {} });
  return true;
}

/**
 * A variable update on a user task's own scope (PUT /element-instances/{key}/variables with the task's
 * element instance key) is an update of the task: its updating listeners run first, and may deny it
 * (the variables are then not set). Returns false when the scope is no such task or it has no updating listeners.
 */
export function holdVariableUpdate(context: CommandContext, scopeKey: number, variables: VariableDocument, local: boolean): boolean {
  const taskKey = context.state.userTaskByElement.get(scopeKey);
  const task = taskKey === undefined ? undefined : context.state.userTask(taskKey);
  if (!task || listenersFor(context, task, 'UPDATING').length === 0) return false;
  if (task.state !== 'CREATED') {
    throw invalidState(`Expected to update variables of user task with key '${task.key}', but it is in state '${task.state}'`);
  }
  return holdForTaskListeners(context, task, 'UPDATING', { variables, local });
}

/** The task's attributes as the listener's job headers carry them (the page's reserved header names), corrections applied. */
function taskHeaders(task: UserTaskEntity, tag: TaskListenerJob): Record<string, string> {
  // An updating listener sees the task as the update would leave it.
  const view = { ...task, ...tag.requested.changes, ...tag.corrections };
  const headers: Record<string, string> = {
    ...task.customHeaders,
    // A creating listener's job has no action (the task was not asked for one); the others name theirs.
    ...(tag.eventType === 'CREATING' ? {} : { 'io.camunda.zeebe:action': ({ ASSIGNING: 'assign', UPDATING: 'update', COMPLETING: 'complete' } as const)[tag.eventType] }),
    'io.camunda.zeebe:userTaskKey': String(task.key),
    'io.camunda.zeebe:candidateGroups': JSON.stringify(view.candidateGroups),
    'io.camunda.zeebe:candidateUsers': JSON.stringify(view.candidateUsers),
    'io.camunda.zeebe:priority': String(view.priority),
  };
  const assignee = tag.eventType === 'ASSIGNING' ? (tag.corrections.assignee ?? tag.requested.assignee) : view.assignee;
  if (assignee !== undefined) headers['io.camunda.zeebe:assignee'] = assignee;
  if (view.dueDate) headers['io.camunda.zeebe:dueDate'] = view.dueDate;
  if (view.followUpDate) headers['io.camunda.zeebe:followUpDate'] = view.followUpDate;
  if (task.formKey !== undefined) headers['io.camunda.zeebe:formKey'] = String(task.formKey);
  return headers;
}

/**
 * Creates the job of the listener the tag names. A type or retries
 * expression that fails raises an incident on the task's element and
 * releases the transition (the task is CREATED again; the request can be
 * sent again once the expression is fixed).
 */
function createTaskListenerJob(context: CommandContext, task: UserTaskEntity, tag: TaskListenerJob): void {
  const listener = listenersFor(context, task, tag.eventType)[tag.index]!;
  const executor = new BpmnExecutor(context);
  const scope = executor.variables.visibleFrom(task.elementInstanceKey);
  const jobType = evaluateString(listener.jobType, scope);
  const retries = jobType.ok ? evaluateInteger(listener.retries, scope) : jobType;
  if (!jobType.ok || !retries.ok) {
    context.emit({ type: 'UserTaskTransitionHeld', key: task.key, state: 'CREATED' });
    const failed = !jobType.ok ? jobType : (retries as { ok: false; message: string });
    executor.raiseIncident(context.state.element(task.elementInstanceKey), 'EXTRACT_VALUE_ERROR', failed.message);
    return;
  }
  context.emit({
    type: 'JobCreated',
    key: context.newKey(),
    jobType: jobType.value,
    retries: retries.value,
    customHeaders: taskHeaders(task, tag),
    elementInstanceKey: task.elementInstanceKey,
    time: context.now,
    listener: tag,
    ...(tag.eventType === 'CREATING' || tag.eventType === 'UPDATING' ? { v: 2 as const } : {}),
  });
}

/** A task listener's job completed: denied, the task stays as it was; else the next listener runs or the transition goes through with the corrections. */
export function completeTaskListener(context: CommandContext, tag: TaskListenerJob, variables: VariableDocument, result: TaskListenerResult | undefined): void {
  if (Object.keys(variables).length > 0) throw invalidArgument('Expected to complete a user task listener job without variables, but variables were given; task listeners correct the task through result.corrections.');
  const task = context.state.userTask(tag.userTaskKey);
  if (result?.denied === true && tag.eventType === 'CREATING') {
    throw invalidArgument("Expected to complete a user task listener job, but result.denied is true for a 'creating' listener; the creation of a user task cannot be denied.");
  }
  if (result?.denied === true) {
    context.emit({ type: 'UserTaskTransitionHeld', key: task.key, state: 'CREATED' });
    return;
  }
  const corrections = { ...tag.corrections, ...readCorrections(result?.corrections ?? {}) };
  if (tag.index + 1 < listenersFor(context, task, tag.eventType).length) {
    createTaskListenerJob(context, task, { ...tag, index: tag.index + 1, corrections });
    return;
  }
  const { assignee, ...corrected } = corrections;
  // An update goes through with what was asked for, the listeners' corrections over it.
  const changes = { ...tag.requested.changes, ...corrected };
  context.emit({ type: 'UserTaskTransitionHeld', key: task.key, state: 'CREATED' });
  // Corrections are applied with the transition, without an updating event of their own.
  if (Object.keys(changes).length > 0) context.emit({ type: 'UserTaskUpdated', key: task.key, changes });
  if (tag.eventType === 'ASSIGNING') {
    context.emit({ type: 'UserTaskAssigned', key: task.key, assignee: assignee ?? tag.requested.assignee });
    return;
  }
  if (assignee !== undefined) context.emit({ type: 'UserTaskAssigned', key: task.key, assignee });
  if (tag.eventType === 'UPDATING' && tag.requested.variables) {
    // A variable update the listeners let through is applied now, as it was asked for.
    const variables = new BpmnExecutor(context).variables;
    if (tag.requested.local === true) variables.setLocal(task.elementInstanceKey, task.processInstanceKey, tag.requested.variables);
    else variables.merge(task.elementInstanceKey, task.processInstanceKey, tag.requested.variables);
  }
  // Created or updated: the task waits for its user again.
  if (tag.eventType === 'CREATING' || tag.eventType === 'UPDATING') return;
  context.emit({ type: 'UserTaskCompleted', key: task.key, time: context.now });
  new BpmnExecutor(context).completeElement(task.elementInstanceKey, tag.requested.variables ?? {});
}

/** The corrections Camunda allows (assignee, candidate users and groups, due and follow-up dates, priority), checked by field. */
function readCorrections(raw: Record<string, unknown>): UserTaskCorrections {
  const corrections: { -readonly [K in keyof UserTaskCorrections]: UserTaskCorrections[K] } = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    const field = `result.corrections.${name}`;
    if (name === 'assignee' || name === 'dueDate' || name === 'followUpDate') {
      if (typeof value !== 'string') throw invalidArgument(`Expected ${field} to be a string.`);
      if (name === 'assignee') corrections.assignee = value;
      else corrections[name] = value === '' ? null : value;
    } else if (name === 'candidateUsers' || name === 'candidateGroups') {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalidArgument(`Expected ${field} to be a list of strings.`);
      corrections[name] = value as string[];
    } else if (name === 'priority') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 100) throw invalidArgument(`Expected ${field} to be a whole number from 0 to 100.`);
      corrections.priority = value as number;
    } else {
      throw invalidArgument(`Expected ${field} to be one of assignee, candidateUsers, candidateGroups, dueDate, followUpDate, priority.`);
    }
  }
  return corrections;
}
