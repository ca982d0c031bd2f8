import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { completeTaskListener, type TaskListenerResult } from '../task-listeners';
import { type VariableDocument } from '../variables';
import { workableJob } from './job-lookup';

/** Completes the job and its task with the worker's variables; a listener's job lets its element or user task go on. */
export function completeJob(context: CommandContext, jobKey: number, variables: VariableDocument, result?: TaskListenerResult): void {
  const job = workableJob(context, jobKey, 'complete');
  context.emit({ type: 'JobCompleted', key: jobKey });
  if (job.listener?.kind === 'EXECUTION_LISTENER') new BpmnExecutor(context).completeExecutionListener(job, job.listener, variables);
  else if (job.listener?.kind === 'TASK_LISTENER') completeTaskListener(context, job.listener, variables, result);
  else new BpmnExecutor(context).completeElement(job.elementInstanceKey, variables);
}
