import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Logger } from '../logger';
import { OperatorError } from '../operator-error';

const execFileAsync = promisify(execFile);

export interface OsAccount {
  readonly uid: number;
  readonly gid: number;
}

const ACCOUNT = 'postgres';

/**
 * PostgreSQL refuses to run as root. When we are root, its processes run as
 * the `postgres` account, created here (as a system account without a login)
 * when the machine has none. Anyone else runs PostgreSQL as themselves.
 */
export async function postgresAccount(logger: Logger): Promise<OsAccount | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookUp();
  if (existing) return existing;
  logger.info('creating the system account "postgres" to run the embedded PostgreSQL (it refuses to run as root)');
  try {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', ACCOUNT]);
  } catch (error) {
    throw new OperatorError(
      'PostgreSQL cannot run as root, and the "postgres" account could not be created.',
      `Create it (useradd --system --user-group postgres) or run as another user. useradd said: ${String(error)}`,
    );
  }
  const created = await lookUp();
  if (!created) throw new OperatorError('The "postgres" account was created but cannot be found.');
  return created;
}

async function lookUp(): Promise<OsAccount | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', ACCOUNT]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', ACCOUNT]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  } catch {
    return undefined;
  }
}
