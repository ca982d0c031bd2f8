import {
  type ElementInstance,
  type EngineState,
  type IncidentEntity,
  type JobEntity,
  type MessageEntity,
  type MessageSubscriptionEntity,
  type SignalSubscriptionEntity,
  type TimerEntity,
  type UserTaskEntity,
} from './engine-state';
import { type BatchOperationEntity } from './batch-operations';
import { type CompensationSubscriptionEntity } from './compensation-subscriptions';
import { type EngineEvent } from './events';

/**
 * The engine's state as JSON, taken between batches at a log position, so a
 * restart restores it and replays only the log after that position.
 *
 * Definitions travel as the deployment events that made them (with their XML),
 * so restoring re-reads the models and re-applies those events with the same
 * appliers as a replay. Everything else is the live entities; the indexes
 * beside them are rebuilt. A new shape gets a new format version, and an
 * unknown version is ignored (the log is replayed instead): format 2 added
 * compensation subscriptions, which an engine knowing only format 1 would
 * silently drop, leaving a compensation throw event waiting for good.
 */
export interface StateSnapshot {
  readonly format: SnapshotFormat;
  readonly lastKey: number;
  readonly deployments: Extract<EngineEvent, { type: 'DeploymentCreated' }>[];
  readonly elementInstances: (Omit<ElementInstance, 'childKeys' | 'joinTokens'> & { childKeys: number[]; joinTokens?: [string, [string, number][]][] })[];
  readonly variables: { key: number; name: string; scopeKey: number; processInstanceKey: number; value: string }[];
  readonly jobs: JobEntity[];
  /** Activatable job keys per type, in the order they are handed out. */
  readonly activatable: [string, number[]][];
  readonly incidents: IncidentEntity[];
  readonly timers: (Omit<TimerEntity, 'repetitionsLeft'> & { repetitionsLeft: number })[];
  readonly messageSubscriptions: MessageSubscriptionEntity[];
  readonly messages: (Omit<MessageEntity, 'correlatedInstances' | 'startedProcesses'> & { correlatedInstances: number[]; startedProcesses?: string[] })[];
  readonly messageStartLocks: [string, number][];
  readonly signalSubscriptions: SignalSubscriptionEntity[];
  readonly userTasks: UserTaskEntity[];
  /** Added with batch operations; absent in snapshots written before them. */
  readonly batchOperations?: BatchOperationEntity[];
  /** Added with compensation; absent in snapshots written before it. */
  readonly compensationSubscriptions?: CompensationSubscriptionEntity[];
  /** Highest deleted versions per resource id (absent in snapshots taken before resources could be deleted). */
  readonly deletedVersions?: [string, number][];
}

/** The format this engine writes; it reads every format in READABLE_SNAPSHOT_FORMATS. */
export const SNAPSHOT_FORMAT = 2;
/** Format 1 lacks only fields that are optional here (batch operations, compensation subscriptions, deleted versions). */
export const READABLE_SNAPSHOT_FORMATS: readonly number[] = [1, 2];
export type SnapshotFormat = 1 | 2;

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
    messages: [...state.messages.values()].map((m) => ({ ...m, correlatedInstances: [...m.correlatedInstances], startedProcesses: [...m.startedProcesses] })),
    messageStartLocks,
    signalSubscriptions: [...state.signalSubscriptions.values()],
    userTasks: [...state.userTasks.values()],
    batchOperations: [...state.batchOperations.operations.values()].map((operation) => ({ ...operation, items: operation.items.map((item) => ({ ...item })) })),
    compensationSubscriptions: [...state.compensationSubscriptions.subscriptions.values()].map((subscription) => ({ ...subscription })),
    deletedVersions: [...state.deletedVersions],
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
      childKeys: state.set(raw.childKeys),
      joinTokens: raw.joinTokens ? journaledJoinTokens(state, raw.joinTokens) : undefined,
    };
    if (instance.joinTokens === undefined) delete instance.joinTokens;
    state.elementInstances.set(instance.key, instance);
  }
  for (const variable of snapshot.variables) state.indexVariable(variable);
  for (const job of snapshot.jobs) state.jobs.set(job.key, job);
  for (const [type, keys] of snapshot.activatable) state.activatableJobs.set(type, state.set(keys));
  for (const incident of snapshot.incidents) state.incidents.set(incident.key, incident);
  for (const timer of snapshot.timers) state.indexTimer({ ...timer, repetitionsLeft: timer.repetitionsLeft < 0 ? Infinity : timer.repetitionsLeft });
  for (const subscription of snapshot.messageSubscriptions) state.indexMessageSubscription(subscription);
  // Snapshots written before startedProcesses was kept have none.
  for (const message of snapshot.messages) state.indexMessage({ ...message, correlatedInstances: state.set(message.correlatedInstances), startedProcesses: state.set(message.startedProcesses ?? []) });
  for (const subscription of snapshot.signalSubscriptions) state.indexSignalSubscription(subscription);
  for (const task of snapshot.userTasks) state.indexUserTask(task);
  for (const operation of snapshot.batchOperations ?? []) state.batchOperations.add(operation);
  for (const subscription of snapshot.compensationSubscriptions ?? []) state.compensationSubscriptions.add(subscription);
  for (const [id, version] of snapshot.deletedVersions ?? []) state.deletedVersions.set(id, version);
  state.restoreInternals(snapshot.lastKey, snapshot.messageStartLocks);
  state.takeDirty(); // restored rows are already projected
}

function strip<T extends object>(entity: T, fields: readonly string[]): never {
  const copy = { ...entity } as Record<string, unknown>;
  for (const field of fields) delete copy[field];
  return copy as never;
}

/** Join tokens restored into the state's journaled maps, so a failed command can undo changes to them. */
function journaledJoinTokens(state: EngineState, raw: readonly [string, [string, number][]][]): Map<string, Map<string, number>> {
  const tokens = state.map<string, Map<string, number>>();
  for (const [gateway, perFlow] of raw) {
    const counts = state.map<string, number>();
    for (const [flow, count] of perFlow) counts.set(flow, count);
    tokens.set(gateway, counts);
  }
  return tokens;
}
