import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { type VariableDocument } from '../variables';
import { workableJob } from './job-lookup';

export interface FailJob {
  readonly retries: number;
  readonly errorMessage: string;
  readonly retryBackOff: number;
  readonly variables: VariableDocument;
}

/** A technical failure: retried (after the back-off) while retries are left, else an incident. */
export function failJob(context: CommandContext, jobKey: number, request: FailJob): void {
  const job = workableJob(context, jobKey, 'fail');
  const executor = new BpmnExecutor(context);
  const element = context.state.element(job.elementInstanceKey);
  if (Object.keys(request.variables).length > 0) executor.variables.setLocal(element.key, element.processInstanceKey, request.variables);
  const retryAt = request.retries > 0 && request.retryBackOff > 0 ? context.now + request.retryBackOff : undefined;
  context.emit({ type: 'JobFailed', key: jobKey, retries: request.retries, errorMessage: request.errorMessage, retryAt });
  if (request.retries <= 0) {
    const message = request.errorMessage || 'No more retries left.';
    const errorType = job.listener?.kind === 'EXECUTION_LISTENER' ? 'EXECUTION_LISTENER_NO_RETRIES' : job.listener?.kind === 'TASK_LISTENER' ? 'TASK_LISTENER_NO_RETRIES' : 'JOB_NO_RETRIES';
    executor.raiseIncident(element, errorType, message, jobKey);
  }
}
