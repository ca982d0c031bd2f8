import { type Logger } from 'pino';
import { type DataSource } from 'typeorm';
import { Problem } from '../http/problem';
import { addDays, todayUtc } from '../products/quote-dates';
import { SCHEDULE_COLUMNS, type ScheduleRow } from './billing-facts';
import { issueDue, type IssueOutcome } from './invoice-issuer';

export interface BillingRunCounts {
  billingDay: string;
  invoices: number;
  creditNotes: number;
  /** Schedules of cancelled policies stopped, their cover over. */
  stopped: number;
  /** Schedules whose period failed to issue (logged; the next run tries again). */
  failed: number;
}

/** How far back a run by hand may be dated: a missed month is caught up; older days are a correction, not a run. */
export const BILLING_DAY_MAX_DAYS_BACK = 31;

/**
 * A billing day a run may be started for: today, or up to
 * `BILLING_DAY_MAX_DAYS_BACK` days before (a run that did not happen). A day
 * ahead would invoice periods before their time, so it is refused.
 */
export function checkBillingDay(billingDay: string, today = todayUtc()): string {
  const earliest = addDays(today, -BILLING_DAY_MAX_DAYS_BACK);
  if (billingDay > today) throw Problem.unprocessable(`A billing run is for today (${today}) or a day before, not ${billingDay}.`, [{ name: 'billingDay', reason: `must be on or before today, ${today}` }]);
  if (billingDay < earliest) throw Problem.unprocessable(`A billing run reaches back ${BILLING_DAY_MAX_DAYS_BACK} days at most, to ${earliest}: ${billingDay} is earlier.`, [{ name: 'billingDay', reason: `must be on or after ${earliest}` }]);
  return billingDay;
}

/**
 * The billing run for day `billingDay` (billing/README.md "The billing run"):
 * every active schedule whose next period starts within `leadDays` of it,
 * and before its policy ends, gets that period issued, again and again
 * while periods fall due (a schedule behind by three months gets three).
 *
 * Each transaction takes a batch of due schedule rows with `FOR UPDATE SKIP
 * LOCKED`: several runs at once (two API instances, a staff trigger during
 * the daily run) share the schedules instead of queueing on them, and a
 * crash anywhere leaves the batch's periods un-issued, to the next run, or
 * issued with everything that goes with them. A batch that fails is issued
 * again one schedule at a time, so one bad policy holds up no other; it is
 * counted and logged, and tried again by the next run.
 *
 * The batch also holds its policies' rows `FOR SHARE` until it commits, and
 * reads their cover (cancellations, status periods) only after taking them:
 * a cancellation (which locks the policy row for update) either committed
 * before, and the run sees it, or waits for the run's invoices and credits
 * them. A policy locked by a change in progress is skipped, not waited for
 * (a wait could deadlock with a change that locks the schedule next): the
 * next run bills it.
 */
export async function runBilling(dataSource: DataSource, logger: Logger, billingDay: string, leadDays: number, batchSize = 100): Promise<BillingRunCounts> {
  const horizon = addDays(billingDay, leadDays);
  // The day the invoices say they were issued is the day they are, whatever day the run is for.
  const issuedOn = todayUtc();
  const counts: BillingRunCounts = { billingDay, invoices: 0, creditNotes: 0, stopped: 0, failed: 0 };
  const failed: string[] = [];
  // One transaction: take up to `limit` due schedules no other run holds, issue their next periods, commit.
  const issueBatch = (limit: number, only: string | null) => dataSource.transaction(async (manager) => {
    const picked = await manager.query<ScheduleRow[]>(
      `SELECT ${SCHEDULE_COLUMNS} FROM billing_schedule s JOIN policy p ON p.id = s.policy_id
        WHERE s.status = 'active' AND s.next_period_start <= $1 AND NOT (s.id = ANY($2::uuid[])) AND ($4::uuid IS NULL OR s.id = $4)
          AND s.next_period_start <= p.ends_on
        ORDER BY s.next_period_start, s.id LIMIT $3 FOR UPDATE OF s SKIP LOCKED FOR SHARE OF p SKIP LOCKED`,
      [horizon, failed, limit, only],
    );
    const outcomes = await issueDue(manager, picked, issuedOn);
    return { picked, outcomes };
  });
  const count = (outcomes: readonly IssueOutcome[]) => {
    for (const outcome of outcomes) {
      if (outcome.outcome === 'invoice') counts.invoices += 1;
      else if (outcome.outcome === 'credit-note') counts.creditNotes += 1;
      else if (outcome.stopped) counts.stopped += 1;
    }
  };
  for (;;) {
    let batch: { picked: ScheduleRow[]; outcomes: IssueOutcome[] };
    try {
      batch = await issueBatch(batchSize, null);
    } catch (error) {
      // Something in the batch failed and took the batch with it: issue its schedules one by one to find which.
      logger.warn({ err: error }, 'billing batch failed, issuing its schedules one at a time');
      const due = await dataSource.query<{ id: string }[]>(
        `SELECT s.id FROM billing_schedule s WHERE s.status = 'active' AND s.next_period_start <= $1 AND NOT (s.id = ANY($2::uuid[]))
            AND s.next_period_start <= (SELECT p.ends_on FROM policy p WHERE p.id = s.policy_id)
          ORDER BY s.next_period_start, s.id LIMIT $3`,
        [horizon, failed, batchSize],
      );
      for (const { id } of due) {
        try {
          count((await issueBatch(1, id)).outcomes);
        } catch (single) {
          failed.push(id);
          counts.failed += 1;
          logger.error({ err: single, scheduleId: id }, 'premium invoice could not be issued');
        }
      }
      continue;
    }
    if (batch.picked.length === 0) break;
    count(batch.outcomes);
  }
  logger.info({ ...counts, leadDays }, 'billing run finished');
  return counts;
}
