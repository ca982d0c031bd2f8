import { type UserTaskChanges } from '../../state/events';
import { type CommandContext } from '../command-context';
import { openTask } from './user-task-lookup';

export function updateUserTask(context: CommandContext, key: number, changes: UserTaskChanges): void {
  openTask(context, key, 'update');
  context.emit({ type: 'UserTaskUpdated', key, changes });
}
