import { type EngineEvent } from '../state/events';
import { type EngineState } from '../state/engine-state';

/**
 * What one command's processing works with: the state, the time the command
 * is processed at, and emit(), which applies an event and keeps it for the
 * log. Events of one command are committed together or not at all.
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
}
