import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { invalidArgument, invalidState } from '../rejection';
import { type VariableDocument } from '../variables';
import { workableJob } from './job-lookup';

/** A business error: caught by an error event of the diagram, or an incident when none matches. */
export function throwJobError(context: CommandContext, jobKey: number, errorCode: string, errorMessage: string, variables: VariableDocument): void {
  const job = workableJob(context, jobKey, 'throw an error for');
  if (errorCode.trim() === '') throw invalidArgument('Expected an error code, but it is empty.');
  // https://docs.camunda.io/docs/components/concepts/execution-listeners/: throwing a BPMN error is not supported for listener jobs.
  if (job.listener) throw invalidState(`Expected to throw an error for job with key '${jobKey}', but it is a listener job, which cannot throw BPMN errors`);
  const element = context.state.element(job.elementInstanceKey);
  context.emit({ type: 'JobErrorThrown', key: jobKey, errorCode, errorMessage });
  new BpmnExecutor(context).throwError(element, errorCode, errorMessage, variables, jobKey);
}
