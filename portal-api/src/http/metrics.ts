import { type NextFunction, type Request, type Response } from 'express';
import { Gauge } from 'prom-client';
import { type DataSource } from 'typeorm';
import { createMetricsRegistry, httpDurationHistogram, METRIC_NAMES, METRICS_CONTENT_TYPE } from '@claims/deploy';
import { FINAL_STATUSES } from '../claims/claim-status';

/** An open claim not changed for this long counts as stuck (the alert rules pick the statuses that should move in minutes). */
export const STUCK_AFTER = '1 day';

/**
 * Prometheus text format at `GET /metrics` (outside `/api`, where scrapers
 * look): request latency by route pattern, and claims by status, stuck
 * claims, staff task actions waiting for the engine and claim submissions
 * not yet published to it (the process starter's queue), counted by SQL at
 * scrape time (indexed counts; a scrape every 15 s costs nothing that
 * matters). Served without a token, as Prometheus scrapes: it shows counts
 * only, and the portal listens on loopback unless PORTAL_HOST says otherwise.
 */
export function portalMetrics(dataSource: DataSource) {
  const registry = createMetricsRegistry('portal');
  const duration = httpDurationHistogram(registry);
  const final = [...FINAL_STATUSES];
  new Gauge({
    name: METRIC_NAMES.claimsByStatus,
    help: 'Claims by status (drafts included).',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await dataSource.query<{ status: string; n: number }[]>('SELECT status, count(*)::int AS n FROM claim GROUP BY status');
      this.reset();
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: METRIC_NAMES.claimsStuck,
    help: `Open claims (not draft, not final) unchanged for more than ${STUCK_AFTER}, by status.`,
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await dataSource.query<{ status: string; n: number }[]>(
        `SELECT status, count(*)::int AS n FROM claim WHERE status <> 'draft' AND NOT (status = ANY($1)) AND updated_at < now() - $2::interval GROUP BY status`,
        [final, STUCK_AFTER],
      );
      this.reset();
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: METRIC_NAMES.taskCommandsPending,
    help: 'Staff actions on tasks committed but not yet applied by the engine (the outbox the sweep retries).',
    registers: [registry],
    async collect() {
      const [row] = await dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM user_task_command WHERE state = 'pending'`);
      this.set(row.n);
    },
  });
  new Gauge({
    name: METRIC_NAMES.submissionsWaiting,
    help: 'Claims submitted whose process the engine has not started yet (the submissions the process starter publishes or retries).',
    registers: [registry],
    async collect() {
      const [row] = await dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM claim WHERE status = 'received' AND process_instance_key IS NULL`);
      this.set(row.n);
    },
  });

  // Premium billing (issue 19): a period begun and still not invoiced means the run failed or did not run.
  new Gauge({
    name: METRIC_NAMES.billingSchedulesBehind,
    help: 'Active billing schedules whose next period began before today (inside cover) and is not invoiced yet.',
    registers: [registry],
    async collect() {
      const [row] = await dataSource.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM billing_schedule s JOIN policy p ON p.id = s.policy_id WHERE s.status = 'active' AND s.next_period_start < current_date AND s.next_period_start <= p.ends_on`,
      );
      this.set(row.n);
    },
  });
  new Gauge({
    name: METRIC_NAMES.premiumOverdueCents,
    help: 'Premium open on invoices past their due date, in cents, by currency.',
    labelNames: ['currency'],
    registers: [registry],
    async collect() {
      const rows = await dataSource.query<{ currency: string; cents: number }[]>(`SELECT currency, sum(amount_open_cents)::float8 AS cents FROM invoice WHERE status = 'open' AND due_on < current_date GROUP BY currency`);
      this.reset();
      for (const row of rows) this.set({ currency: row.currency }, row.cents);
    },
  });

  return {
    /** Times every request; the route is Express's pattern (`/api/claims/:claimId`), never the URL with its ids. */
    timing: (req: Request, res: Response, next: NextFunction): void => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const pattern = (req.route as { path?: string } | undefined)?.path;
        const route = pattern ? `${req.baseUrl}${pattern}` : req.originalUrl.startsWith('/api') ? 'unmatched' : 'web-apps';
        duration.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
      });
      next();
    },
    endpoint: (req: Request, res: Response, next: NextFunction): void => {
      if (req.path !== '/metrics' || req.method !== 'GET') return next();
      registry.metrics().then((text) => res.type(METRICS_CONTENT_TYPE).send(text), next);
    },
  };
}
