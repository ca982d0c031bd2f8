import { type CommandContext } from '../command-context';
import { raiseFailureIncident } from '../failure-incident';
import { releaseDueJobs } from './release-due-jobs';
import { expireMessage } from './expire-message';
import { fireTimer } from './fire-timer';

/** A due-queue entry handed back because its time has not come (the clock moved back meanwhile). */
export interface NotYetDue {
  readonly key: number;
  readonly at: number;
}

/**
 * Whatever fell due: job deadlines and back-offs, timers, message time to
 * live. Keys are unique across kinds, so each key names one thing; a key
 * whose thing is gone is skipped, and one not yet due is returned, so the
 * caller puts it back in the due queue (else it would never fire).
 *
 * Each timer fires as its own part of the command: one that fails halfway
 * leaves nothing behind and raises an incident on the element waiting for it,
 * while the other timers of the command still fire.
 */
export function releaseDue(context: CommandContext, keys: readonly number[]): NotYetDue[] {
  const jobKeys: number[] = [];
  const notYetDue: NotYetDue[] = [];
  for (const key of keys) {
    const job = context.state.jobs.get(key);
    if (job) {
      const at = job.state === 'ACTIVATED' ? job.deadline : job.state === 'FAILED' ? job.retryAt : undefined;
      if (at !== undefined && at > context.now) notYetDue.push({ key, at });
      else jobKeys.push(key);
      continue;
    }
    const timer = context.state.timers.get(key);
    if (timer) {
      if (timer.dueAt > context.now) notYetDue.push({ key, at: timer.dueAt });
      else context.attempt(() => fireTimer(context, key), (error) => raiseFailureIncident(context, timer.ownerKey, error));
      continue;
    }
    const message = context.state.messages.get(key);
    if (message) {
      if (message.expiresAt > context.now) notYetDue.push({ key, at: message.expiresAt });
      else expireMessage(context, key);
    }
  }
  if (jobKeys.length > 0) releaseDueJobs(context, jobKeys);
  return notYetDue;
}
