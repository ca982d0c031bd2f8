import { type PolicyStatus } from '../customers/policy.entity';

/** One stretch of a policy's state history, dates as YYYY-MM-DD, `effectiveTo` included (null: until further notice). */
export interface StatusPeriod {
  readonly status: PolicyStatus;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
}

/**
 * Why a policy did not cover care on a day, as the reason codes claim items
 * carry (their client wording is REASON_WORDING in claims/claim-status.ts).
 * POLICY_INACTIVE is the older code for a day outside the policy's dates.
 */
export const STANDING_REFUSALS = ['POLICY_INACTIVE', 'POLICY_PENDING', 'POLICY_SUSPENDED', 'POLICY_LAPSED', 'POLICY_CANCELLED', 'POLICY_EXPIRED'] as const;
export type StandingRefusal = (typeof STANDING_REFUSALS)[number];

const REFUSAL_OF: Record<Exclude<PolicyStatus, 'active'>, StandingRefusal> = {
  pending: 'POLICY_PENDING',
  suspended: 'POLICY_SUSPENDED',
  lapsed: 'POLICY_LAPSED',
  cancelled: 'POLICY_CANCELLED',
  expired: 'POLICY_EXPIRED',
};

/** The period of the history that holds `date`, if any (periods never overlap: the database refuses it). */
export function periodOn(periods: readonly StatusPeriod[], date: string): StatusPeriod | undefined {
  return periods.find((p) => p.effectiveFrom <= date && (p.effectiveTo === null || date <= p.effectiveTo));
}

/**
 * Where the policy stood on `date`: the state of the history's period that
 * holds it; with no period there (a policy with no history, or a day the
 * history does not reach), active between its start and end dates, pending
 * before, expired after.
 */
export function statusOn(policy: { readonly startsOn: string; readonly endsOn: string }, periods: readonly StatusPeriod[], date: string): PolicyStatus {
  const period = periodOn(periods, date);
  if (period) return period.status;
  if (date < policy.startsOn) return 'pending';
  return date > policy.endsOn ? 'expired' : 'active';
}

/**
 * Null when the policy covered care on `date`; else why not. Care before the
 * start or after the end is never covered, whatever the history says; inside
 * them, a period of any state but active refuses it.
 */
export function refusalOn(policy: { readonly startsOn: string; readonly endsOn: string }, periods: readonly StatusPeriod[], date: string): StandingRefusal | null {
  const period = periodOn(periods, date);
  if (date < policy.startsOn || date > policy.endsOn) return period && period.status !== 'active' ? REFUSAL_OF[period.status] : 'POLICY_INACTIVE';
  return !period || period.status === 'active' ? null : REFUSAL_OF[period.status];
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The history with `next` laid over it: what it covers takes that state,
 * periods around it keep theirs for the days outside it. A policy with no
 * history yet starts from "active from its start date".
 */
export function withPeriod(policy: { readonly startsOn: string }, periods: readonly StatusPeriod[], next: StatusPeriod): StatusPeriod[] {
  const base: readonly StatusPeriod[] = periods.length > 0 ? periods : [{ status: 'active', effectiveFrom: policy.startsOn, effectiveTo: null }];
  const kept: StatusPeriod[] = [];
  for (const p of base) {
    if (p.effectiveFrom < next.effectiveFrom) kept.push({ ...p, effectiveTo: p.effectiveTo !== null && p.effectiveTo < next.effectiveFrom ? p.effectiveTo : dayBefore(next.effectiveFrom) });
    if (next.effectiveTo !== null && (p.effectiveTo === null || p.effectiveTo > next.effectiveTo)) {
      const from = p.effectiveFrom > next.effectiveTo ? p.effectiveFrom : dayAfter(next.effectiveTo);
      kept.push({ ...p, effectiveFrom: from });
    }
  }
  return [...kept, next].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}
