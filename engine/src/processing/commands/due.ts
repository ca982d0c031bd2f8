import { type CommandContext } from '../command-context';
import { releaseDueJobs } from './jobs';
import { expireMessage } from './messages';
import { fireTimer } from './timers';

/**
 * Whatever fell due: job deadlines and back-offs, timers, message time to
 * live. Keys are unique across kinds, so each key names one thing; a key
 * whose thing is gone or not yet due (the clock moved back) is skipped.
 */
export function releaseDue(context: CommandContext, keys: readonly number[]): void {
  const jobKeys: number[] = [];
  for (const key of keys) {
    if (context.state.jobs.has(key)) jobKeys.push(key);
    else if (context.state.timers.has(key)) fireTimer(context, key);
    else if (context.state.messages.has(key)) expireMessage(context, key);
  }
  if (jobKeys.length > 0) releaseDueJobs(context, jobKeys);
}
