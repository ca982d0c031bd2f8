import { appendFileSync } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Logger } from '../logger';
import { OperatorError } from '../operator-error';
import { isProcessAlive, processCommandLine, sendSignal, waitForExit } from '../system/processes';
import { watchOwnedProcesses } from './owned-processes';

/** How long components left by a SIGKILLed launcher get to finish the stop they began when it vanished. */
const LEFT_COMPONENTS_STOP_MS = 15_000;

/**
 * One launcher per data folder. The lock file holds the launcher's pid on its
 * first line and the pid of every process it started on the lines after. A
 * lock whose launcher is gone (SIGKILLed) is stale and taken over, once the
 * components it left have stopped: they notice their parent vanish and stop
 * themselves, but a graceful stop takes time, and until it ends they hold
 * their ports.
 */
export class LauncherLock {
  private stopWatching: () => void = () => undefined;

  private constructor(private readonly file: string) {}

  static async acquire(dataDir: string, logger: Logger): Promise<LauncherLock> {
    try {
      await mkdir(dataDir, { recursive: true });
    } catch (error) {
      throw new OperatorError(
        `The data folder ${dataDir} cannot be used (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
        'Set DATA_DIR to a folder this user can create and write.',
      );
    }
    const file = path.join(dataDir, 'launcher.pid');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(file, 'wx', 0o644);
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        const lock = new LauncherLock(file);
        // Written at once (synchronously), so that a kill right after a start still leaves the pid behind.
        lock.stopWatching = watchOwnedProcesses((pid) => appendFileSync(file, `${pid}\n`));
        return lock;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') {
          throw new OperatorError(`The data folder ${dataDir} cannot be used (${code ?? String(error)}).`, 'Set DATA_DIR to a writable folder.');
        }
      }
      const [holderLine = '', ...startedLines] = (await readFile(file, 'utf8').catch(() => '')).split('\n');
      const holder = Number.parseInt(holderLine, 10);
      if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder) && (await processCommandLine(holder))?.includes('node')) {
        throw new OperatorError(
          `Another launcher (pid ${holder}) is already running on ${dataDir}.`,
          'Stop it first, or give this one another DATA_DIR.',
        );
      }
      await endLeftComponents(startedLines.map((line) => Number.parseInt(line, 10)).filter(Number.isInteger), logger);
      await rm(file, { force: true });
    }
    throw new OperatorError(`Could not take the launcher lock ${file}.`);
  }

  async release(): Promise<void> {
    this.stopWatching();
    const holder = await readFile(this.file, 'utf8').catch(() => '');
    if (Number.parseInt(holder, 10) === process.pid) await rm(this.file, { force: true });
  }
}

/**
 * Waits for the Node.js processes a dead launcher started to finish stopping,
 * asking again with SIGTERM, and ends those that outlast the grace period.
 * PostgreSQL is not among them: it has a recovery of its own, from its
 * postmaster.pid, that shuts it down cleanly once its clients are gone (see
 * embedded-postgres.ts).
 */
async function endLeftComponents(pids: number[], logger: Logger): Promise<void> {
  const left: number[] = [];
  for (const pid of pids) {
    // Components run the same Node.js binary as this launcher (fork); the
    // check also keeps a recycled pid of some other program from being ended.
    if (pid !== process.pid && isProcessAlive(pid) && (await processCommandLine(pid))?.startsWith(`${process.execPath} `)) left.push(pid);
  }
  if (left.length === 0) return;
  logger.warn({ pids: left }, 'waiting for components left running by an earlier launcher to stop');
  for (const pid of left) sendSignal(pid, 'SIGTERM');
  await Promise.all(
    left.map(async (pid) => {
      if (await waitForExit(pid, LEFT_COMPONENTS_STOP_MS)) return;
      logger.warn({ pid }, 'a component left by an earlier launcher would not stop; ending it');
      sendSignal(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }),
  );
}
