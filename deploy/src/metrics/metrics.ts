import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** What Prometheus reads at `GET /metrics`. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * Every metric name the components export, in one place, so the alert rules
 * in deploy/prometheus/ can be checked against them (alert-rules.spec.ts).
 */
export const METRIC_NAMES = {
  httpDuration: 'http_request_duration_seconds',
  claimsByStatus: 'claims_by_status',
  claimsStuck: 'claims_stuck',
  taskCommandsPending: 'portal_task_commands_pending',
  submissionsWaiting: 'portal_claim_submissions_waiting',
  followUpsOpen: 'portal_follow_ups_open',
  mailboxQueued: 'portal_claims_mailbox_queued',
  incidentsOpen: 'engine_incidents_open',
  jobsActivatable: 'engine_jobs_activatable',
  elementInstancesActive: 'engine_element_instances_active',
  batchOperationsActive: 'engine_batch_operations_active',
  batchItemsLeft: 'engine_batch_items_left',
  workerJobs: 'worker_jobs_total',
  workerJobDuration: 'worker_job_duration_seconds',
  // Premium billing (issue 19).
  billingSchedulesBehind: 'portal_billing_schedules_behind',
  premiumOverdueCents: 'portal_premium_overdue_cents',
  reconciliationDaysWithDifferences: 'portal_billing_reconciliation_days_with_differences',
  premiumRefundsPending: 'portal_premium_refunds_pending',
  // Premium collections (issue 19).
  premiumCollections: 'premium_collection_attempts_total',
} as const;

/** A registry of one component's metrics, with Node.js process metrics and a `component` label on everything. */
export function createMetricsRegistry(component: 'portal' | 'engine' | 'workers'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ component });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** HTTP latency by method, route pattern (never the raw URL: ids would make a series each) and status. */
export function httpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  return new Histogram({
    name: METRIC_NAMES.httpDuration,
    help: 'Time to answer an HTTP request, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}
