import { type CommandContext } from '../command-context';

/** Time-driven: activated jobs past their deadline go back to the queue; failed jobs whose back-off ended too. */
export function releaseDueJobs(context: CommandContext, candidates: readonly number[]): void {
  for (const key of candidates) {
    const job = context.state.jobs.get(key);
    if (!job) continue;
    if (job.state === 'ACTIVATED' && job.deadline !== undefined && job.deadline <= context.now) {
      context.emit({ type: 'JobTimedOut', key });
    } else if (job.state === 'FAILED' && job.retries > 0 && job.retryAt !== undefined && job.retryAt <= context.now) {
      context.emit({ type: 'JobRecurred', key });
    }
  }
}
