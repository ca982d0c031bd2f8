import { type Logger, OperatorError } from '@claims/deploy';
import { EngineClock } from './clock';
import { DueQueue } from './due-queue';
import { useFeelClock } from './feel/feel';
import { EngineStore, type SnapshotWriteOptions } from './persistence/engine-store';
import { BatchOperationReads } from './queries/batch-operation-reads';
import { liveBatchOperationRows } from './persistence/batch-operation-projection';
import { projectionRows } from './persistence/projections';
import { type CommandContext } from './processing/command-context';
import { CommandPipeline } from './processing/command-pipeline';
import { checkDeployment, deploy, type DeploymentResource, type DeploymentResult } from './processing/commands/deploy';
import { evaluateDecisionCommand, type EvaluateDecision } from './processing/commands/evaluate-decision';
import { type DecisionEvaluation } from './processing/commands/evaluate-logged-decision';
import { releaseDue } from './processing/commands/release-due';
import { raiseFailureIncident } from './processing/failure-incident';
import { broadcastSignal } from './processing/commands/broadcast-signal';
import { correlateMessage } from './processing/commands/correlate-message';
import { publishMessage, type PublishMessage, type PublishedMessage } from './processing/commands/publish-message';
import { assignUserTask } from './processing/commands/assign-user-task';
import { completeUserTask } from './processing/commands/complete-user-task';
import { unassignUserTask } from './processing/commands/unassign-user-task';
import { updateUserTask } from './processing/commands/update-user-task';
import { type UserTaskChanges } from './state/events';
import { resolveIncident } from './processing/commands/resolve-incident';
import { deleteResource } from './processing/commands/delete-resource';
import { activateJobs, type ActivateJobs, type ActivatedJob } from './processing/commands/activate-jobs';
import { completeJob } from './processing/commands/complete-job';
import { failJob, type FailJob } from './processing/commands/fail-job';
import { throwJobError } from './processing/commands/throw-job-error';
import { updateJob } from './processing/commands/update-job';
import { cancelProcessInstance } from './processing/commands/cancel-process-instance';
import { createProcessInstance, type CreateProcessInstance, type CreatedProcessInstance } from './processing/commands/create-process-instance';
import { setVariables } from './processing/commands/set-variables';
import { createBatchOperation, type CreatedBatchOperation } from './processing/commands/create-batch-operation';
import { processBatchChunk } from './processing/commands/process-batch-chunk';
import { cancelBatchOperation } from './processing/commands/cancel-batch-operation';
import { resumeBatchOperation } from './processing/commands/resume-batch-operation';
import { suspendBatchOperation } from './processing/commands/suspend-batch-operation';
import { migrateProcessInstance } from './processing/commands/migrate-process-instance';
import { modifyProcessInstance, type ModifyProcessInstance } from './processing/commands/modify-process-instance';
import { activateAdHocActivities, type AdHocActivation } from './processing/commands/activate-ad-hoc-activities';
import { type TaskListenerResult } from './processing/task-listeners';
import { type BatchOperationType, type MigrationPlan, type MoveInstruction } from './state/events';
import { invalidState, Rejection } from './processing/rejection';
import { type VariableDocument } from './processing/variables';
import { EngineState, type JobEntity } from './state/engine-state';
import { ParsedResources } from './state/parsed-resources';
import { captureState, READABLE_SNAPSHOT_FORMATS, restoreState, type StateSnapshot } from './state/state-snapshot';
import { OperationsQueries } from './queries/operations-queries';
import { EngineQueries } from './queries/engine-queries';

export interface EngineOptions {
  readonly databaseUrl: URL;
  readonly logger: Logger;
  readonly clock?: EngineClock;
  /** Log entries between state snapshots (default DEFAULT_SNAPSHOT_EVERY). */
  readonly snapshotEvery?: number;
  /** Batch operation items processed per command (default DEFAULT_BATCH_CHUNK). */
  readonly batchChunkSize?: number;
  /** Bound on one snapshot chunk's JSON, in characters (default DEFAULT_SNAPSHOT_CHUNK_BYTES). */
  readonly snapshotChunkChars?: number;
  /** `compact` deletes the log behind the oldest kept snapshot each time one is written (ENGINE_LOG_RETENTION); default `keep`. */
  readonly logRetention?: LogRetention;
}

export type LogRetention = 'keep' | 'compact';

/** Batch operation items per command: small enough that other commands are not held up behind a large batch. */
export const DEFAULT_BATCH_CHUNK = 100;

/** Log entries between snapshots: a restart replays at most this many entries after the newest one. */
export const DEFAULT_SNAPSHOT_EVERY = 20_000;

/**
 * The state as of the end of the log: the newest snapshot, then the entries
 * after it. A snapshot that cannot be restored (a format this version does not
 * know, a bug) is logged and skipped, and the whole log is replayed instead.
 */
async function rebuildState(store: EngineStore, logger: Logger): Promise<{ state: EngineState; parsed: ParsedResources; snapshotPosition: number; replayed: number }> {
  // Newest first; the older kept snapshot is the fallback, and the only one once the log before the newest is compacted.
  for (const position of await store.snapshotPositions()) {
    const parsed = new ParsedResources();
    const state = new EngineState(parsed);
    try {
      const restored = await store.readSnapshot(position);
      if (!READABLE_SNAPSHOT_FORMATS.includes(restored.format)) throw new Error(`unknown snapshot format ${String(restored.format)}`);
      for (const deployment of restored.deployments) await parsed.parseLogged(deployment);
      restoreState(state, restored);
      const replayed = await replayInto(store, state, parsed, position);
      return { state, parsed, snapshotPosition: position, replayed };
    } catch (error) {
      logger.warn({ err: error, position }, 'the snapshot could not be restored; trying an older one or the whole log');
    }
  }
  // A compacted log no longer starts at 1: replaying it alone would silently lose what the deleted entries did.
  const first = await store.firstPosition();
  if (first !== undefined && first > 1) {
    throw new OperatorError(
      `The engine log was compacted up to position ${first} and no kept snapshot could be restored.`,
      'Restore the engine database from a backup; the log alone no longer holds the whole state.',
    );
  }
  const parsed = new ParsedResources();
  const state = new EngineState(parsed);
  const replayed = await replayInto(store, state, parsed, 0);
  return { state, parsed, snapshotPosition: 0, replayed };
}

async function replayInto(store: EngineStore, state: EngineState, parsed: ParsedResources, from: number): Promise<number> {
  const replayed = await store.replay(async (entry) => {
    for (const event of entry.events) {
      if (event.type === 'DeploymentCreated') await parsed.parseLogged(event);
      state.apply(event);
    }
  }, from);
  state.takeDirty(); // replayed rows are already projected
  return replayed;
}

/** The awaited process instance did not finish within the request timeout. */
export class DeadlineExceeded extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceeded';
  }
}

interface JobWaiter {
  readonly request: ActivateJobs;
  readonly isClientGone: () => boolean;
  readonly resolve: (jobs: ActivatedJob[]) => void;
  readonly timer: NodeJS.Timeout;
  done: boolean;
}

/** Due timers, deadlines and expiries handled per command. */
const DUE_PER_COMMAND = 200;

/** Long-polling default, as Camunda's: a request without a timeout waits 10 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The embedded engine: state rebuilt from the log on start, one command
 * pipeline writing to it, long-polling job activation, job deadlines and
 * back-offs, and the read side for searches.
 */
export class Engine {
  readonly queries: EngineQueries;
  /** Batch operations and their items, from their projection tables. */
  readonly batchOperationReads: BatchOperationReads;
  readonly operations: OperationsQueries;
  private readonly jobWaiters = new Map<string, JobWaiter[]>();
  private readonly resultWaiters = new Map<number, (variables: VariableDocument) => void>();
  private readonly typesToServe = new Set<string>();
  private serving = false;
  private stopped = false;
  private batchChunkSize = DEFAULT_BATCH_CHUNK;
  /** Whether a chunk of batch operation items is in the pipeline (one at a time). */
  private batchRunning = false;
  private snapshotOptions: SnapshotWriteOptions = {};

  /** How the state was rebuilt at start: from which snapshot position, replaying how many log entries. */
  startup = { snapshotPosition: 0, replayed: 0 };

  private constructor(
    readonly state: EngineState,
    private readonly store: EngineStore,
    private readonly pipeline: CommandPipeline,
    readonly clock: EngineClock,
    private readonly due: DueQueue,
    private readonly logger: Logger,
    /** Parsed models, shared with the state's appliers. */
    private readonly parsed: ParsedResources,
  ) {
    this.queries = new EngineQueries(store.readers);
    this.batchOperationReads = new BatchOperationReads(store.readers);
    this.operations = new OperationsQueries(store.readers);
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const { logger } = options;
    const clock = options.clock ?? new EngineClock();
    useFeelClock(() => clock.now());
    // The engine made below, once made: the store's and the pipeline's failures stop it.
    const built: { engine?: Engine } = {};
    const failStop = () => {
      // Memory may be ahead of the log, or another engine may now hold the lock: stop without writing, and let the next start recover from the log.
      process.exitCode = 1;
      void built.engine?.stop({ finalSnapshot: false }).finally(() => process.exit(1));
    };
    const store = await EngineStore.open(options.databaseUrl, {
      // The reason, not the error: pg hangs the whole client on it.
      readerLost: (error) => logger.warn({ reason: error.message, code: (error as { code?: string }).code }, 'PostgreSQL closed a search connection; the next search opens another'),
      writerLost: (connection, error) => {
        // Before the engine is made, the query that meets the closed connection fails the start.
        if (!built.engine || built.engine.stopped) return;
        logger.error({ reason: error.message, code: (error as { code?: string }).code, connection }, 'PostgreSQL closed the engine’s %s connection; the engine stops so that it never writes without its lock', connection);
        failStop();
      },
    });
    try {
      const started = Date.now();
      const { state, parsed, snapshotPosition, replayed } = await rebuildState(store, logger);
      logger.info(
        { snapshotPosition, entriesReplayed: replayed, ms: Date.now() - started, activeElements: state.elementInstances.size, jobs: state.jobs.size },
        'state rebuilt from snapshot and log',
      );
      // The live entities are projected again from the state the log gives.
      state.markLiveDirty();
      await store.commit([], [...projectionRows(state, state.takeDirty(), clock.now()), ...liveBatchOperationRows(state)]);

      // The engine is made after the parts that call back into it.
      const due = new DueQueue(clock, (keys) => built.engine?.releaseDue(keys));
      const pipeline = new CommandPipeline(
        state,
        store,
        () => clock.now(),
        (await store.lastPosition()) + 1,
        logger,
        failStop,
        (context) => built.engine?.onCommitted(context),
        {
          every: options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY,
          capture: () => captureState(state),
          write: async (position, snapshot) => built.engine?.writeSnapshot(position, snapshot),
        },
      );
      const engine = new Engine(state, store, pipeline, clock, due, logger, parsed);
      built.engine = engine;
      engine.startup = { snapshotPosition, replayed };
      engine.batchChunkSize = options.batchChunkSize ?? DEFAULT_BATCH_CHUNK;
      engine.snapshotOptions = { chunkChars: options.snapshotChunkChars, compactLog: options.logRetention === 'compact' };
      engine.attach();
      return engine;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** From here on, state changes wake long polls and plan deadlines. */
  private attach(): void {
    this.state.observer = {
      jobActivatable: (job) => this.noteWork(job.type),
      jobDeadline: (job, at) => this.due.add(at, job.key),
      jobRetryAt: (job, at) => this.due.add(at, job.key),
      timerCreated: (timer) => this.due.add(timer.dueAt, timer.key),
      messageBuffered: (message) => this.due.add(message.expiresAt, message.key),
    };
    for (const job of this.state.jobs.values()) this.planJob(job);
    for (const timer of this.state.timers.values()) this.due.add(timer.dueAt, timer.key);
    for (const message of this.state.messages.values()) this.due.add(message.expiresAt, message.key);
    // Batch operations a stop interrupted go on from their first unprocessed item.
    this.driveBatchOperations();
  }

  async deploy(resources: readonly DeploymentResource[], tenantId = '<default>'): Promise<DeploymentResult> {
    const checked = await checkDeployment(resources, tenantId);
    for (const process of checked.processes) this.parsed.addProcess(process.checksum, process.executable);
    for (const resource of checked.decisionGraphs) this.parsed.addDecisionGraph(resource.checksum, resource.graph);
    return this.pipeline.submit((context) => deploy(context, checked));
  }

  async createProcessInstance(
    request: CreateProcessInstance,
    options: { awaitCompletion?: boolean; requestTimeout?: number; fetchVariables?: readonly string[] } = {},
  ): Promise<CreatedProcessInstance & { variables?: VariableDocument }> {
    if (!options.awaitCompletion) return this.pipeline.submit((context) => createProcessInstance(context, request));
    let finished: ((variables: VariableDocument) => void) | undefined;
    const result = new Promise<VariableDocument>((resolve) => (finished = resolve));
    const created = await this.pipeline.submit((context) => {
      const instance = createProcessInstance(context, request);
      // Registered while processing, so a completion in any later command finds it.
      if (!context.completedProcesses.has(instance.processInstanceKey)) this.resultWaiters.set(instance.processInstanceKey, finished!);
      return { ...instance, completedWith: context.completedProcesses.get(instance.processInstanceKey) };
    });
    const timeout = options.requestTimeout && options.requestTimeout > 0 ? options.requestTimeout : DEFAULT_REQUEST_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      const variables =
        created.completedWith ??
        (await Promise.race([
          result,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new DeadlineExceeded(`Expected to complete process instance '${created.processInstanceKey}' within ${timeout} ms, but it is still running`)),
              timeout,
            );
          }),
        ]));
      return { definition: created.definition, processInstanceKey: created.processInstanceKey, variables: pickVariables(variables, options.fetchVariables) };
    } finally {
      clearTimeout(timer);
      this.resultWaiters.delete(created.processInstanceKey);
    }
  }

  evaluateDecision(request: EvaluateDecision): Promise<DecisionEvaluation> {
    return this.pipeline.submit((context) => evaluateDecisionCommand(context, request));
  }

  /** Resolves when every command submitted so far is committed. */
  idle(): Promise<void> {
    return this.pipeline.drained();
  }

  cancelProcessInstance(processInstanceKey: number): Promise<void> {
    return this.pipeline.submit((context) => cancelProcessInstance(context, processInstanceKey));
  }

  activateAdHocActivities(adHocSubProcessInstanceKey: number, elements: readonly AdHocActivation[]): Promise<void> {
    return this.pipeline.submit((context) => activateAdHocActivities(context, adHocSubProcessInstanceKey, elements));
  }

  modifyProcessInstance(processInstanceKey: number, request: ModifyProcessInstance): Promise<void> {
    return this.pipeline.submit((context) => modifyProcessInstance(context, processInstanceKey, request));
  }

  migrateProcessInstance(processInstanceKey: number, plan: MigrationPlan): Promise<void> {
    return this.pipeline.submit((context) => migrateProcessInstance(context, processInstanceKey, plan));
  }

  /**
   * Creates a batch operation over the process instances the filter matches
   * now (active ones; with incidents, to resolve them), read from the
   * projections, which hold everything committed before this request. Its
   * items are then processed in the background.
   */
  async createBatchOperation(
    type: BatchOperationType,
    filter: Record<string, unknown>,
    plan: { migrationPlan?: MigrationPlan; moveInstructions?: readonly MoveInstruction[] } = {},
  ): Promise<CreatedBatchOperation> {
    const matching = { ...filter, state: 'ACTIVE', ...(type === 'RESOLVE_INCIDENT' ? { hasIncident: true } : {}) };
    const keys: number[] = [];
    for (let from = 0; ; ) {
      const page = await this.queries.searchProcessInstances({ filter: matching, sort: [{ field: 'processInstanceKey', order: 'asc' }], page: { from, limit: 10_000 } });
      for (const item of page.items) keys.push(Number(item.processInstanceKey));
      if (page.items.length < 10_000) break;
      from += page.items.length;
    }
    const created = await this.pipeline.submit((context) => createBatchOperation(context, type, keys, plan));
    this.driveBatchOperations();
    return created;
  }

  suspendBatchOperation(key: number): Promise<void> {
    return this.onBatchOperation(key, 'suspend', (context) => suspendBatchOperation(context, key));
  }

  async resumeBatchOperation(key: number): Promise<void> {
    await this.onBatchOperation(key, 'resume', (context) => resumeBatchOperation(context, key));
    this.driveBatchOperations();
  }

  cancelBatchOperation(key: number): Promise<void> {
    return this.onBatchOperation(key, 'cancel', (context) => cancelBatchOperation(context, key));
  }

  /**
   * Ended batch operations leave memory, so a command on one is refused as
   * unknown there; its projection row still knows it, and the answer is 409
   * (it is in a state that allows no such command), as before it left.
   */
  private async onBatchOperation(key: number, action: string, command: (context: CommandContext) => void): Promise<void> {
    try {
      await this.pipeline.submit(command);
    } catch (error) {
      if (error instanceof Rejection && error.kind === 'NOT_FOUND') {
        const ended = await this.batchOperationReads.stateOf(key);
        if (ended) throw invalidState(`Expected to ${action} batch operation with key '${key}', but it is ${ended}: it has ended`);
      }
      throw error;
    }
  }

  /** One chunk of batch operation items at a time, oldest batch first, until none is left or the engine stops. */
  private driveBatchOperations(): void {
    if (this.batchRunning || this.stopped) return;
    const next = this.state.batchOperations.active.values().next();
    if (next.done) return;
    this.batchRunning = true;
    const size = this.batchChunkSize;
    this.pipeline.submit((context) => processBatchChunk(context, next.value, size)).then(
      () => {
        this.batchRunning = false;
        setImmediate(() => this.driveBatchOperations());
      },
      (error: unknown) => {
        // Nothing of the failed chunk was kept; try again a little later rather than spin.
        this.batchRunning = false;
        this.logger.error({ err: error, batchOperationKey: next.value }, 'processing batch operation items failed');
        setTimeout(() => this.driveBatchOperations(), 1_000).unref();
      },
    );
  }

  /**
   * Long polling: answers as soon as jobs of the type exist, else waits up to
   * the request timeout (0 means the default, negative means do not wait).
   * A request whose client has gone is never handed jobs.
   */
  async activateJobs(request: ActivateJobs, options: { requestTimeout?: number; isClientGone: () => boolean }): Promise<ActivatedJob[]> {
    const jobs = await this.pipeline.submit((context) => (options.isClientGone() ? [] : activateJobs(context, request)));
    const requestTimeout = options.requestTimeout ?? 0;
    if (jobs.length > 0 || requestTimeout < 0 || this.stopped) return jobs;
    const wait = requestTimeout === 0 ? DEFAULT_REQUEST_TIMEOUT_MS : requestTimeout;
    return new Promise((resolve) => {
      const waiter: JobWaiter = {
        request,
        isClientGone: options.isClientGone,
        done: false,
        resolve: (found) => {
          if (waiter.done) return;
          waiter.done = true;
          clearTimeout(waiter.timer);
          resolve(found);
        },
        timer: setTimeout(() => waiter.resolve([]), wait),
      };
      const waiters = this.jobWaiters.get(request.type) ?? this.jobWaiters.set(request.type, []).get(request.type)!;
      waiters.push(waiter);
      // Jobs may have appeared between the first look and now.
      if ((this.state.activatableJobs.get(request.type)?.size ?? 0) > 0) this.noteWork(request.type);
    });
  }

  completeJob(jobKey: number, variables: VariableDocument, result?: TaskListenerResult): Promise<void> {
    return this.pipeline.submit((context) => completeJob(context, jobKey, variables, result), incidentOnJobElement(jobKey));
  }

  failJob(jobKey: number, request: FailJob): Promise<void> {
    return this.pipeline.submit((context) => failJob(context, jobKey, request), incidentOnJobElement(jobKey));
  }

  throwJobError(jobKey: number, errorCode: string, errorMessage: string, variables: VariableDocument): Promise<void> {
    return this.pipeline.submit((context) => throwJobError(context, jobKey, errorCode, errorMessage, variables), incidentOnJobElement(jobKey));
  }

  updateJob(jobKey: number, changes: { retries?: number; timeout?: number }): Promise<void> {
    return this.pipeline.submit((context) => updateJob(context, jobKey, changes));
  }

  publishMessage(request: PublishMessage): Promise<PublishedMessage> {
    return this.pipeline.submit((context) => publishMessage(context, request));
  }

  correlateMessage(request: Omit<PublishMessage, 'timeToLive' | 'messageId'>): Promise<PublishedMessage> {
    return this.pipeline.submit((context) => correlateMessage(context, request));
  }

  broadcastSignal(signalName: string, variables: VariableDocument): Promise<number> {
    return this.pipeline.submit((context) => broadcastSignal(context, signalName, variables));
  }

  assignUserTask(key: number, assignee: string, allowOverride: boolean): Promise<void> {
    return this.onUserTask(key, 'assign', (context) => assignUserTask(context, key, assignee, allowOverride));
  }

  unassignUserTask(key: number): Promise<void> {
    return this.onUserTask(key, 'unassign', (context) => unassignUserTask(context, key));
  }

  updateUserTask(key: number, changes: UserTaskChanges): Promise<void> {
    return this.onUserTask(key, 'update', (context) => updateUserTask(context, key, changes));
  }

  completeUserTask(key: number, variables: VariableDocument): Promise<void> {
    return this.onUserTask(key, 'complete', (context) => completeUserTask(context, key, variables), (context, error) =>
      raiseFailureIncident(context, context.state.userTasks.get(key)?.elementInstanceKey, error),
    );
  }

  /**
   * Finished user tasks leave memory, so a command on one is refused as
   * unknown there; the projection still knows it, and the answer is 409 (wrong
   * state), not 404, as on Camunda.
   */
  private async onUserTask(
    key: number,
    action: string,
    command: (context: CommandContext) => void,
    onFailure?: (context: CommandContext, error: unknown) => void,
  ): Promise<void> {
    try {
      await this.pipeline.submit(command, onFailure);
    } catch (error) {
      if (error instanceof Rejection && error.kind === 'NOT_FOUND') {
        const finished = await this.queries.userTaskState(String(key));
        if (finished) throw invalidState(`Expected to ${action} user task with key '${key}', but it is in state '${finished}'`);
      }
      throw error;
    }
  }

  resolveIncident(incidentKey: number): Promise<void> {
    return this.pipeline.submit((context) => resolveIncident(context, incidentKey));
  }

  deleteResource(resourceKey: number): Promise<void> {
    return this.pipeline.submit((context) => deleteResource(context, resourceKey));
  }

  setVariables(scopeKey: number, variables: VariableDocument, local: boolean): Promise<void> {
    return this.pipeline.submit((context) => setVariables(context, scopeKey, variables, local));
  }

  /**
   * Stops taking work: open long polls get no jobs, queued commands are
   * committed, a final snapshot is written (unless told not to, as tests do to
   * act out a crash), connections close.
   */
  async stop(options: { finalSnapshot?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.due.stop();
    for (const waiters of this.jobWaiters.values()) for (const waiter of waiters) waiter.resolve([]);
    this.jobWaiters.clear();
    await this.pipeline.drained().catch(() => undefined);
    // A clean stop leaves a snapshot at the end of the log, so the next start replays nothing.
    if (options.finalSnapshot !== false && !this.pipeline.hasFailed) await this.writeSnapshot(this.pipeline.position, captureState(this.state)).catch((error: unknown) => this.logger.warn({ err: error }, 'the final snapshot could not be written'));
    await this.store.close();
    this.logger.info('engine stopped');
  }

  /** Writes a snapshot taken at a committed position, compacting the log behind it if the retention setting says so. */
  private async writeSnapshot(position: number, snapshot: StateSnapshot): Promise<void> {
    const started = Date.now();
    const { chunks, logEntriesDeleted } = await this.store.writeSnapshot(position, snapshot, this.snapshotOptions);
    this.logger.info({ position, chunks, logEntriesDeleted, ms: Date.now() - started }, 'snapshot written');
  }

  private onCommitted(context: CommandContext): void {
    for (const [key, variables] of context.completedProcesses) {
      this.resultWaiters.get(key)?.(variables);
      this.resultWaiters.delete(key);
    }
  }

  /** Due things are handled in commands of at most DUE_PER_COMMAND, so a flood of timers shares the log in bounded entries. */
  private releaseDue(keys: number[]): void {
    if (this.stopped) return;
    for (let from = 0; from < keys.length; from += DUE_PER_COMMAND) {
      const chunk = keys.slice(from, from + DUE_PER_COMMAND);
      this.pipeline
        .submit((context) => releaseDue(context, chunk))
        // Taken too early (the clock moved back since): back in the queue, else it would never fire.
        .then((notYetDue) => {
          for (const { key, at } of notYetDue) this.due.add(at, key);
        })
        .catch((error: unknown) => this.logger.error({ err: error }, 'releasing due work failed'));
    }
  }

  private planJob(job: JobEntity): void {
    if (job.state === 'ACTIVATED' && job.deadline !== undefined) this.due.add(job.deadline, job.key);
    if (job.state === 'FAILED' && job.retryAt !== undefined) this.due.add(job.retryAt, job.key);
  }

  private noteWork(type: string): void {
    if (!this.jobWaiters.get(type)?.length) return;
    this.typesToServe.add(type);
    if (this.serving) return;
    this.serving = true;
    setImmediate(() => void this.serveWaiters());
  }

  /** One command serves the waiting requests of each type with work, oldest request first. */
  private async serveWaiters(): Promise<void> {
    try {
      while (this.typesToServe.size > 0 && !this.stopped) {
        const types = [...this.typesToServe];
        this.typesToServe.clear();
        for (const type of types) {
          const waiters = (this.jobWaiters.get(type) ?? []).filter((w) => !w.done && !w.isClientGone());
          this.jobWaiters.set(type, waiters);
          if (waiters.length === 0) continue;
          const handedOut = await this.pipeline.submit((context) =>
            waiters.map((waiter) => (waiter.done || waiter.isClientGone() ? [] : activateJobs(context, waiter.request))),
          );
          handedOut.forEach((jobs, index) => {
            if (jobs.length > 0) waiters[index]!.resolve(jobs);
          });
          // Requests that arrived meanwhile are in the current list; keep them.
          this.jobWaiters.set(type, (this.jobWaiters.get(type) ?? []).filter((w) => !w.done));
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'serving long polls failed');
    } finally {
      this.serving = false;
      if (this.typesToServe.size > 0) this.noteWork([...this.typesToServe][0]!);
    }
  }
}

/** A failed job command leaves an incident on the job's element (the job stays as it was). */
function incidentOnJobElement(jobKey: number): (context: CommandContext, error: unknown) => void {
  return (context, error) => raiseFailureIncident(context, context.state.jobs.get(jobKey)?.elementInstanceKey, error);
}

function pickVariables(variables: VariableDocument, names: readonly string[] | undefined): VariableDocument {
  if (!names || names.length === 0) return variables;
  return Object.fromEntries(names.filter((n) => n in variables).map((n) => [n, variables[n]]));
}
