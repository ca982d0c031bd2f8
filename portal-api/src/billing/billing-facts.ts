import { type EntityManager } from 'typeorm';
import { type PaymentFrequency } from '../products/premium-arithmetic';
import { addDays } from '../products/quote-dates';
import { type PolicyBillingFacts } from './invoice-terms';

/** A billing_schedule row as the run and the reads use it. */
export interface ScheduleRow {
  id: string;
  policyId: string;
  frequency: PaymentFrequency;
  anchorDate: string;
  issuedPeriodPremiumCents: number;
  currency: string;
  nextPeriodStart: string;
  status: 'active' | 'stopped';
}

export const SCHEDULE_COLUMNS = `id, policy_id AS "policyId", frequency, to_char(anchor_date, 'YYYY-MM-DD') AS "anchorDate",
  issued_period_premium_cents::float8 AS "issuedPeriodPremiumCents", currency, to_char(next_period_start, 'YYYY-MM-DD') AS "nextPeriodStart", status`;

export async function scheduleById(manager: EntityManager, scheduleId: string, lock: 'FOR UPDATE' | '' = ''): Promise<ScheduleRow | undefined> {
  const [row] = await manager.query<ScheduleRow[]>(`SELECT ${SCHEDULE_COLUMNS} FROM billing_schedule WHERE id = $1 ${lock}`, [scheduleId]);
  return row;
}

export interface LoadedFacts {
  facts: PolicyBillingFacts;
  /** Why cover ends when it ends before the policy's end date. */
  cancelled: boolean;
  feeIds: string[];
  adjustmentIds: string[];
}

/**
 * Everything of a policy that its invoice for a period is computed from, read
 * in the caller's transaction: the policy and its cover, the versions and
 * dependants, the discounts, and the fees and approved adjustments not yet on
 * an invoice. The run and the preview both read through here.
 */
export async function loadBillingFacts(manager: EntityManager, schedule: ScheduleRow): Promise<LoadedFacts> {
  const [policy] = await manager.query<{ customer_id: string; starts_on: string; ends_on: string; cancelled_from: string | null }[]>(
    `SELECT p.customer_id, to_char(p.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(p.ends_on, 'YYYY-MM-DD') AS ends_on,
            (SELECT to_char(min(s.effective_from), 'YYYY-MM-DD') FROM policy_status_period s WHERE s.policy_id = p.id AND s.status IN ('cancelled', 'expired')) AS cancelled_from
       FROM policy p WHERE p.id = $1`,
    [schedule.policyId],
  );
  if (!policy) throw new Error(`Expected the policy ${schedule.policyId} of billing schedule ${schedule.id}, but it is gone.`);
  const cancelledBefore = policy.cancelled_from !== null && policy.cancelled_from <= policy.ends_on;
  const coverTo = cancelledBefore ? addDays(policy.cancelled_from!, -1) : policy.ends_on;
  // One after the other: the queries share the transaction's one connection.
  const versions = await manager.query<{ effectiveFrom: string; effectiveTo: string | null; periodPremiumCents: number | null }[]>(
      `SELECT to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo", period_premium_cents::float8 AS "periodPremiumCents"
         FROM policy_version WHERE policy_id = $1 ORDER BY effective_from`,
      [schedule.policyId],
    );
  const dependants = await manager.query<{ id: string; effectiveFrom: string; effectiveTo: string | null }[]>(
      `SELECT id, to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo"
         FROM policy_member WHERE policy_id = $1 AND kind = 'dependant'`,
      [schedule.policyId],
    );
  const discounts = await manager.query<{ code: string; basisPoints: number; effectiveFrom: string; effectiveTo: string | null }[]>(
      `SELECT code, basis_points AS "basisPoints", to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", to_char(effective_to, 'YYYY-MM-DD') AS "effectiveTo"
         FROM policy_discount WHERE policy_id = $1`,
      [schedule.policyId],
    );
  const fees = await manager.query<{ id: string; code: string; cents: number }[]>(
      `SELECT id, code, cents::float8 AS cents FROM pending_fee WHERE policy_id = $1 AND invoice_id IS NULL AND credit_note_id IS NULL ORDER BY created_at, id`,
      [schedule.policyId],
    );
  const adjustments = await manager.query<{ id: string; code: string; cents: number }[]>(
      `SELECT id, code, cents::float8 AS cents FROM manual_adjustment
        WHERE policy_id = $1 AND status = 'approved' AND invoice_id IS NULL AND billed_invoice_id IS NULL AND billed_credit_note_id IS NULL ORDER BY requested_at, id`,
      [schedule.policyId],
    );
  return {
    facts: {
      policyId: schedule.policyId,
      currency: schedule.currency,
      holderId: policy.customer_id,
      cover: { from: policy.starts_on, to: coverTo },
      issuedPeriodPremiumCents: schedule.issuedPeriodPremiumCents,
      versions,
      dependants,
      discounts,
      fees: fees.map(({ code, cents }) => ({ code, cents })),
      adjustments: adjustments.map(({ code, cents }) => ({ code, cents })),
    },
    cancelled: cancelledBefore,
    feeIds: fees.map((fee) => fee.id),
    adjustmentIds: adjustments.map((adjustment) => adjustment.id),
  };
}
