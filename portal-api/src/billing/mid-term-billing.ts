import { type EntityManager } from 'typeorm';
import { loadBillingFacts, SCHEDULE_COLUMNS, type ScheduleRow } from './billing-facts';
import { invoiceLines } from './invoice-lines';
import { invoiceTerms, type PolicyBillingFacts } from './invoice-terms';
import { type DayRange } from './proration';

/**
 * Mid-term changes that reach back into periods already invoiced. The run
 * bills a period once, from the records as they are on the day of issue; a
 * dependant added (or a deductible changed) from a day inside a period
 * already issued would otherwise never be billed for that period. So the
 * change's own transaction reads the policy's billing facts before the change
 * and after it, and for every issued period from the change's first day on
 * records the difference the change makes to the period's premium (with its
 * prorated lines and discounts, exactly as `invoiceLines` computes them) as
 * an approved adjustment: the next invoice prints it as a line and posts it
 * with the invoice (a credit note when the next period costs less than
 * nothing). Only the change is billed: a cancellation already credited, fees
 * or staff adjustments are the same on both sides and cancel out.
 *
 * Once only: one adjustment per change and period, by the idempotency key
 * `mid-term:<change id>:<period start>` (unique), and the caller holds the
 * policy's row lock and this takes the schedule's, so neither a retry nor a
 * concurrent run bills it twice.
 */
export interface BilledBeforeChange {
  schedule: ScheduleRow;
  facts: PolicyBillingFacts;
  /** The periods of the schedule with an invoice (or a negative-invoice credit note) already. */
  issued: DayRange[];
}

export interface MidTermDifference {
  period: DayRange;
  /** What the change adds to (> 0) or takes off (< 0) the period's premium. */
  cents: number;
  /** The adjustment the next invoice carries. */
  adjustmentId: string;
}

/** Adjustment codes of mid-term differences: one per period, so the next invoice says which period each is for. */
export const midTermAdjustmentCode = (period: DayRange): string => `mid-term:${period.from}`;

/** The policy's schedule (locked) and billing facts before a change, in the change's transaction; null without a schedule. */
export async function billedBeforeChange(manager: EntityManager, policyId: string): Promise<BilledBeforeChange | null> {
  const [schedule] = await manager.query<ScheduleRow[]>(`SELECT ${SCHEDULE_COLUMNS} FROM billing_schedule s WHERE s.policy_id = $1 FOR UPDATE`, [policyId]);
  if (!schedule) return null;
  const issued = await manager.query<DayRange[]>(
    `SELECT to_char(period_from, 'YYYY-MM-DD') AS "from", to_char(period_to, 'YYYY-MM-DD') AS "to" FROM invoice WHERE schedule_id = $1
     UNION SELECT to_char(period_from, 'YYYY-MM-DD'), to_char(period_to, 'YYYY-MM-DD') FROM credit_note WHERE schedule_id = $1 AND reason = 'negative-invoice'
     ORDER BY 1`,
    [schedule.id],
  );
  const { facts } = (await loadBillingFacts(manager, [schedule])).get(schedule.id)!;
  return { schedule, facts, issued };
}

/**
 * Bills the change (already written in the caller's transaction) for the
 * issued periods it reaches: the difference between the periods' premium as
 * the records say it now and as they said it before.
 */
export async function billChangeOnIssuedPeriods(
  manager: EntityManager,
  before: BilledBeforeChange,
  change: { id: string; effectiveFrom: string; recordedBy: string; description: string },
): Promise<MidTermDifference[]> {
  const { facts: after } = (await loadBillingFacts(manager, [before.schedule])).get(before.schedule.id)!;
  const differences: MidTermDifference[] = [];
  for (const period of before.issued.filter((p) => p.to >= change.effectiveFrom)) {
    const cents = premiumOf(after, period) - premiumOf(before.facts, period);
    if (cents === 0) continue;
    const reason = `${change.description || 'Mid-term change'} from ${change.effectiveFrom}, for the period ${period.from} to ${period.to} already invoiced`.slice(0, 500);
    await manager.query(
      `INSERT INTO manual_adjustment (policy_id, code, cents, reason, status, requested_by, idempotency_key)
       VALUES ($1, $2, $3, $4, 'approved', $5, $6) ON CONFLICT (idempotency_key) DO NOTHING`,
      [before.schedule.policyId, midTermAdjustmentCode(period), cents, reason, change.recordedBy, `mid-term:${change.id}:${period.from}`],
    );
    const [row] = await manager.query<{ id: string }[]>(`SELECT id FROM manual_adjustment WHERE idempotency_key = $1`, [`mid-term:${change.id}:${period.from}`]);
    differences.push({ period, cents, adjustmentId: row!.id });
  }
  return differences;
}

/** The period's premium with its prorations and discounts: what a change can move (fees and adjustments it cannot). */
function premiumOf(facts: PolicyBillingFacts, period: DayRange): number {
  const draft = invoiceLines({ ...invoiceTerms(facts, period), fees: [], adjustments: [] });
  return draft.premiumCents + draft.discountCents;
}
