import { type CommandContext } from '../command-context';
import { invalidArgument, invalidState } from '../rejection';
import { liveJob, stateName } from './job-lookup';

export function updateJob(context: CommandContext, jobKey: number, changes: { retries?: number; timeout?: number }): void {
  const job = liveJob(context, jobKey, 'update');
  if (changes.retries === undefined && changes.timeout === undefined) {
    throw invalidArgument('Expected a changeset with retries or timeout, but it has neither.');
  }
  if (changes.retries !== undefined) {
    if (changes.retries < 1) throw invalidArgument(`Expected to update the retries of job '${jobKey}' to a positive number, but it was ${changes.retries}.`);
    context.emit({ type: 'JobRetriesUpdated', key: jobKey, retries: changes.retries });
  }
  if (changes.timeout !== undefined) {
    if (job.state !== 'ACTIVATED') {
      throw invalidState(`Expected to update the timeout of job with key '${jobKey}', but it is not activated (it is in state '${stateName(job)}')`);
    }
    context.emit({ type: 'JobTimeoutUpdated', key: jobKey, deadline: context.now + changes.timeout });
  }
}
