import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { RetrySweep } from '../claims/retry-sweep';
import { Problem } from '../http/problem';
import { addDays, todayUtc } from '../products/quote-dates';
import { LOGGER } from '../tokens';
import { readFigures, reconcile, type ReconciliationReport } from './reconciliation';

const SWEEP_EVERY_MS = 60 * 60_000;
/** How far back a first run (or a portal that was down for days) catches up. */
const CATCH_UP_DAYS = 7;

/**
 * The daily reconciliation report (reconciliation.ts), stored per day in
 * `billing_reconciliation`. Each hour the sweep reconciles the finished days
 * not reported yet (yesterday, and up to a week back after downtime), so the
 * report of a day is written once the day is over; staff read it by day. A
 * day asked before it is over (today) is computed and answered, not stored.
 * A difference is logged as an error, for the alerting that reads the logs.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: RetrySweep;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new RetrySweep('billing reconciliation', SWEEP_EVERY_MS, () => this.reconcileFinishedDays(), logger);
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
    void this.sweeper.run();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One pass now (tests call it rather than wait an hour). */
  sweep(): Promise<void> {
    return this.sweeper.run();
  }

  async forDay(day: string, today = todayUtc()): Promise<ReconciliationReport> {
    if (day > today) throw Problem.unprocessable(`Day ${day} has not begun: only days up to ${today} are reconciled.`, [{ name: 'day', reason: `must be on or before ${today}` }]);
    const stored = await this.stored(day);
    if (stored) return stored;
    return day < today ? this.run(day) : this.compute(day);
  }

  /** Reconciles the day and stores the report (a later run of the same day replaces it). */
  async run(day: string): Promise<ReconciliationReport> {
    const report = await this.compute(day);
    await this.dataSource.query(
      `INSERT INTO billing_reconciliation (day, ok, checks, unbalanced_entries, run_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (day) DO UPDATE SET ok = EXCLUDED.ok, checks = EXCLUDED.checks, unbalanced_entries = EXCLUDED.unbalanced_entries, run_at = EXCLUDED.run_at`,
      [day, report.ok, JSON.stringify(report.checks), JSON.stringify(report.unbalancedEntries), report.runAt],
    );
    if (report.ok) this.logger.info({ day }, 'billing reconciled');
    else this.logger.error({ day, differences: report.checks.filter((c) => !c.ok), unbalancedEntries: report.unbalancedEntries }, 'billing reconciliation found differences');
    return report;
  }

  private async compute(day: string): Promise<ReconciliationReport> {
    // One snapshot: the ledger and the tables as of the same moment.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const { figures, unbalanced } = await readFigures(manager, day);
      return reconcile(day, figures, unbalanced, new Date());
    });
  }

  private async stored(day: string): Promise<ReconciliationReport | undefined> {
    const [row] = await this.dataSource.query<{ day: string; ok: boolean; checks: ReconciliationReport['checks']; unbalanced_entries: ReconciliationReport['unbalancedEntries']; run_at: Date }[]>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, ok, checks, unbalanced_entries, run_at FROM billing_reconciliation WHERE day = $1`,
      [day],
    );
    return row && { day: row.day, ok: row.ok, checks: row.checks, unbalancedEntries: row.unbalanced_entries, runAt: new Date(row.run_at).toISOString() };
  }

  private async reconcileFinishedDays(): Promise<void> {
    const today = todayUtc();
    const [row] = await this.dataSource.query<{ days: string[] }[]>(
      `SELECT coalesce(array_agg(to_char(day, 'YYYY-MM-DD')), '{}') AS days FROM billing_reconciliation WHERE day >= $1`,
      [addDays(today, -CATCH_UP_DAYS)],
    );
    const done = new Set(row?.days ?? []);
    for (let back = CATCH_UP_DAYS; back >= 1; back -= 1) {
      const day = addDays(today, -back);
      if (!done.has(day)) await this.run(day);
    }
  }
}
