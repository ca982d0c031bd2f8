import { type CommandContext } from '../command-context';
import { invalidState } from '../rejection';
import { holdForTaskListeners } from '../task-listeners';
import { openTask } from './user-task-lookup';

/** Assigns the task; with allowOverride false, a task assigned to someone else is refused with 409. */
export function assignUserTask(context: CommandContext, key: number, assignee: string, allowOverride: boolean): void {
  const task = openTask(context, key, 'assign');
  if (!allowOverride && task.assignee !== undefined && task.assignee !== assignee) {
    throw invalidState(`Expected to assign user task with key '${key}' to '${assignee}', but it is already assigned to '${task.assignee}'`);
  }
  if (holdForTaskListeners(context, task, 'ASSIGNING', { assignee })) return;
  context.emit({ type: 'UserTaskAssigned', key, assignee });
}
