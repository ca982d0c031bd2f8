import { type Logger } from '@claims/deploy';
import { type EngineStore, type LogEntry } from '../persistence/engine-store';
import { projectionRows } from '../persistence/projections';
import { type EngineState } from '../state/engine-state';
import { type StateSnapshot } from '../state/state-snapshot';
import { CommandContext } from './command-context';

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

interface QueuedCommand {
  readonly process: (context: CommandContext) => unknown;
  readonly onFailure: ((context: CommandContext, error: unknown) => void) | undefined;
  readonly settle: (outcome: Outcome) => void;
}

/** Takes snapshots of the state between batches; written only after the batch before them commits. */
export interface Snapshotter {
  /** Log entries between snapshots. */
  readonly every: number;
  /** A copy of the state, taken between batches; written in chunks while later batches run. */
  capture(): StateSnapshot;
  write(position: number, snapshot: StateSnapshot): Promise<void>;
}

/** Commands per group commit; a bound so one batch cannot starve the event loop. */
const MAX_BATCH = 500;

/**
 * The single writer. Commands are processed one after the other against the
 * in-memory state; the events of all commands taken in one turn are committed
 * to PostgreSQL together (group commit), and each command is answered only
 * once its events are committed. The next batch is processed while the
 * previous one commits; commits themselves stay in log order.
 *
 * A failed commit leaves memory ahead of the log, so the engine must stop:
 * onFatal is called and nothing more is answered. On restart the log decides.
 */
export class CommandPipeline {
  private readonly queue: QueuedCommand[] = [];
  private scheduled = false;
  private commitChain: Promise<void> = Promise.resolve();
  private pendingCommits = 0;
  private failed = false;
  private sinceSnapshot = 0;

  constructor(
    private readonly state: EngineState,
    private readonly store: EngineStore,
    private readonly clock: () => number,
    private nextPosition: number,
    private readonly logger: Logger,
    private readonly onFatal: (error: unknown) => void,
    /** Called for every command once its events are committed. */
    private readonly onCommitted: (context: CommandContext) => void,
    private readonly snapshotter?: Snapshotter,
  ) {}

  /** Whether a commit failed: memory is then ahead of the log and must not be saved. */
  get hasFailed(): boolean {
    return this.failed;
  }

  /** The position of the last entry processed (committed once drained()). */
  get position(): number {
    return this.nextPosition - 1;
  }

  /**
   * Runs `process` as one command, all or nothing. Its result is returned
   * after the commit. A thrown Rejection (or bug) is returned as the promise's
   * rejection, and nothing the command did is kept: its events are dropped
   * and its state changes undone. After a bug, `onFailure` may then emit in
   * its place, in the same log entry (an incident on the element the command
   * was about); it too is all or nothing.
   */
  submit<T>(process: (context: CommandContext) => T, onFailure?: (context: CommandContext, error: unknown) => void): Promise<T> {
    if (this.failed) return Promise.reject(new Error('The engine stopped after a failed commit'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        process,
        onFailure,
        settle: (outcome) => (outcome.ok ? resolve(outcome.value as T) : reject(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)))),
      });
      this.schedule();
    });
  }

  /** Resolves when everything submitted so far is committed. */
  async drained(): Promise<void> {
    // After a failed commit nothing more commits: waiting on would never end, and the engine could not stop.
    while (!this.failed && (this.queue.length > 0 || this.pendingCommits > 0 || this.scheduled)) {
      await this.commitChain;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private schedule(): void {
    // At most two batches in flight: one committing, one being processed.
    if (this.scheduled || this.pendingCommits > 1 || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.processBatch());
  }

  private processBatch(): void {
    this.scheduled = false;
    if (this.failed) return;
    const batch = this.queue.splice(0, MAX_BATCH);
    const entries: LogEntry[] = [];
    const settled: { command: QueuedCommand; outcome: Outcome; context: CommandContext }[] = [];
    for (const command of batch) {
      const context = new CommandContext(this.state, this.clock());
      let outcome: Outcome;
      this.state.journal.begin();
      try {
        outcome = { ok: true, value: command.process(context) };
      } catch (error) {
        outcome = { ok: false, error };
        context.discard();
        if (!(error instanceof Error && error.name === 'Rejection')) {
          this.logger.error({ err: error }, 'command failed with a bug; nothing it did is kept');
          this.state.journal.begin();
          const { onFailure } = command;
          if (onFailure) context.attempt(() => onFailure(context, error), (cause) => this.logger.error({ err: cause }, 'recording the failed command failed too'));
        }
      } finally {
        this.state.journal.commit();
      }
      if (context.events.length > 0) entries.push({ position: this.nextPosition++, events: context.events });
      settled.push({ command, outcome, context });
    }
    // Rows are copied now: the next batch changes these entities while this one commits.
    const rows = projectionRows(this.state, this.state.takeDirty(), this.clock(), entries.flatMap((entry) => entry.events));
    // The state now matches the log up to this batch: a snapshot taken here is written once the batch commits.
    this.sinceSnapshot += entries.length;
    const snapshot = this.snapshotter && this.sinceSnapshot >= this.snapshotter.every ? { position: this.position, state: this.snapshotter.capture() } : undefined;
    if (snapshot) this.sinceSnapshot = 0;
    this.pendingCommits++;
    this.commitChain = this.commitChain
      // A batch behind a failed commit builds on state the log never got: it must not commit either.
      .then(() => (this.failed ? Promise.reject(new Error('an earlier commit failed')) : this.store.commit(entries, rows)))
      .then(
        async () => {
          this.pendingCommits--;
          for (const { command, outcome, context } of settled) {
            command.settle(outcome);
            this.onCommitted(context);
          }
          this.schedule();
          if (snapshot) await this.snapshotter!.write(snapshot.position, snapshot.state).catch((error: unknown) => this.logger.warn({ err: error }, 'writing a snapshot failed; the log is replayed further on restart'));
        },
        (error: unknown) => {
          this.pendingCommits--;
          const wasFailed = this.failed;
          this.failed = true;
          this.logger.fatal({ err: error }, 'commit failed; the engine stops and will recover from its log on restart');
          const refused = { ok: false, error: new Error('The engine could not commit this command') } as const;
          for (const { command } of settled) command.settle(refused);
          for (const command of this.queue.splice(0)) command.settle(refused);
          if (!wasFailed) this.onFatal(error);
        },
      );
    this.schedule();
  }
}
