import { type UserTaskEntity } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';

/** A user task that is still open, or 404 (unknown) / 409 (finished). */
export function openTask(context: CommandContext, key: number, action: string): UserTaskEntity {
  const task = context.state.userTasks.get(key);
  if (!task) throw notFound(`Expected to ${action} user task with key '${key}', but no such user task was found`);
  if (task.state !== 'CREATED') throw invalidState(`Expected to ${action} user task with key '${key}', but it is in state '${task.state}'`);
  return task;
}
