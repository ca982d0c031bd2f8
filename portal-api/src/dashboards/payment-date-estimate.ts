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

/**
 * When a client's claim will probably be paid: of the claims of the same
 * route (all routes while it is not routed yet) paid in the last 90 days, and
 * that took at least as long as this one has already waited, the 80th
 * percentile of submission-to-paid. So a claim already slow is not promised a
 * date in the past. Nothing for drafts, for claims paid or declined, or when
 * fewer than ten claims compare.
 */
@Injectable()
export class PaymentDateEstimates {
  constructor(private readonly dataSource: DataSource) {}

  async forClaim(claim: EstimatedClaim, now = new Date()): Promise<PaymentDateEstimate | null> {
    if (claim.status === 'draft' || FINAL_STATUSES.has(claim.status)) return null;
    const waitedSeconds = Math.max(0, (now.getTime() - claim.submittedAt.getTime()) / 1000);
    const [row] = await this.dataSource.query<[{ n: number; seconds: number | null }]>(
      `SELECT count(*)::int AS n, percentile_cont($4::float8) WITHIN GROUP (ORDER BY seconds) AS seconds FROM (
         SELECT DISTINCT ON (e.claim_id) extract(epoch FROM e.at - c.submitted_at) AS seconds
           FROM claim_event e JOIN claim c ON c.id = e.claim_id
          WHERE e.status = 'paid' AND e.at >= $1 AND ($2::text IS NULL OR c.route = $2)
          ORDER BY e.claim_id, e.id) paid
        WHERE seconds >= $3`,
      [new Date(now.getTime() - ESTIMATE_WINDOW_DAYS * 86_400_000), claim.route, waitedSeconds, ESTIMATE_PERCENTILE],
    );
    if (row.n < ESTIMATE_MIN_CLAIMS || row.seconds === null) return null;
    const date = new Date(claim.submittedAt.getTime() + Number(row.seconds) * 1000);
    return { date: date.toISOString().slice(0, 10), basedOnClaims: row.n, windowDays: ESTIMATE_WINDOW_DAYS, percentile: Math.round(ESTIMATE_PERCENTILE * 100) };
  }
}
