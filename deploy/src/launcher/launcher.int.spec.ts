import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { buildServer } from '../build/build-server';
import { SERVER_ENTRIES } from '../build/server-entries';
import { findFreePorts, isPortFree } from '../system/ports';
import { isProcessAlive, processCommandLine, sendSignal } from '../system/processes';
import { LauncherProcess } from '../testing/launcher-process';

// The launcher behind `npm start`, run as a real process on a data folder of
// its own: PostgreSQL survives stop/start and a SIGKILL of the launcher, and
// problems an operator can fix are reported plainly.

const READY = /Press Ctrl-C to stop/;
/** The first component: the identity issuer and the outbox, one process. */
const HELPERS_READY = /"msg":"component ready".*"component":"identity and outbox"|"component":"identity and outbox".*"msg":"component ready"/;

/** Processes whose command line or environment names the data folder: PostgreSQL and every component of that stack. */
async function processesOf(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const [cmdline, environ] = await Promise.all([readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => ''), readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '')]);
    if (cmdline.includes(dataDir) || environ.split('\0').includes(`DATA_DIR=${dataDir}`)) found.push(`${entry}: ${cmdline.replace(/\0/g, ' ')}`);
  }
  return found;
}

/** The pid a component reported when it became ready, from the launcher's JSON log. */
function componentPid(launcher: LauncherProcess, component: string): number {
  const ready = launcher.output.stdout
    .split('\n')
    .map((line) => (line.startsWith('{') ? (JSON.parse(line) as { msg?: string; component?: string; pid?: number }) : {}))
    .find((entry) => entry.msg === 'component ready' && entry.component === component);
  if (ready?.pid === undefined) throw new Error(`${component} never said it was ready`);
  return ready.pid;
}

describe('the embedded launcher', () => {
  let dataDir: string;
  let port: number;
  let enginePort: number;
  /** The rest of the stack on ports of its own, so no test here depends on (or blocks) the default ports. */
  let otherPorts: Record<'IDENTITY_PORT' | 'PORTAL_PORT' | 'SMTP_PORT' | 'MAIL_API_PORT' | 'WORKERS_METRICS_PORT', string>;
  const running: LauncherProcess[] = [];
  const onCleanup: (() => Promise<void>)[] = [];

  const start = (env: NodeJS.ProcessEnv = {}) => {
    const launcher = LauncherProcess.start(SERVER_ENTRIES.launcher, { DATA_DIR: dataDir, POSTGRES_PORT: String(port), ENGINE_PORT: String(enginePort), ...otherPorts, ...env });
    running.push(launcher);
    return launcher;
  };

  const query = async (sql: string, params: unknown[] = []) => {
    const password = (await readFile(path.join(dataDir, 'postgres.secret'), 'utf8')).trim();
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await client.connect();
    try {
      return await client.query(sql, params);
    } finally {
      await client.end();
    }
  };

  // The launcher and every component run compiled, as under `npm start`.
  beforeAll(async () => {
    await buildServer();
  }, 120_000);

  beforeEach(async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'claims-launcher-'));
    await chmod(parent, 0o755);
    dataDir = path.join(parent, 'data');
    // All at once, so no two components are given the same port.
    const [postgres, engine, identity, portal, smtp, mailApi, workersMetrics] = await findFreePorts(7);
    port = postgres!;
    enginePort = engine!;
    otherPorts = { IDENTITY_PORT: String(identity), PORTAL_PORT: String(portal), SMTP_PORT: String(smtp), MAIL_API_PORT: String(mailApi), WORKERS_METRICS_PORT: String(workersMetrics) };
  });

  afterEach(async () => {
    for (const cleanup of onCleanup.splice(0)) await cleanup();
    for (const launcher of running.splice(0)) await launcher.stop('SIGTERM');
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  });

  it('keeps the data across a clean stop and start, and leaves nothing running', async () => {
    const first = start();
    await first.waitFor(READY);
    expect(first.output.stdout).toContain(`127.0.0.1:${port}`);
    // The engine is part of the system: its API answers at the printed address.
    expect(first.output.stdout).toContain(`http://127.0.0.1:${enginePort}/v2`);
    expect((await fetch(`http://127.0.0.1:${enginePort}/v2/topology`)).status).toBe(200);
    // Where a person goes comes first: the extranet, the staff app and the outbox's page.
    const forPeople = first.output.stdout.slice(first.output.stdout.indexOf('Open in a browser:'), first.output.stdout.indexOf('Services:'));
    expect(forPeople).toContain(`http://localhost:${otherPorts.PORTAL_PORT}/\n`);
    expect(forPeople).toContain(`http://localhost:${otherPorts.PORTAL_PORT}/staff`);
    expect(forPeople).toContain(`http://localhost:${otherPorts.MAIL_API_PORT}/`);
    const outboxPage = await fetch(`http://127.0.0.1:${otherPorts.MAIL_API_PORT}/`);
    expect(outboxPage.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await outboxPage.text()).toContain('<h1>Outbox</h1>');
    // oidc-provider's load-time notices (Node.js 20, in-memory sessions) go to the log, not raw to the terminal.
    expect(first.output.stderr).not.toContain('oidc-provider WARNING');
    await query('CREATE TABLE kept (value text)');
    await query('INSERT INTO kept VALUES ($1)', ['survives a restart']);

    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(await isPortFree(port)).toBe(true);
    await expect(stat(path.join(dataDir, 'postgres', 'postmaster.pid'))).rejects.toThrow();
    await expect(stat(path.join(dataDir, 'launcher.pid'))).rejects.toThrow();

    const second = start();
    await second.waitFor(READY);
    const { rows } = await query('SELECT value FROM kept');
    expect(rows).toEqual([{ value: 'survives a restart' }]);
  });

  it('recovers after the launcher is SIGKILLed: no stale lock, no orphan PostgreSQL holding the port', async () => {
    const killed = start();
    await killed.waitFor(READY);
    await query('CREATE TABLE kept (value text)');
    await query('INSERT INTO kept VALUES ($1)', ['committed before the kill']);
    const orphanPid = Number.parseInt((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]!, 10);

    const workersPid = componentPid(killed, 'workers');

    expect(await killed.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // The kill really left PostgreSQL behind, holding the port: the case to recover from.
    expect(isProcessAlive(orphanPid)).toBe(true);
    expect(await isPortFree(port)).toBe(false);
    // The components stop themselves once their launcher is gone, but a
    // graceful stop takes a while, and they hold their ports until it ends
    // (CI once started the next launcher while the workers still held theirs).
    // A frozen one is the worst case: it will not stop at all until ended.
    sendSignal(workersPid, 'SIGSTOP');
    onCleanup.push(async () => {
      if ((await processCommandLine(workersPid))?.includes(SERVER_ENTRIES.workers.output)) sendSignal(workersPid, 'SIGKILL');
    });

    const next = start();
    await next.waitFor(READY);
    expect(next.output.stdout).toContain('PostgreSQL left running by an earlier launcher');
    expect(next.output.stdout).toContain('components left running by an earlier launcher');
    expect(next.output.stdout).toContain('would not stop; ending it');
    expect(isProcessAlive(orphanPid)).toBe(false);
    expect(isProcessAlive(workersPid)).toBe(false);
    const { rows } = await query('SELECT value FROM kept');
    expect(rows).toEqual([{ value: 'committed before the kill' }]);

    expect((await next.stop('SIGTERM')).code).toBe(0);
    expect(await isPortFree(port)).toBe(true);
  });

  // A stop asked for while starting stops what was started, PostgreSQL last,
  // and the one still starting; today's launcher exited at once and left
  // PostgreSQL running on the data folder.
  it.each([
    ['SIGTERM', 'while PostgreSQL initialises its cluster', /initialising a new PostgreSQL cluster/],
    ['SIGTERM', 'right after PostgreSQL reports ready', /embedded PostgreSQL ready/],
    ['SIGTERM', 'while the engine is starting (the identity issuer and outbox are up)', HELPERS_READY],
    ['SIGINT', 'while the portal is starting (the engine is up)', /"msg":"component ready".*"component":"engine"|"component":"engine".*"msg":"component ready"/],
  ] as const)('%s %s stops everything it started and frees every port', async (signal, _moment, moment) => {
    const launcher = start();
    await launcher.waitFor(moment);

    expect(await launcher.stop(signal)).toEqual({ code: 0, signal: null });
    expect(launcher.output.stdout).not.toMatch(READY);
    expect(await processesOf(dataDir)).toEqual([]);
    for (const used of [port, enginePort, ...Object.values(otherPorts).map(Number)]) expect(await isPortFree(used)).toBe(true);
    await expect(stat(path.join(dataDir, 'postgres', 'postmaster.pid'))).rejects.toThrow();
    await expect(stat(path.join(dataDir, 'launcher.pid'))).rejects.toThrow();
  });

  it('takes a Ctrl-C under npm (the signal delivered twice at once) as one orderly stop, not a forced exit', async () => {
    const launcher = start();
    await launcher.waitFor(HELPERS_READY);
    launcher.child.kill('SIGINT');
    expect(await launcher.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(launcher.output.stdout).not.toContain('exiting without waiting');
    expect(await processesOf(dataDir)).toEqual([]);
    expect(await isPortFree(port)).toBe(true);
  });

  it('ends every part at once when a second signal comes later, while a part will not stop', async () => {
    const launcher = start();
    await launcher.waitFor(READY);
    // A frozen engine cannot answer SIGTERM: the orderly stop waits for it.
    const enginePid = componentPid(launcher, 'engine');
    process.kill(enginePid, 'SIGSTOP');
    // Should this test fail half-way, the frozen engine must not outlive it.
    onCleanup.push(async () => {
      if ((await processCommandLine(enginePid))?.includes(SERVER_ENTRIES.engine.output)) sendSignal(enginePid, 'SIGKILL');
    });
    launcher.child.kill('SIGTERM');
    await launcher.waitFor(/"signal":"SIGTERM"[^\n]*"msg":"stopping"/);
    // Past the window in which a repeat counts as the same request (npm forwarding a Ctrl-C).
    await sleep(2_500);
    expect(launcher.child.exitCode).toBeNull();

    expect(await launcher.stop('SIGTERM')).toEqual({ code: 130, signal: null });
    const deadline = Date.now() + 15_000;
    while ((await processesOf(dataDir)).length > 0 && Date.now() < deadline) await sleep(100);
    expect(await processesOf(dataDir)).toEqual([]);
    expect(await isPortFree(port)).toBe(true);
    expect(await isPortFree(enginePort)).toBe(true);
  });

  it('says plainly, without a stack trace, that the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const launcher = start();
      const { code } = await launcher.exited;
      expect(code).toBe(1);
      expect(launcher.output.stderr).toContain(`Port ${port} for the embedded PostgreSQL is already in use`);
      expect(launcher.output.stderr).toContain('POSTGRES_PORT');
      expect(launcher.output.stderr).not.toMatch(/\n\s+at /);
      // Nothing half-started is left: the lock is released.
      await expect(stat(path.join(dataDir, 'launcher.pid'))).rejects.toThrow();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('says plainly that the data folder cannot be used', async () => {
    await writeFile(dataDir, 'a file where the data folder should be');
    const launcher = start();
    const { code } = await launcher.exited;
    expect(code).toBe(1);
    expect(launcher.output.stderr).toContain(`The data folder ${dataDir} cannot be used`);
    expect(launcher.output.stderr).toContain('DATA_DIR');
    expect(launcher.output.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a second launcher on the same data folder and leaves the first one running', async () => {
    const first = start();
    await first.waitFor(READY);
    const [secondPostgres, secondEngine] = await findFreePorts(2);
    const second = start({ POSTGRES_PORT: String(secondPostgres), ENGINE_PORT: String(secondEngine) });
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(second.output.stderr).toContain(`Another launcher (pid ${first.pid}) is already running`);
    await expect(query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
  });

  it('rejects a malformed setting by name', async () => {
    const launcher = start({ POSTGRES_PORT: 'eighty' });
    const { code } = await launcher.exited;
    expect(code).toBe(1);
    expect(launcher.output.stderr).toContain('POSTGRES_PORT must be a TCP port between 1 and 65535, but it is "eighty"');
  });
});
