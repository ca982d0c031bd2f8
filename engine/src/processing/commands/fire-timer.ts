import { nextCycle } from '../../timers/timer-schedule';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
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
