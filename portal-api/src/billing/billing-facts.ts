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

/** The columns of `ScheduleRow` (table alias `s`); bigint cents as float8 are exact below 2^53, which every CHECKed amount is. */
export const SCHEDULE_COLUMNS = `s.id, s.policy_id AS "policyId", s.frequency, to_char(s.anchor_date, 'YYYY-MM-DD') AS "anchorDate",
  s.issued_period_premium_cents::float8 AS "issuedPeriodPremiumCents", s.currency, to_char(s.next_period_start, 'YYYY-MM-DD') AS "nextPeriodStart", s.status`;

export async function scheduleById(manager: EntityManager, scheduleId: string, lock: 'FOR UPDATE' | '' = ''): Promise<ScheduleRow | undefined> {
  const [row] = await manager.query<ScheduleRow[]>(`SELECT ${SCHEDULE_COLUMNS} FROM billing_schedule s WHERE s.id = $1 ${lock}`, [scheduleId]);
  return row;
}

export interface LoadedFacts {
  facts: PolicyBillingFacts;
  /** Why cover ends when it ends before the policy's end date. */
  cancelled: boolean;
  feeIds: string[];
  adjustmentIds: string[];
}

const DAY = (column: string, as: string) => `to_char(${column}, 'YYYY-MM-DD') AS "${as}"`;

/**
 * Everything of the schedules' policies that their invoices are computed
 * from, read in the caller's transaction: the policy and its cover, the
 * versions and dependants, the discounts, and the fees and approved
 * adjustments not yet on an invoice. The run (a batch of schedules at once)
 * and the preview (one) both read through here: one query per kind of
 * record, whatever the number of schedules.
 */
export async function loadBillingFacts(manager: EntityManager, schedules: readonly ScheduleRow[]): Promise<Map<string, LoadedFacts>> {
  const policyIds = schedules.map((s) => s.policyId);
  const byPolicy = <T extends { policyId: string }>(rows: T[]) => {
    const grouped = new Map<string, T[]>();
    for (const row of rows) grouped.set(row.policyId, [...(grouped.get(row.policyId) ?? []), row]);
    return (policyId: string) => grouped.get(policyId) ?? [];
  };
  // One after the other: the queries share the transaction's one connection.
  const policies = await manager.query<{ policyId: string; customerId: string; startsOn: string; endsOn: string; cancelledFrom: string | null }[]>(
    `SELECT p.id AS "policyId", p.customer_id AS "customerId", ${DAY('p.starts_on', 'startsOn')}, ${DAY('p.ends_on', 'endsOn')},
            (SELECT to_char(min(s.effective_from), 'YYYY-MM-DD') FROM policy_status_period s WHERE s.policy_id = p.id AND s.status IN ('cancelled', 'expired')) AS "cancelledFrom"
       FROM policy p WHERE p.id = ANY($1::uuid[])`,
    [policyIds],
  );
  const versions = byPolicy(await manager.query<{ policyId: string; effectiveFrom: string; effectiveTo: string | null; periodPremiumCents: number | null }[]>(
    `SELECT policy_id AS "policyId", ${DAY('effective_from', 'effectiveFrom')}, ${DAY('effective_to', 'effectiveTo')}, period_premium_cents::float8 AS "periodPremiumCents"
       FROM policy_version WHERE policy_id = ANY($1::uuid[]) ORDER BY effective_from`,
    [policyIds],
  ));
  const dependants = byPolicy(await manager.query<{ policyId: string; id: string; effectiveFrom: string; effectiveTo: string | null }[]>(
    `SELECT policy_id AS "policyId", id, ${DAY('effective_from', 'effectiveFrom')}, ${DAY('effective_to', 'effectiveTo')} FROM policy_member WHERE policy_id = ANY($1::uuid[]) AND kind = 'dependant'`,
    [policyIds],
  ));
  const discounts = byPolicy(await manager.query<{ policyId: string; code: string; basisPoints: number; effectiveFrom: string; effectiveTo: string | null }[]>(
    `SELECT policy_id AS "policyId", code, basis_points AS "basisPoints", ${DAY('effective_from', 'effectiveFrom')}, ${DAY('effective_to', 'effectiveTo')} FROM policy_discount WHERE policy_id = ANY($1::uuid[])`,
    [policyIds],
  ));
  const fees = byPolicy(await manager.query<{ policyId: string; id: string; code: string; cents: number }[]>(
    `SELECT policy_id AS "policyId", id, code, cents::float8 AS cents FROM pending_fee
      WHERE policy_id = ANY($1::uuid[]) AND invoice_id IS NULL AND credit_note_id IS NULL ORDER BY created_at, id`,
    [policyIds],
  ));
  const adjustments = byPolicy(await manager.query<{ policyId: string; id: string; code: string; cents: number }[]>(
    `SELECT policy_id AS "policyId", id, code, cents::float8 AS cents FROM manual_adjustment
      WHERE policy_id = ANY($1::uuid[]) AND status = 'approved' AND invoice_id IS NULL AND billed_invoice_id IS NULL AND billed_credit_note_id IS NULL ORDER BY requested_at, id`,
    [policyIds],
  ));
  const policyById = new Map(policies.map((p) => [p.policyId, p]));
  const loaded = new Map<string, LoadedFacts>();
  for (const schedule of schedules) {
    const policy = policyById.get(schedule.policyId);
    if (!policy) throw new Error(`Expected the policy ${schedule.policyId} of billing schedule ${schedule.id}, but it is gone.`);
    const cancelled = policy.cancelledFrom !== null && policy.cancelledFrom <= policy.endsOn;
    const ownFees = fees(schedule.policyId);
    const ownAdjustments = adjustments(schedule.policyId);
    loaded.set(schedule.id, {
      facts: {
        policyId: schedule.policyId,
        currency: schedule.currency,
        holderId: policy.customerId,
        cover: { from: policy.startsOn, to: cancelled ? addDays(policy.cancelledFrom!, -1) : policy.endsOn },
        issuedPeriodPremiumCents: schedule.issuedPeriodPremiumCents,
        versions: versions(schedule.policyId).map(({ effectiveFrom, effectiveTo, periodPremiumCents }) => ({ effectiveFrom, effectiveTo, periodPremiumCents })),
        dependants: dependants(schedule.policyId).map(({ id, effectiveFrom, effectiveTo }) => ({ id, effectiveFrom, effectiveTo })),
        discounts: discounts(schedule.policyId).map(({ code, basisPoints, effectiveFrom, effectiveTo }) => ({ code, basisPoints, effectiveFrom, effectiveTo })),
        fees: ownFees.map(({ code, cents }) => ({ code, cents })),
        adjustments: ownAdjustments.map(({ code, cents }) => ({ code, cents })),
      },
      cancelled,
      feeIds: ownFees.map((fee) => fee.id),
      adjustmentIds: ownAdjustments.map((adjustment) => adjustment.id),
    });
  }
  return loaded;
}
