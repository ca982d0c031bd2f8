import { type FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { createMetricsRegistry, httpDurationHistogram, METRIC_NAMES, METRICS_CONTENT_TYPE } from '@claims/deploy';
import { type Engine } from '../engine';

/**
 * Prometheus text format at `GET /metrics`: request latency, and what the
 * engine holds in memory read at scrape time (open incidents, activatable
 * jobs by type, active process instances, batch operations in progress and
 * their items left), so nothing is counted on the hot path but one histogram
 * observation per request. Read-only on the state.
 */
export function metricsRoutes(app: FastifyInstance, engine: Engine): void {
  const registry = createMetricsRegistry('engine');
  const duration = httpDurationHistogram(registry);
  new Gauge({
    name: METRIC_NAMES.incidentsOpen,
    help: 'Incidents not resolved yet.',
    registers: [registry],
    collect() {
      let open = 0;
      for (const incident of engine.state.incidents.values()) if (incident.state === 'ACTIVE') open += 1;
      this.set(open);
    },
  });
  new Gauge({
    name: METRIC_NAMES.jobsActivatable,
    help: 'Jobs waiting for a worker, by job type.',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [type, keys] of engine.state.activatableJobs.entries()) this.set({ type }, keys.size);
    },
  });
  new Gauge({
    name: METRIC_NAMES.elementInstancesActive,
    help: 'Element instances the engine is running (process instances and the elements inside them).',
    registers: [registry],
    collect() {
      this.set(engine.state.elementInstances.size);
    },
  });
  // Batch operations at work (ACTIVE: a suspended one is not, until resumed), by type, and how many items they still have to process.
  new Gauge({
    name: METRIC_NAMES.batchOperationsActive,
    help: 'Batch operations at work (active, not suspended) with items left to process, by type.',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      this.reset();
      const byType = new Map<string, number>();
      for (const key of engine.state.batchOperations.active) {
        const operation = engine.state.batchOperations.operations.get(key);
        if (operation) byType.set(operation.type, (byType.get(operation.type) ?? 0) + 1);
      }
      for (const [type, n] of byType) this.set({ type }, n);
    },
  });
  new Gauge({
    name: METRIC_NAMES.batchItemsLeft,
    help: 'Items (process instances) the active batch operations have still to process.',
    registers: [registry],
    collect() {
      let left = 0;
      for (const key of engine.state.batchOperations.active) {
        const operation = engine.state.batchOperations.operations.get(key);
        if (operation) left += operation.items.length - operation.nextItem;
      }
      this.set(left);
    },
  });
  app.addHook('onResponse', (request, reply, done) => {
    duration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('content-type', METRICS_CONTENT_TYPE);
    return registry.metrics();
  });
}
