import { type EntityManager } from 'typeorm';
import { type PaymentFrequency } from '../products/premium-arithmetic';
import { billingPeriod, billingPeriodIndexOn } from './billing-periods';

export interface NewSchedule {
  policyId: string;
  frequency: PaymentFrequency;
  /** The policy's first day of cover. */
  startsOn: string;
  /** Bill from the issue date, or on a chosen day of the month (1–28). */
  billingDay?: number | null;
  /** The period premium of the policy as issued (what it costs while no policy version says otherwise). */
  periodPremiumCents: number;
  currency: string;
  /** Bill from the period holding this day (demo policies sold before billing existed); from the first period when left out. */
  firstPeriodOn?: string;
}

/**
 * The day a schedule's periods are counted from: the start of cover, or the
 * chosen billing day on or before it (the first period then begins before
 * cover does, and bills the days from the start of cover only).
 */
export function anchorDateFor(startsOn: string, billingDay: number | null | undefined): string {
  if (billingDay === null || billingDay === undefined) return startsOn;
  if (!Number.isInteger(billingDay) || billingDay < 1 || billingDay > 28) throw new RangeError(`Expected a billing day from 1 to 28, but it is ${billingDay}.`);
  const [year, month, day] = startsOn.split('-').map(Number) as [number, number, number];
  const back = day >= billingDay ? 0 : 1;
  const target = new Date(Date.UTC(year, month - 1 - back, billingDay));
  return target.toISOString().slice(0, 10);
}

/**
 * Creates a policy's billing schedule in the caller's transaction (the one
 * that issues the policy). A policy has one schedule: asked again, the
 * existing one is kept and its id answered.
 */
export async function createBillingSchedule(manager: EntityManager, schedule: NewSchedule): Promise<string> {
  const anchorDate = anchorDateFor(schedule.startsOn, schedule.billingDay);
  const first = schedule.firstPeriodOn && schedule.firstPeriodOn > anchorDate
    ? billingPeriod(anchorDate, schedule.frequency, billingPeriodIndexOn(anchorDate, schedule.frequency, schedule.firstPeriodOn)).from
    : anchorDate;
  const [made] = await manager.query<{ id: string }[]>(
    `INSERT INTO billing_schedule (policy_id, frequency, anchor, billing_day, anchor_date, issued_period_premium_cents, currency, next_period_start)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (policy_id) DO NOTHING RETURNING id`,
    [schedule.policyId, schedule.frequency, schedule.billingDay ? 'billing-day' : 'issue-date', schedule.billingDay ?? null, anchorDate, schedule.periodPremiumCents, schedule.currency, first],
  );
  if (made) return made.id;
  const [existing] = await manager.query<{ id: string }[]>(`SELECT id FROM billing_schedule WHERE policy_id = $1`, [schedule.policyId]);
  return existing!.id;
}
