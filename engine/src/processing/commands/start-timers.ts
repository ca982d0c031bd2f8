import { type ExecutableProcess } from '../../model/process-model';
import { type ProcessDefinitionEntity } from '../../state/engine-state';
import { scheduleTimer, type TimerSchedule } from '../../timers/timer-schedule';
import { evaluateFeel } from '../../feel/feel';
import { type CommandContext } from '../command-context';
import { invalidArgument } from '../rejection';
import { createTimer } from '../subscriptions';

/**
 * A newly deployed version takes over timer start events: the previous
 * version's start timers are canceled and the new version's are opened.
 * Throws (before anything is written) when a start timer cannot be scheduled.
 */
export function planStartTimers(context: CommandContext, executable: ExecutableProcess): { targetElementId: string; schedule: TimerSchedule }[] {
  const planned: { targetElementId: string; schedule: TimerSchedule }[] = [];
  for (const id of executable.process.triggeredStartEventIds) {
    const start = executable.elements.get(id);
    if (start?.type !== 'START_EVENT' || start.trigger?.kind !== 'timer') continue;
    const { expression, timer } = start.trigger;
    let value: string;
    if (expression.kind === 'static') value = expression.value;
    else {
      const evaluated = evaluateFeel(expression.source, {});
      if (!evaluated.ok || typeof evaluated.value !== 'string') throw invalidArgument(`Expected the timer start event '${id}' to have a valid ${timer}, but its expression did not yield one.`);
      value = evaluated.value;
    }
    const scheduled = scheduleTimer(timer, value, context.now);
    if (!scheduled.ok) throw invalidArgument(`Timer start event '${id}': ${scheduled.message}`);
    planned.push({ targetElementId: id, schedule: scheduled.schedule });
  }
  return planned;
}

export function replaceStartTimers(context: CommandContext, previous: ProcessDefinitionEntity | undefined, current: ProcessDefinitionEntity, planned: ReturnType<typeof planStartTimers>): void {
  if (previous && planned.length + previous.executable.process.triggeredStartEventIds.length > 0) {
    for (const key of [...(context.state.timersByOwner.get(previous.key) ?? [])]) context.emit({ type: 'TimerCanceled', key });
  }
  for (const { targetElementId, schedule } of planned) createTimer(context, undefined, current.key, targetElementId, schedule);
}
