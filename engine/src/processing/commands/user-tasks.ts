import { type UserTaskChanges } from '../../state/events';
import { type UserTaskEntity } from '../../state/engine-state';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';
import { holdForTaskListeners } from '../task-listeners';
import { type VariableDocument } from '../variables';

/** A user task that is still open, or 404 (unknown) / 409 (finished). */
function openTask(context: CommandContext, key: number, action: string): UserTaskEntity {
  const task = context.state.userTasks.get(key);
  if (!task) throw notFound(`Expected to ${action} user task with key '${key}', but no such user task was found`);
  if (task.state !== 'CREATED') throw invalidState(`Expected to ${action} user task with key '${key}', but it is in state '${task.state}'`);
  return task;
}

/** Assigns the task; with allowOverride false, a task assigned to someone else is refused with 409. */
export function assignUserTask(context: CommandContext, key: number, assignee: string, allowOverride: boolean): void {
  const task = openTask(context, key, 'assign');
  if (!allowOverride && task.assignee !== undefined && task.assignee !== assignee) {
    throw invalidState(`Expected to assign user task with key '${key}' to '${assignee}', but it is already assigned to '${task.assignee}'`);
  }
  if (holdForTaskListeners(context, task, 'ASSIGNING', { assignee })) return;
  context.emit({ type: 'UserTaskAssigned', key, assignee });
}

export function unassignUserTask(context: CommandContext, key: number): void {
  const task = openTask(context, key, 'unassign');
  if (holdForTaskListeners(context, task, 'ASSIGNING', {})) return;
  context.emit({ type: 'UserTaskAssigned', key, assignee: undefined });
}

export function updateUserTask(context: CommandContext, key: number, changes: UserTaskChanges): void {
  openTask(context, key, 'update');
  context.emit({ type: 'UserTaskUpdated', key, changes });
}

/** Completes the task and its element; its variables are merged as a job completion's are. */
export function completeUserTask(context: CommandContext, key: number, variables: VariableDocument): void {
  const task = openTask(context, key, 'complete');
  if (holdForTaskListeners(context, task, 'COMPLETING', { variables })) return;
  context.emit({ type: 'UserTaskCompleted', key, time: context.now });
  new BpmnExecutor(context).completeElement(task.elementInstanceKey, variables);
}
