import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Counter, Histogram } from 'prom-client';
import { createMetricsRegistry, METRIC_NAMES, METRICS_CONTENT_TYPE, OperatorError } from '@claims/deploy';

/** What a job ended in: the step's result, or what its failure made of the job. */
export type JobOutcome = 'completed' | 'bpmn-error' | 'not-yet' | 'retried' | 'incident' | 'stood-down' | 'gone';

/** The workers' metrics; one set per process, as Prometheus scrapes one endpoint per process. */
export const workerRegistry = createMetricsRegistry('workers');

const jobs = new Counter({
  name: METRIC_NAMES.workerJobs,
  help: 'Jobs handled, by job type and outcome (incident: the job failed with no retries left).',
  labelNames: ['type', 'outcome'],
  registers: [workerRegistry],
});

const duration = new Histogram({
  name: METRIC_NAMES.workerJobDuration,
  help: 'Time a step took on a job, by job type and outcome.',
  labelNames: ['type', 'outcome'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [workerRegistry],
});

const collections = new Counter({
  name: METRIC_NAMES.premiumCollections,
  help: 'Premium charges answered by the provider, by method (sepa-direct-debit, card), outcome (collected, declined) and decline kind (soft, hard; none when collected).',
  labelNames: ['method', 'outcome', 'decline_kind'],
  registers: [workerRegistry],
});

/** One provider answer to a premium charge (a replay of its key is not counted by the provider, nor here). */
export function recordCollection(method: string, outcome: 'collected' | 'declined', declineKind: 'soft' | 'hard' | null): void {
  collections.inc({ method, outcome, decline_kind: declineKind ?? 'none' });
}

export function recordJob(type: string, outcome: JobOutcome, seconds: number): void {
  jobs.inc({ type, outcome });
  duration.observe({ type, outcome }, seconds);
}

/** Serves `GET /metrics` (Prometheus text format) on the workers' own port, `WORKERS_METRICS_PORT`. */
export async function startMetricsServer(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here.\n');
      return;
    }
    workerRegistry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new OperatorError(`Port ${port} for the workers' metrics is taken: set WORKERS_METRICS_PORT to a free port.`) : error));
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return { url: `http://${host}:${address.port}/metrics`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
