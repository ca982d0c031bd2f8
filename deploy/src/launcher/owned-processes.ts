import { sendSignal } from '../system/processes';

/**
 * The processes this launcher started and that still run, each with the
 * signal that ends it at once. They live in process groups of their own (so a
 * Ctrl-C reaches only the launcher, which stops them in order); when a person
 * insists and the launcher exits without waiting, it takes them down first
 * instead of leaving them running.
 */
const owned = new Map<number, NodeJS.Signals>();
const watchers = new Set<(pid: number) => void>();

export function ownProcess(pid: number | undefined, immediateStop: NodeJS.Signals, exited: { once(event: 'exit', listener: () => void): unknown }): void {
  if (pid === undefined) return;
  owned.set(pid, immediateStop);
  exited.once('exit', () => owned.delete(pid));
  for (const watcher of watchers) watcher(pid);
}

/**
 * Calls `watcher` with the pid of every process owned from now on (the
 * launcher lock writes them down, so that the next launcher can end what a
 * SIGKILLed one left behind). Returns the way to stop watching.
 */
export function watchOwnedProcesses(watcher: (pid: number) => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** Ends every owned process now (SIGKILL for components, SIGQUIT, PostgreSQL's immediate shutdown). */
export function endOwnedProcessesNow(): void {
  for (const [pid, signal] of owned) sendSignal(pid, signal);
}
