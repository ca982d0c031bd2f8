import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
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

/** The p-th percentile of sorted samples. */
export function percentile(sorted: readonly number[], percent: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((percent / 100) * sorted.length))] ?? NaN;
}
