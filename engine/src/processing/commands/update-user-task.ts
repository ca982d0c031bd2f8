import { type UserTaskChanges } from '../../state/events';
import { type CommandContext } from '../command-context';
import { holdForTaskListeners } from '../task-listeners';
import { openTask } from './user-task-lookup';

/** PATCH /v2/user-tasks/{key}: applied now, or held while the task's updating listeners run. */
export function updateUserTask(context: CommandContext, key: number, changes: UserTaskChanges): void {
  const task = openTask(context, key, 'update');
  if (holdForTaskListeners(context, task, 'UPDATING', { changes })) return;
  context.emit({ type: 'UserTaskUpdated', key, changes });
}
