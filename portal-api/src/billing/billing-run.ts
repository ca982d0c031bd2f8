import { type Logger } from 'pino';
import { type DataSource } from 'typeorm';
import { addDays } from '../products/quote-dates';
import { SCHEDULE_COLUMNS, type ScheduleRow } from './billing-facts';
import { issueLocked } from './invoice-issuer';

export interface BillingRunCounts {
  billingDay: string;
  invoices: number;
  creditNotes: number;
  /** Schedules of cancelled policies stopped, their cover over. */
  stopped: number;
  /** Schedules whose period failed to issue (logged; the next run tries again). */
  failed: number;
}

/**
 * The billing run for day `billingDay` (billing/README.md "The billing run"):
 * every active schedule whose next period starts within `leadDays` of it,
 * and before its policy ends, gets that period issued, again and again
 * while periods fall due (a schedule behind by three months gets three).
 *
 * Each period is one transaction that takes one due schedule row with
 * `FOR UPDATE SKIP LOCKED`: several runs at once (two API instances, a
 * staff trigger during the daily run) share the schedules instead of
 * queueing on them, and a crash anywhere leaves the period un-issued, to
 * the next run, or issued with everything that goes with it.
 */
export async function runBilling(dataSource: DataSource, logger: Logger, billingDay: string, leadDays: number): Promise<BillingRunCounts> {
  const horizon = addDays(billingDay, leadDays);
  const counts: BillingRunCounts = { billingDay, invoices: 0, creditNotes: 0, stopped: 0, failed: 0 };
  const failed: string[] = [];
  for (;;) {
    let picked: ScheduleRow | undefined;
    try {
      const done = await dataSource.transaction(async (manager) => {
        [picked] = await manager.query<ScheduleRow[]>(
          `SELECT ${SCHEDULE_COLUMNS} FROM billing_schedule s
            WHERE s.status = 'active' AND s.next_period_start <= $1 AND NOT (s.id = ANY($2::uuid[]))
              AND s.next_period_start <= (SELECT p.ends_on FROM policy p WHERE p.id = s.policy_id)
            ORDER BY s.next_period_start, s.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [horizon, failed],
        );
        if (!picked) return true;
        const outcome = await issueLocked(manager, picked, picked.nextPeriodStart, billingDay);
        if (outcome.outcome === 'invoice' && !outcome.replayed) counts.invoices += 1;
        else if (outcome.outcome === 'credit-note' && !outcome.replayed) counts.creditNotes += 1;
        else if (outcome.outcome === 'not-in-cover' && outcome.stopped) counts.stopped += 1;
        return false;
      });
      if (done) break;
    } catch (error) {
      if (!picked) throw error;
      failed.push(picked.id);
      counts.failed += 1;
      logger.error({ err: error, scheduleId: picked.id, policyId: picked.policyId, periodStart: picked.nextPeriodStart }, 'premium invoice could not be issued');
    }
  }
  logger.info({ ...counts, leadDays }, 'billing run finished');
  return counts;
}
