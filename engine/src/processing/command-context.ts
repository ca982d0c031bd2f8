import { type EngineEvent } from '../state/events';
import { type EngineState } from '../state/engine-state';

/**
 * What one command's processing works with: the state, the time the command
 * is processed at, and emit(), which applies an event and keeps it for the
 * log. A command is all or nothing: the pipeline opens a state transaction
 * around it, and a command that throws has its events dropped and its state
 * changes undone (state-journal.ts).
 */
export class CommandContext {
  readonly events: EngineEvent[] = [];
  /** Process instances that completed in this command, with their variables at the end. */
  readonly completedProcesses = new Map<number, Record<string, unknown>>();

  constructor(
    readonly state: EngineState,
    readonly now: number,
  ) {}

  emit(event: EngineEvent): void {
    this.state.apply(event);
    this.events.push(event);
  }

  newKey(): number {
    return this.state.newKey();
  }

  /**
   * Runs one part of the command all or nothing: if it throws, its events and
   * state changes are undone and `onFailure` (which may emit, say an incident)
   * runs instead; without `onFailure` the error is thrown on.
   */
  attempt(part: () => void, onFailure?: (error: unknown) => void): void {
    const events = this.events.length;
    const mark = this.state.journal.mark();
    const completed = new Set(this.completedProcesses.keys());
    try {
      part();
    } catch (error) {
      this.state.journal.rollbackTo(mark);
      this.events.length = events;
      for (const key of this.completedProcesses.keys()) if (!completed.has(key)) this.completedProcesses.delete(key);
      if (!onFailure) throw error;
      onFailure(error);
    }
  }

  /** Drops everything the command did: its events and, through the journal, its state changes. */
  discard(): void {
    this.state.journal.rollback();
    this.events.length = 0;
    this.completedProcesses.clear();
  }
}
