/**
 * What an editor tells the modeler page about changes not deployed, and asks
 * it before throwing them away (another version opened, another editor).
 */
export interface UnsavedGuard {
  /** The editor's content differs from what it opened or last deployed. */
  readonly changed: (dirty: boolean) => void;
  /** Asks the person when there are changes; true when the editor may go on. */
  readonly mayLeave: () => boolean;
}

/** The editor's command stack has something to undo: an edit since it opened its content. */
export function hasEdits(commandStack: { canUndo(): boolean } | undefined): boolean {
  return Boolean(commandStack?.canUndo());
}
