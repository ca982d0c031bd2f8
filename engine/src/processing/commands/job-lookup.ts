import { type JobEntity } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';

/** A job still in memory (not completed or canceled), or 404. */
export function liveJob(context: CommandContext, jobKey: number, action: string): JobEntity {
  const job = context.state.jobs.get(jobKey);
  if (!job) throw notFound(`Expected to ${action} job with key '${jobKey}', but no such job was found`);
  return job;
}

/** A job a worker may still finish: activated, or back in the queue after a timeout. */
export function workableJob(context: CommandContext, jobKey: number, action: string): JobEntity {
  const job = liveJob(context, jobKey, action);
  if (job.state !== 'ACTIVATED' && job.state !== 'ACTIVATABLE') {
    throw invalidState(`Expected to ${action} job with key '${jobKey}', but it is in state '${stateName(job)}'`);
  }
  return job;
}

export function stateName(job: JobEntity): string {
  return job.state === 'FAILED' && job.retries <= 0 ? 'FAILED (no retries left)' : job.state;
}
