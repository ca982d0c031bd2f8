import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { holdForTaskListeners } from '../task-listeners';
import { type VariableDocument } from '../variables';
import { openTask } from './user-task-lookup';

/** Completes the task and its element; its variables are merged as a job completion's are. */
export function completeUserTask(context: CommandContext, key: number, variables: VariableDocument): void {
  const task = openTask(context, key, 'complete');
  if (holdForTaskListeners(context, task, 'COMPLETING', { variables })) return;
  context.emit({ type: 'UserTaskCompleted', key, time: context.now });
  new BpmnExecutor(context).completeElement(task.elementInstanceKey, variables);
}
