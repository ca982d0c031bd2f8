import { type EngineState, type TimerEntity } from '../engine-state';
import { removeFrom } from '../indexes';
import { type AppliersByType } from './registry';

/** Timers: planned, then triggered or canceled. */
export const timerAppliers = {
  TimerCreated(state, event) {
    state.noteKey(event.key);
    const owner = event.ownerKey === undefined ? undefined : state.element(event.ownerKey);
    const timer: TimerEntity = {
      key: event.key,
      ownerKey: event.ownerKey,
      processDefinitionKey: event.processDefinitionKey,
      processInstanceKey: owner?.processInstanceKey,
      targetElementId: event.targetElementId,
      dueAt: event.dueAt,
      repetitionsLeft: event.repetitionsLeft < 0 ? Infinity : event.repetitionsLeft,
      cycle: event.cycle,
    };
    state.indexTimer(timer);
    state.observer?.timerCreated(timer);
  },
  TimerTriggered: (state, event) => removeTimer(state, event.key),
  TimerCanceled: (state, event) => removeTimer(state, event.key),
} satisfies Partial<AppliersByType>;

function removeTimer(state: EngineState, key: number): void {
  const timer = state.timers.get(key);
  if (!timer) throw new Error(`Bug: timer ${key} is unknown`);
  state.timers.delete(key);
  removeFrom(state.timersByOwner, timer.ownerKey ?? timer.processDefinitionKey, key);
}
