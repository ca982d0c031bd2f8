import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { OperatorError } from '../operator-error';
import { isProcessAlive, processCommandLine } from '../system/processes';

/**
 * One launcher per data folder. The lock file holds the launcher's pid; a lock
 * whose process is gone (the launcher was SIGKILLed) is stale and taken over.
 */
export class LauncherLock {
  private constructor(private readonly file: string) {}

  static async acquire(dataDir: string): Promise<LauncherLock> {
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
        return new LauncherLock(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') {
          throw new OperatorError(`The data folder ${dataDir} cannot be used (${code ?? String(error)}).`, 'Set DATA_DIR to a writable folder.');
        }
      }
      const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder) && (await processCommandLine(holder))?.includes('node')) {
        throw new OperatorError(
          `Another launcher (pid ${holder}) is already running on ${dataDir}.`,
          'Stop it first, or give this one another DATA_DIR.',
        );
      }
      await rm(file, { force: true });
    }
    throw new OperatorError(`Could not take the launcher lock ${file}.`);
  }

  async release(): Promise<void> {
    const holder = await readFile(this.file, 'utf8').catch(() => '');
    if (Number.parseInt(holder, 10) === process.pid) await rm(this.file, { force: true });
  }
}
