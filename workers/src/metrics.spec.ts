import { sampleValue } from '@claims/deploy/src/metrics/read-metrics';
import { recordCollection, recordJob, startMetricsServer } from './metrics';

describe('workers metrics endpoint', () => {
  test('serves jobs by type and outcome in Prometheus text format, and nothing else', async () => {
    const server = await startMetricsServer(0, '127.0.0.1');
    try {
      recordJob('validate-claim', 'completed', 0.02);
      recordJob('validate-claim', 'incident', 0.5);
      recordJob('validate-claim', 'completed', 0.03);
      const answer = await fetch(server.url);
      expect(answer.headers.get('content-type')).toContain('text/plain');
      const text = await answer.text();
      expect(sampleValue(text, 'worker_jobs_total', { type: 'validate-claim', outcome: 'completed', component: 'workers' })).toBe(2);
      expect(sampleValue(text, 'worker_jobs_total', { type: 'validate-claim', outcome: 'incident' })).toBe(1);
      expect(sampleValue(text, 'worker_job_duration_seconds_bucket', { le: '0.05', type: 'validate-claim', outcome: 'completed' })).toBe(2);
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('counts premium charges by method, outcome and decline kind', async () => {
    const server = await startMetricsServer(0, '127.0.0.1');
    try {
      recordCollection('card', 'declined', 'soft');
      recordCollection('card', 'declined', 'soft');
      recordCollection('sepa-direct-debit', 'collected', null);
      const text = await (await fetch(server.url)).text();
      expect(sampleValue(text, 'premium_collection_attempts_total', { method: 'card', outcome: 'declined', decline_kind: 'soft' })).toBe(2);
      expect(sampleValue(text, 'premium_collection_attempts_total', { method: 'sepa-direct-debit', outcome: 'collected', decline_kind: 'none' })).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('a port already taken is one plain sentence naming the setting', async () => {
    const first = await startMetricsServer(0, '127.0.0.1');
    try {
      const port = Number(new URL(first.url).port);
      await expect(startMetricsServer(port, '127.0.0.1')).rejects.toThrow(/Port \d+ for the workers' metrics is taken: set WORKERS_METRICS_PORT/);
    } finally {
      await first.close();
    }
  });
});
