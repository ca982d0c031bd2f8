import { type CommandContext } from '../command-context';
import { holdForTaskListeners } from '../task-listeners';
import { openTask } from './user-task-lookup';

export function unassignUserTask(context: CommandContext, key: number): void {
  const task = openTask(context, key, 'unassign');
  if (holdForTaskListeners(context, task, 'ASSIGNING', {})) return;
  context.emit({ type: 'UserTaskAssigned', key, assignee: undefined });
}
