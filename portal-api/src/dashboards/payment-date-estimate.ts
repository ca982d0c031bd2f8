import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FINAL_STATUSES, type ClaimRoute, type ClaimStatus } from '../claims/claim-status';

/** Claims paid in this many past days are the ones measured. */
export const ESTIMATE_WINDOW_DAYS = 90;
/** The share of those claims paid by the estimated date. */
export const ESTIMATE_PERCENTILE = 0.8;
/** Fewer comparable claims than this and nothing is said: an estimate from a handful would be a guess. */
export const ESTIMATE_MIN_CLAIMS = 10;

export interface PaymentDateEstimate {
  /** The day by which most comparable claims were paid (YYYY-MM-DD, UTC). */
  readonly date: string;
  /** How many paid claims it rests on, and over how many days. */
  readonly basedOnClaims: number;
  readonly windowDays: number;
  readonly percentile: number;
}

interface EstimatedClaim {
  readonly status: ClaimStatus;
  readonly route: ClaimRoute | null;
  readonly submittedAt: Date;
}

/** How long the measured durations are kept: the claim page is the client's most opened, the history changes slowly. */
export const ESTIMATE_CACHE_MS = 60_000;

/** percentile_cont over sorted values: linear between the two nearest ranks, as PostgreSQL computes it. */
export function percentileOfSorted(sorted: readonly number[], share: number): number {
  const rank = share * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/**
 * When a client's claim will probably be paid: of the claims of the same
 * route (all routes while it is not routed yet) paid in the last 90 days, and
 * that took at least as long as this one has already waited, the 80th
 * percentile of submission-to-paid. So a claim already slow is not promised a
 * date in the past. Nothing for drafts, for claims paid or declined, or when
 * fewer than ten claims compare. The durations per route are read once a
 * minute, not on every claim page.
 */
@Injectable()
export class PaymentDateEstimates {
  private readonly durations = new Map<string, { seconds: Promise<number[]>; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async forClaim(claim: EstimatedClaim, now = new Date()): Promise<PaymentDateEstimate | null> {
    if (claim.status === 'draft' || FINAL_STATUSES.has(claim.status)) return null;
    const waitedSeconds = Math.max(0, (now.getTime() - claim.submittedAt.getTime()) / 1000);
    const paid = await this.paidDurations(claim.route, now);
    // Sorted ascending: those that took at least as long as this claim has waited are the tail.
    const first = paid.findIndex((seconds) => seconds >= waitedSeconds);
    const comparable = first < 0 ? [] : paid.slice(first);
    if (comparable.length < ESTIMATE_MIN_CLAIMS) return null;
    const date = new Date(claim.submittedAt.getTime() + percentileOfSorted(comparable, ESTIMATE_PERCENTILE) * 1000);
    return { date: date.toISOString().slice(0, 10), basedOnClaims: comparable.length, windowDays: ESTIMATE_WINDOW_DAYS, percentile: Math.round(ESTIMATE_PERCENTILE * 100) };
  }

  /** Submission to payment, in seconds and ascending, of the claims of a route (null: all) paid in the window. */
  private paidDurations(route: ClaimRoute | null, now: Date): Promise<number[]> {
    const key = route ?? '*';
    const cached = this.durations.get(key);
    if (cached && cached.until > now.getTime()) return cached.seconds;
    const seconds = this.dataSource
      .query<{ seconds: number }[]>(
        `SELECT seconds FROM (
           SELECT DISTINCT ON (e.claim_id) extract(epoch FROM e.at - c.submitted_at)::float8 AS seconds
             FROM claim_event e JOIN claim c ON c.id = e.claim_id
            WHERE e.status = 'paid' AND e.at >= $1 AND ($2::text IS NULL OR c.route = $2)
            ORDER BY e.claim_id, e.id) paid
          ORDER BY seconds`,
        [new Date(now.getTime() - ESTIMATE_WINDOW_DAYS * 86_400_000), route],
      )
      .then((rows) => rows.map((row) => Number(row.seconds)));
    // A failed read is not kept: the next page asks again.
    seconds.catch(() => this.durations.delete(key));
    this.durations.set(key, { seconds, until: now.getTime() + ESTIMATE_CACHE_MS });
    return seconds;
  }
}
