// `npm run bench -w deploy`: the stack `npm start` brings up, measured the way
// a person meets it. Runs `npm start` on free ports and a temporary data
// folder, reads the resident memory of every process it launched once the stack
// is idle, stops it, then times a start on the now existing data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPOSITORY_ROOT } from '../src/settings';
import { findFreePort } from '../src/system/ports';
import { waitForExit } from '../src/system/processes';
import { recordBenchFigures } from '../src/bench-results';

const READY = /Press Ctrl-C to stop/;

interface ProcessMemory {
  readonly pid: number;
  readonly role: string;
  readonly rssKiB: number;
  readonly pssKiB: number;
}

async function main(): Promise<void> {
  const parent = await mkdtemp(path.join(tmpdir(), 'claims-stack-bench-'));
  // PostgreSQL runs as its own account when this runs as root: it must reach the folder.
  await chmod(parent, 0o755);
  const dataDir = path.join(parent, 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' };
  for (const setting of ['POSTGRES_PORT', 'ENGINE_PORT', 'IDENTITY_PORT', 'PORTAL_PORT', 'SMTP_PORT', 'MAIL_API_PORT']) env[setting] = String(await findFreePort());
  try {
    const fresh = await startStack(env);
    log(`first start (new data folder): ready in ${fresh.readyMs} ms`);
    await stopStack(fresh.npm);

    const again = await startStack(env);
    log(`start on the existing data folder: ready in ${again.readyMs} ms`);
    const memory = await idleMemory(again.npm.pid!);
    await stopStack(again.npm);

    const second = await startStack(env);
    log(`start on the existing data folder, again: ready in ${second.readyMs} ms`);
    await stopStack(second.npm);

    const stack = memory.filter((p) => p.role !== 'npm (the CLI itself)');
    const totalRss = sum(stack.map((p) => p.rssKiB));
    const totalPss = sum(stack.map((p) => p.pssKiB));
    process.stdout.write('\nIdle after `npm start`, every process it launched:\n\n| process | pid | RSS MiB | PSS MiB |\n| --- | ---: | ---: | ---: |\n');
    for (const p of memory) process.stdout.write(`| ${p.role} | ${p.pid} | ${mib(p.rssKiB)} | ${mib(p.pssKiB)} |\n`);
    process.stdout.write(`| **stack total** (without npm) | | **${mib(totalRss)}** | **${mib(totalPss)}** |\n\n`);
    const readyMs = Math.max(again.readyMs, second.readyMs);
    await recordBenchFigures('deploy', [
      { figure: 'whole stack idle, resident memory of every process (RSS sum)', value: `${mib(totalRss)} MiB`, aim: '< 600 MiB', met: totalRss / 1024 < 600 },
      { figure: 'whole stack idle, proportional set size (PSS sum: shared pages counted once)', value: `${mib(totalPss)} MiB`, aim: '', met: undefined },
      { figure: '`npm start` to ready on an existing data folder (slower of two)', value: `${(readyMs / 1000).toFixed(1)} s`, aim: '< 10 s', met: readyMs < 10_000 },
      { figure: '`npm start` to ready on a new data folder', value: `${(fresh.readyMs / 1000).toFixed(1)} s`, aim: '', met: undefined },
    ]);
  } finally {
    await rm(path.dirname(dataDir), { recursive: true, force: true });
  }
}

/** `npm start` as a person runs it; resolves when the launcher prints its summary. */
async function startStack(env: NodeJS.ProcessEnv): Promise<{ npm: ChildProcess; readyMs: number }> {
  const startedAt = performance.now();
  const npm = spawn('npm', ['start'], { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString('utf8'));
  npm.stdout.on('data', collect);
  npm.stderr.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (!READY.test(output)) return;
      npm.stdout.off('data', onData);
      npm.off('exit', onExit);
      resolve();
    };
    const onExit = (code: number | null) => reject(new Error(`npm start exited (code ${code}) before ready:\n${output}`));
    npm.stdout.on('data', onData);
    npm.once('exit', onExit);
  });
  return { npm, readyMs: Math.round(performance.now() - startedAt) };
}

async function stopStack(npm: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => (npm.exitCode === null ? npm.once('exit', () => resolve()) : resolve()));
  // The launcher, not npm: it stops its parts in order, PostgreSQL last.
  const stack = await descendants(npm.pid!);
  // npm runs it through `sh -c`, whose command line names the script too.
  const launcher = stack.find((p) => !/^(\/bin\/)?sh /.test(p.cmdline) && /deploy\/(dist|src\/bin)\/start\./.test(p.cmdline));
  if (!launcher) throw new Error(`no launcher below npm (pid ${npm.pid}): ${JSON.stringify(stack)}`);
  process.kill(launcher.pid, 'SIGTERM');
  for (const { pid } of stack) {
    if (!(await waitForExit(pid, 60_000))) throw new Error(`pid ${pid} still runs a minute after the launcher was asked to stop`);
  }
  await exited;
}

/**
 * Idle is a while after ready: pools have closed the connections they opened
 * for the start (node-postgres closes an idle one after 10 s) and V8 has
 * given back the start's garbage. From then on the total is sampled each
 * second until it moves less than 1 % between samples, or 30 samples.
 */
const IDLE_AFTER_READY_MS = 20_000;

async function idleMemory(rootPid: number): Promise<ProcessMemory[]> {
  await sleep(IDLE_AFTER_READY_MS);
  let previous = 0;
  let current: ProcessMemory[] = [];
  for (let i = 0; i < 30; i++) {
    current = await memoryOf(rootPid);
    const total = sum(current.map((p) => p.rssKiB));
    if (previous > 0 && Math.abs(total - previous) / previous < 0.01) break;
    previous = total;
    await sleep(1_000);
  }
  return current;
}

async function memoryOf(rootPid: number): Promise<ProcessMemory[]> {
  const found: ProcessMemory[] = [];
  for (const { pid, cmdline } of [{ pid: rootPid, cmdline: 'npm' }, ...(await descendants(rootPid))]) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    if (!rssKiB) continue;
    found.push({ pid, role: pid === rootPid ? 'npm (the CLI itself)' : roleOf(cmdline), rssKiB, pssKiB: Number(/Pss:\s+(\d+)/.exec(rollup)?.[1] ?? 0) });
  }
  return found;
}

/** What a process is, from its command line. */
function roleOf(cmdline: string): string {
  if (/^(\/bin\/)?sh -c /.test(cmdline)) return "sh (npm's script shell)";
  if (/^postgres: /.test(cmdline)) return cmdline.split(' ').slice(0, 3).join(' ');
  if (/\/bin\/postgres\b/.test(cmdline)) return 'postgres (postmaster)';
  // The script is the last argument naming a .js or .ts file (the first may be a -r hook).
  const script = [...cmdline.matchAll(/(\S+\.(?:js|ts))(?=\s|$)/g)].at(-1)?.[1];
  if (script) return `node ${path.relative(REPOSITORY_ROOT, path.resolve(REPOSITORY_ROOT, script))}`;
  return cmdline.slice(0, 60);
}

async function descendants(rootPid: number): Promise<{ pid: number; cmdline: string }[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command (which may hold spaces) in parentheses: state, ppid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const below = (pid: number): number[] => [...parents].filter(([, ppid]) => ppid === pid).flatMap(([child]) => [child, ...below(child)]);
  const result: { pid: number; cmdline: string }[] = [];
  for (const pid of below(rootPid)) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0').filter(Boolean).join(' ');
    if (cmdline) result.push({ pid, cmdline });
  }
  return result;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const mib = (kib: number) => (kib / 1024).toFixed(0);
const log = (line: string) => process.stdout.write(`${line}\n`);

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
