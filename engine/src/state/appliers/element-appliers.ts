import { type ElementInstance, type ElementState, type EngineState } from '../engine-state';
import { applyElementMigrated, applyEventSubscriptionMigrated } from '../element-migrated';
import { type AppliersByType } from './registry';

/** Element instances: their lifecycle, join tokens and taken flows. */
export const elementAppliers = {
  ElementActivating(state, event) {
    state.noteKey(event.key);
    const instance: ElementInstance = {
      key: event.key,
      elementId: event.elementId,
      type: event.elementType,
      processInstanceKey: event.processInstanceKey,
      processDefinitionKey: event.processDefinitionKey,
      flowScopeKey: event.flowScopeKey,
      startDate: event.time,
      state: 'ACTIVATING',
      childKeys: state.set(),
      ...(event.elementType === 'PROCESS' ? { incidentCount: 0 } : {}),
      ...(event.parentElementInstanceKey !== undefined
        ? { parentElementInstanceKey: event.parentElementInstanceKey, parentProcessInstanceKey: state.element(event.parentElementInstanceKey).processInstanceKey }
        : {}),
    };
    if (event.parentElementInstanceKey !== undefined) state.touch(state.element(event.parentElementInstanceKey)).childProcessInstanceKey = event.key;
    state.elementInstances.set(event.key, instance);
    state.dirty.elementInstances.add(instance);
    if (event.flowScopeKey !== undefined) {
      const scope = state.element(event.flowScopeKey);
      scope.childKeys.add(event.key);
      if (event.consumedFlows) {
        const perFlow = scope.joinTokens?.get(event.elementId);
        for (const flowId of event.consumedFlows) {
          const left = (perFlow?.get(flowId) ?? 0) - 1;
          if (left > 0) perFlow!.set(flowId, left);
          else perFlow?.delete(flowId);
        }
        if (perFlow && perFlow.size === 0) scope.joinTokens!.delete(event.elementId);
      }
    }
  },
  ElementActivated: (state, event) => setElementState(state, event.key, 'ACTIVATED'),
  ElementCompleting: (state, event) => setElementState(state, event.key, 'COMPLETING'),
  ElementTerminating: (state, event) => setElementState(state, event.key, 'TERMINATING'),
  ElementCompleted: (state, event) => elementEnded(state, event.key, 'COMPLETED', event.time),
  ElementTerminated: (state, event) => elementEnded(state, event.key, 'TERMINATED', event.time),
  JoinTokenArrived(state, event) {
    const scope = state.element(event.scopeKey);
    const joinTokens = scope.joinTokens ?? (state.touch(scope).joinTokens = state.map());
    const perFlow = joinTokens.get(event.gatewayId) ?? joinTokens.set(event.gatewayId, state.map()).get(event.gatewayId)!;
    perFlow.set(event.flowId, (perFlow.get(event.flowId) ?? 0) + 1);
  },
  SequenceFlowTaken(state, event) {
    const scope = state.element(event.scopeKey);
    state.dirty.sequenceFlows.add({ processInstanceKey: scope.processInstanceKey, processDefinitionKey: scope.processDefinitionKey, flowId: event.flowId });
  },
  JoinTokensMigrated(state, event) {
    const scope = state.touch(state.element(event.scopeKey));
    const joinTokens = state.map<string, Map<string, number>>();
    for (const [gatewayId, perFlow] of event.tokens) {
      const counts = state.map<string, number>();
      for (const [flowId, count] of perFlow) counts.set(flowId, count);
      joinTokens.set(gatewayId, counts);
    }
    scope.joinTokens = joinTokens;
  },
  ElementMigrated: applyElementMigrated,
  EventSubscriptionMigrated: applyEventSubscriptionMigrated,
} satisfies Partial<AppliersByType>;

function setElementState(state: EngineState, key: number, elementState: ElementState): void {
  const instance = state.touch(state.element(key));
  instance.state = elementState;
  state.dirty.elementInstances.add(instance);
}

/** A finished element leaves memory with its variables; its final row is projected. */
function elementEnded(state: EngineState, key: number, elementState: 'COMPLETED' | 'TERMINATED', time: number): void {
  const instance = state.touch(state.element(key));
  instance.state = elementState;
  instance.endDate = time;
  state.dirty.elementInstances.add(instance);
  if (instance.flowScopeKey !== undefined) state.element(instance.flowScopeKey).childKeys.delete(key);
  state.elementInstances.delete(key);
  if (instance.type === 'PROCESS') {
    const lock = state.messageStartLockOf.get(key);
    if (lock !== undefined) state.messageStartLocks.delete(lock);
    state.messageStartLockOf.delete(key);
  }
  const scopeVariables = state.variablesByScope.get(key);
  if (scopeVariables) {
    for (const variable of scopeVariables.values()) state.variables.delete(variable.key);
    state.variablesByScope.delete(key);
  }
}
