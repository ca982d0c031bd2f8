import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CamundaRestClient } from '@camunda8/sdk';
import { createLogger, EmbeddedPostgres, ENGINE_CLIENT_RETRY, ensureDatabase, findFreePort, REPOSITORY_ROOT } from '@claims/deploy';
import { LauncherProcess } from '@claims/deploy/src/testing/launcher-process';
import { eventually } from '../src/testing/engine-fixture';

/** The engine in its own process on a fresh embedded PostgreSQL, as `npm run engine` runs it, for a benchmark. */
export interface BenchEngine {
  readonly client: CamundaRestClient;
  readonly baseUrl: string;
  /** The engine's own database, for loading data straight into projections. */
  readonly databaseUrl: URL;
  /** Resident and peak memory of the engine process, in MiB. */
  memory(): Promise<{ rss: number; peak: number }>;
  /** CPU time (user + system) used so far, in ms: the engine process, and PostgreSQL with all its backends. */
  cpuMs(): Promise<{ engine: number; postgres: number }>;
  /** Stops the engine process with the signal and starts it again; resolves with the seconds until it answered. */
  restart(signal: NodeJS.Signals): Promise<number>;
  stop(): Promise<void>;
}

export async function startBenchEngine(): Promise<BenchEngine> {
  const folder = await mkdtemp(path.join(tmpdir(), 'claims-bench-'));
  await chmod(folder, 0o755);
  const postgres = await EmbeddedPostgres.start({ dataDir: path.join(folder, 'postgres'), logger: createLogger('bench', { LOG_LEVEL: 'warn' }) });
  const port = await findFreePort();
  const databaseUrl = await ensureDatabase(postgres.url, 'engine');
  const launch = () =>
    LauncherProcess.startScript(path.join(REPOSITORY_ROOT, 'engine', 'src', 'main.ts'), {
      ENGINE_DATABASE_URL: databaseUrl.href,
      ENGINE_PORT: String(port),
      ENGINE_CLOCK_CONTROLLED: 'true',
      LOG_LEVEL: 'warn',
    });
  let engine = launch();
  const baseUrl = `http://127.0.0.1:${port}`;
  const client = new CamundaRestClient({ config: { ZEEBE_REST_ADDRESS: baseUrl, CAMUNDA_AUTH_STRATEGY: 'NONE', CAMUNDA_LOG_LEVEL: 'none' }, retry: ENGINE_CLIENT_RETRY });
  await eventually(() => client.getTopology().then((t) => t.clusterSize), 30_000);
  return {
    client,
    baseUrl,
    databaseUrl,
    async memory() {
      const status = await readFile(`/proc/${engine.pid}/status`, 'utf8');
      const field = (name: string) => Number(/\d+/.exec(status.split('\n').find((l) => l.startsWith(name)) ?? '0')?.[0] ?? 0) / 1024;
      return { rss: field('VmRSS:'), peak: field('VmHWM:') };
    },
    async cpuMs() {
      const postmaster = Number((await readFile(path.join(postgres.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      // Backends are the postmaster's children; those that exited are in its children's times (fields 16-17).
      const backends = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
      let postgresMs = 0;
      for (const pid of backends) {
        const fields = await procStat(Number(pid));
        if (!fields) continue;
        if (Number(pid) === postmaster) postgresMs += ticksMs(fields, 11, 12, 13, 14);
        else if (Number(fields[1]) === postmaster) postgresMs += ticksMs(fields, 11, 12);
      }
      return { engine: ticksMs((await procStat(engine.pid))!, 11, 12), postgres: postgresMs };
    },
    async restart(signal) {
      await engine.stop(signal);
      const started = performance.now();
      engine = launch();
      await eventually(() => client.getTopology().then((t) => t.clusterSize), 300_000);
      return (performance.now() - started) / 1000;
    },
    async stop() {
      await engine.stop('SIGTERM');
      await postgres.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** The fields of /proc/<pid>/stat after the parenthesised command (field 3 first), or undefined once it is gone. */
async function procStat(pid: number): Promise<string[] | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The sum of clock-tick fields (10 ms each) of procStat, in ms. */
function ticksMs(fields: readonly string[], ...indexes: number[]): number {
  return indexes.reduce((sum, index) => sum + Number(fields[index]) * 10, 0);
}

/** The p-th percentile of sorted samples. */
export function percentile(sorted: readonly number[], percent: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((percent / 100) * sorted.length))] ?? NaN;
}
