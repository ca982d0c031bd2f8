import { correlationOf, addTo, type EngineState, type ElementInstance, type JobEntity, type MessageEntity, type TimerEntity } from './engine-state';
import { type EngineEvent } from './events';

/**
 * The engine's state as JSON, taken between batches at a log position, so a
 * restart restores it and replays only the log after that position.
 *
 * Definitions travel as the deployment events that made them (with their XML),
 * so restoring re-reads the models and re-applies those events with the same
 * appliers as a replay. Everything else is the live entities; the indexes
 * beside them are rebuilt. Version 1 of the format; a new shape gets a new
 * version, and an unknown version is ignored (the log is replayed instead).
 */
export interface StateSnapshot {
  readonly format: 1;
  readonly lastKey: number;
  readonly deployments: Extract<EngineEvent, { type: 'DeploymentCreated' }>[];
  readonly elementInstances: (Omit<ElementInstance, 'childKeys' | 'joinTokens'> & { childKeys: number[]; joinTokens?: [string, [string, number][]][] })[];
  readonly variables: { key: number; name: string; scopeKey: number; processInstanceKey: number; value: string }[];
  readonly jobs: JobEntity[];
  /** Activatable job keys per type, in the order they are handed out. */
  readonly activatable: [string, number[]][];
  readonly incidents: unknown[];
  readonly timers: (Omit<TimerEntity, 'repetitionsLeft'> & { repetitionsLeft: number })[];
  readonly messageSubscriptions: unknown[];
  readonly messages: (Omit<MessageEntity, 'correlatedInstances'> & { correlatedInstances: number[] })[];
  readonly messageStartLocks: [string, number][];
  readonly signalSubscriptions: unknown[];
  readonly userTasks: unknown[];
}

export const SNAPSHOT_FORMAT = 1;

export function captureState(state: EngineState): StateSnapshot {
  const { lastKey, messageStartLocks } = state.internals();
  const deployments: StateSnapshot['deployments'] = [];
  const deploymentOf = (key: number, tenantId: string) => {
    const event = { type: 'DeploymentCreated' as const, key, tenantId, processes: [], decisionGraphs: [], forms: [], time: 0 };
    deployments.push(event);
    return event as { processes: unknown[]; decisionGraphs: unknown[]; forms: unknown[] };
  };
  // One synthetic deployment per definition, in key order, so versions are appended as they were.
  const definitions = [
    ...[...state.definitions.values()].map((d) => ({ key: d.key, add: () => (deploymentOf(d.deploymentKey, d.tenantId).processes.push(strip(d, ['deploymentKey', 'tenantId', 'executable']))) })),
    ...[...state.decisionGraphs.values()].map((g) => ({ key: g.key, add: () => (deploymentOf(g.deploymentKey, g.tenantId).decisionGraphs.push(strip(g, ['deploymentKey', 'tenantId', 'graph']))) })),
    ...[...state.forms.values()].map((f) => ({ key: f.key, add: () => (deploymentOf(f.deploymentKey, f.tenantId).forms.push(strip(f, ['deploymentKey', 'tenantId']))) })),
  ].sort((a, b) => a.key - b.key);
  for (const definition of definitions) definition.add();

  return {
    format: SNAPSHOT_FORMAT,
    lastKey,
    deployments,
    elementInstances: [...state.elementInstances.values()].map((instance) => ({
      ...instance,
      childKeys: [...instance.childKeys],
      joinTokens: instance.joinTokens ? [...instance.joinTokens].map(([gateway, perFlow]) => [gateway, [...perFlow]] as [string, [string, number][]]) : undefined,
    })),
    variables: [...state.variables.values()].map((v) => ({ ...v })),
    jobs: [...state.jobs.values()].map((j) => ({ ...j })),
    activatable: [...state.activatableJobs].map(([type, keys]) => [type, [...keys]]),
    incidents: [...state.incidents.values()],
    timers: [...state.timers.values()].map((t) => ({ ...t, repetitionsLeft: Number.isFinite(t.repetitionsLeft) ? t.repetitionsLeft : -1 })),
    messageSubscriptions: [...state.messageSubscriptions.values()],
    messages: [...state.messages.values()].map((m) => ({ ...m, correlatedInstances: [...m.correlatedInstances] })),
    messageStartLocks,
    signalSubscriptions: [...state.signalSubscriptions.values()],
    userTasks: [...state.userTasks.values()],
  };
}

/**
 * Restores a snapshot into an empty state whose deployments' models are
 * already parsed (ParsedResources.parseLogged for each of `deployments`).
 */
export function restoreState(state: EngineState, snapshot: StateSnapshot): void {
  for (const deployment of snapshot.deployments) state.apply(deployment);
  for (const raw of snapshot.elementInstances) {
    const instance: ElementInstance = {
      ...raw,
      childKeys: new Set(raw.childKeys),
      joinTokens: raw.joinTokens ? new Map(raw.joinTokens.map(([gateway, perFlow]) => [gateway, new Map(perFlow)])) : undefined,
    };
    if (instance.joinTokens === undefined) delete instance.joinTokens;
    state.elementInstances.set(instance.key, instance);
  }
  for (const variable of snapshot.variables) {
    state.variables.set(variable.key, variable);
    const scope = state.variablesByScope.get(variable.scopeKey) ?? state.variablesByScope.set(variable.scopeKey, new Map()).get(variable.scopeKey)!;
    scope.set(variable.name, variable);
  }
  for (const job of snapshot.jobs) state.jobs.set(job.key, job);
  for (const [type, keys] of snapshot.activatable) state.activatableJobs.set(type, new Set(keys));
  for (const incident of snapshot.incidents as { key: number }[]) state.incidents.set(incident.key, incident as never);
  for (const raw of snapshot.timers) {
    const timer: TimerEntity = { ...raw, repetitionsLeft: raw.repetitionsLeft < 0 ? Infinity : raw.repetitionsLeft };
    state.timers.set(timer.key, timer);
    addTo(state.timersByOwner, timer.ownerKey ?? timer.processDefinitionKey, timer.key);
  }
  for (const subscription of snapshot.messageSubscriptions as { key: number; ownerKey: number; messageName: string; correlationKey: string }[]) {
    state.messageSubscriptions.set(subscription.key, subscription as never);
    addTo(state.subscriptionsByCorrelation, correlationOf(subscription.messageName, subscription.correlationKey), subscription.key);
    addTo(state.subscriptionsByOwner, subscription.ownerKey, subscription.key);
  }
  for (const raw of snapshot.messages) {
    const message: MessageEntity = { ...raw, correlatedInstances: new Set(raw.correlatedInstances) };
    state.messages.set(message.key, message);
    addTo(state.messagesByCorrelation, correlationOf(message.name, message.correlationKey), message.key);
    if (message.messageId !== undefined) state.messageIds.set(correlationOf(message.name, message.messageId), message.key);
  }
  for (const subscription of snapshot.signalSubscriptions as { key: number; ownerKey: number; signalName: string }[]) {
    state.signalSubscriptions.set(subscription.key, subscription as never);
    addTo(state.signalSubscriptionsByName, subscription.signalName, subscription.key);
    addTo(state.signalSubscriptionsByOwner, subscription.ownerKey, subscription.key);
  }
  for (const task of snapshot.userTasks as { key: number; elementInstanceKey: number }[]) {
    state.userTasks.set(task.key, task as never);
    state.userTaskByElement.set(task.elementInstanceKey, task.key);
  }
  state.restoreInternals(snapshot.lastKey, snapshot.messageStartLocks);
  state.takeDirty(); // restored rows are already projected
}

function strip<T extends object>(entity: T, fields: readonly string[]): never {
  const copy = { ...entity } as Record<string, unknown>;
  for (const field of fields) delete copy[field];
  return copy as never;
}
