import { type ExecutableProcess } from '../../model/process-model';
import { type ProcessDefinitionEntity } from '../../state/engine-state';
import { nextCycle, scheduleTimer, type TimerSchedule } from '../../timers/timer-schedule';
import { evaluateFeel } from '../../feel/feel';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { invalidArgument } from '../rejection';
import { createTimer } from '../subscriptions';

/**
 * Fires a due timer. A timer start event starts an instance (and plans its
 * next firing if it is a cycle); any other timer triggers the event its owner
 * waits for. A non-interrupting cycle on a boundary plans its next firing
 * before it triggers, so the host keeps it.
 */
export function fireTimer(context: CommandContext, key: number): void {
  const timer = context.state.timers.get(key);
  if (!timer || timer.dueAt > context.now) return;
  context.emit({ type: 'TimerTriggered', key });
  const next = timer.cycle ? nextCycle(timer.cycle, timer.repetitionsLeft, context.now) : undefined;
  const executor = new BpmnExecutor(context);
  if (timer.ownerKey === undefined) {
    const definition = context.state.definition(timer.processDefinitionKey);
    if (next) createTimer(context, undefined, definition.key, timer.targetElementId, next);
    executor.startProcess(definition, {}, timer.targetElementId);
    return;
  }
  const owner = context.state.elementInstances.get(timer.ownerKey);
  if (!owner) return;
  const { elements } = context.state.definition(owner.processDefinitionKey).executable;
  const target = elements.get(timer.targetElementId);
  const start = target?.type === 'SUB_PROCESS' ? elements.get(target.startEventId) : undefined;
  const keepsListening = (target?.type === 'BOUNDARY_EVENT' && !target.interrupting) || (start?.type === 'START_EVENT' && !start.interrupting);
  if (next && keepsListening) createTimer(context, owner.key, owner.processDefinitionKey, timer.targetElementId, next);
  executor.trigger(owner.key, timer.targetElementId, {});
}

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
