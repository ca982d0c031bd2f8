import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ClaimRoute } from '../claims/claim-status';
import { IncidentWatch } from '../claims/incident-watch';
import { Problem } from '../http/problem';
import { type ClaimsDashboardQuery } from './dashboard.dto';
import { SERVICE_LEVELS, TASK_TEAMS } from './service-levels';

const DAY_MS = 86_400_000;
/** Longest range one report covers: a year (and a leap day). */
export const MAX_RANGE_DAYS = 366;
/** The outcomes a turnaround ends on: the claim is paid or closed with a decision (abandoned claims waited on the client, not on us). */
const DECIDED = ['paid', 'closed-nothing-payable', 'rejected'];
const FINAL = [...DECIDED, 'abandoned'];

export interface DashboardRange {
  /** First day, included (YYYY-MM-DD, UTC). */
  readonly from: string;
  /** Last day, included. */
  readonly to: string;
}

export interface ClaimsDashboard {
  readonly range: DashboardRange;
  readonly filters: { readonly route: ClaimRoute | null; readonly team: string | null };
  readonly generatedAt: string;
  /** Submission to the first final status, of claims decided in the range, by route (`null`: rejected before routing). */
  readonly turnaround: readonly { route: string | null; claims: number; p50Seconds: number; p90Seconds: number }[];
  /** Claims that reached a final status in the range. Rates are of decided claims (paid, nothing payable, declined). */
  readonly outcomes: { paid: number; nothingPayable: number; declined: number; abandoned: number; decided: number; approvalRate: number | null; declineRate: number | null };
  /** Stays in a status that began in the range: how many, how many lasted past the service level, how many are past it now and still waiting. */
  readonly serviceLevels: readonly { status: string; task: string; limitHours: number; entered: number; breached: number; overdueNow: number }[];
  /** Per person and team: tasks claimed through the portal and not completed yet (now), tasks completed in the range. */
  readonly people: readonly { adjuster: string; team: string; openTasks: number; completed: number }[];
  readonly teams: readonly { team: string; openTasks: number; completed: number }[];
  /** Claims submitted in the range and screened: how many the fraud rules flagged, how many went to investigation. */
  readonly fraud: { screened: number; flagged: number; investigated: number; hitRate: number | null };
  /** Claims whose process is stopped on an open incident now; null when the engine did not answer. */
  readonly incidents: { openClaims: number | null };
  /** Payouts paid in the range, per currency, in integer cents. */
  readonly payouts: readonly { currency: string; count: number; paidCents: number }[];
}

/** The range asked for, checked: dates, `from` not after `to`, at most a year. */
export function dashboardRange(query: Pick<ClaimsDashboardQuery, 'from' | 'to'>, today = new Date()): DashboardRange & { start: Date; end: Date } {
  const day = (value: string, field: string) => {
    const at = new Date(`${value}T00:00:00Z`);
    if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value) throw Problem.invalidField(field, 'must be a real date (YYYY-MM-DD)');
    return at;
  };
  const end = query.to ? day(query.to, 'to') : new Date(today.toISOString().slice(0, 10) + 'T00:00:00Z');
  const start = query.from ? day(query.from, 'from') : new Date(end.getTime() - 29 * DAY_MS);
  if (start > end) throw Problem.invalidField('to', 'must not be before from');
  if ((end.getTime() - start.getTime()) / DAY_MS + 1 > MAX_RANGE_DAYS) throw Problem.invalidField('from', `must be at most ${MAX_RANGE_DAYS} days before to`);
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10), start, end: new Date(end.getTime() + DAY_MS) };
}

/** A share rounded to four places, or null when there is nothing to divide. */
function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * The managers' claims report, computed in SQL from the portal's own records:
 * the claims and their status history (`claim_event`), the task commands staff
 * sent through the portal (`user_task_command`: who claimed and completed what),
 * payouts, and fraud screening results on the claim. Only the open incidents
 * come from the engine (IncidentWatch, as search flags them).
 */
@Injectable()
export class ClaimsDashboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentWatch,
  ) {}

  async report(query: ClaimsDashboardQuery): Promise<ClaimsDashboard> {
    const range = dashboardRange(query);
    const route = query.route ?? null;
    const team = query.team ?? null;
    const window = [range.start, range.end, route];
    const [{ turnaround, outcomes }, serviceLevels, work, fraud, payouts, incidents] = await Promise.all([
      this.closedClaims(window),
      this.serviceLevels(window),
      this.work(window, team),
      this.fraud(window),
      this.payouts(window),
      this.openIncidentClaims(route),
    ]);
    const teams = new Map<string, { team: string; openTasks: number; completed: number }>();
    for (const person of work) {
      const row = teams.get(person.team) ?? { team: person.team, openTasks: 0, completed: 0 };
      row.openTasks += person.openTasks;
      row.completed += person.completed;
      teams.set(person.team, row);
    }
    return {
      range: { from: range.from, to: range.to },
      filters: { route, team },
      generatedAt: new Date().toISOString(),
      turnaround,
      outcomes,
      serviceLevels,
      people: work,
      teams: [...teams.values()].sort((a, b) => a.team.localeCompare(b.team)),
      fraud,
      incidents: { openClaims: incidents },
      payouts,
    };
  }

  /**
   * Claims closed in the range, in one pass over the status history: each
   * claim's first final status in the range (a final status is never left; a
   * repeated event counts once), counted by route and outcome, with the
   * turnaround percentiles of the decided ones (abandoned claims waited on
   * the client, not on us).
   */
  private async closedClaims(window: unknown[]) {
    const rows = await this.dataSource.query<{ route: string | null; paid: number; nothing: number; declined: number; abandoned: number; p50: number | null; p90: number | null }[]>(
      `WITH closed AS (
         SELECT DISTINCT ON (e.claim_id) e.status, c.route, extract(epoch FROM e.at - c.submitted_at) AS seconds
           FROM claim_event e JOIN claim c ON c.id = e.claim_id
          WHERE e.status = ANY($4) AND e.at >= $1 AND e.at < $2 AND ($3::text IS NULL OR c.route = $3)
          ORDER BY e.claim_id, e.id)
       SELECT route,
              count(*) FILTER (WHERE status = 'paid')::int AS paid, count(*) FILTER (WHERE status = 'closed-nothing-payable')::int AS nothing,
              count(*) FILTER (WHERE status = 'rejected')::int AS declined, count(*) FILTER (WHERE status = 'abandoned')::int AS abandoned,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE status = ANY($5)) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE status = ANY($5)) AS p90
         FROM closed GROUP BY route ORDER BY route NULLS LAST`,
      [...window, FINAL, DECIDED],
    );
    const total = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
    const paid = total((row) => row.paid);
    const declined = total((row) => row.declined);
    const nothingPayable = total((row) => row.nothing);
    const decided = paid + declined + nothingPayable;
    return {
      turnaround: rows
        .filter((row) => row.paid + row.nothing + row.declined > 0)
        .map((row) => ({ route: row.route, claims: row.paid + row.nothing + row.declined, p50Seconds: Math.round(Number(row.p50)), p90Seconds: Math.round(Number(row.p90)) })),
      outcomes: { paid, nothingPayable, declined, abandoned: total((row) => row.abandoned), decided, approvalRate: rate(paid, decided), declineRate: rate(declined, decided) },
    };
  }

  /** A stay ends at the claim's next status change to another status (events are appended in time order); one still going is measured to now. */
  private async serviceLevels(window: unknown[]) {
    // The statuses as an array parameter, so the stays are found on the (status, at) index.
    const rows = await this.dataSource.query<{ status: string; entered: number; breached: number; overdue_now: number }[]>(
      `WITH stay AS (
              SELECT e.status, e.at,
                     (SELECT n.at FROM claim_event n WHERE n.claim_id = e.claim_id AND n.id > e.id AND n.status IS NOT NULL AND n.status <> e.status ORDER BY n.id LIMIT 1) AS left_at
                FROM claim_event e JOIN claim c ON c.id = e.claim_id
               WHERE e.status = ANY($4::text[]) AND e.kind = 'status-changed' AND e.at >= $1 AND e.at < $2 AND ($3::text IS NULL OR c.route = $3))
       SELECT stay.status, count(*)::int AS entered,
              count(*) FILTER (WHERE coalesce(stay.left_at, now()) - stay.at > make_interval(hours => level.hours))::int AS breached,
              count(*) FILTER (WHERE stay.left_at IS NULL AND now() - stay.at > make_interval(hours => level.hours))::int AS overdue_now
         FROM stay JOIN unnest($4::text[], $5::int[]) AS level(status, hours) ON level.status = stay.status
        GROUP BY stay.status`,
      [...window, SERVICE_LEVELS.map((level) => level.status), SERVICE_LEVELS.map((level) => level.hours)],
    );
    return SERVICE_LEVELS.map((level) => {
      const row = rows.find((r) => r.status === level.status);
      return { status: level.status, task: level.task, limitHours: level.hours, entered: row?.entered ?? 0, breached: row?.breached ?? 0, overdueNow: row?.overdue_now ?? 0 };
    });
  }

  /**
   * Open tasks are those whose last command applied was a claim (assigned to
   * that person, not completed nor handed back); throughput is completions
   * applied in the range. Tasks nobody has claimed yet have no owner here.
   */
  private async work(window: unknown[], team: string | null) {
    const teams = Object.entries(TASK_TEAMS);
    const rows = await this.dataSource.query<{ actor: string; team: string; open: number; completed: number }[]>(
      `WITH team_of AS (SELECT t->>0 AS element_id, t->>1 AS team FROM jsonb_array_elements($4::jsonb) t),
            applied AS (
              SELECT u.user_task_key, u.kind, u.actor_name, u.settled_at, tt.team
                FROM user_task_command u JOIN team_of tt ON tt.element_id = u.audit_details->>'elementId'
                LEFT JOIN claim c ON c.id = u.claim_id
               WHERE u.state = 'done' AND ($3::text IS NULL OR c.route = $3) AND ($5::text IS NULL OR tt.team = $5)),
            latest AS (SELECT DISTINCT ON (user_task_key) * FROM applied ORDER BY user_task_key, settled_at DESC)
       SELECT actor_name AS actor, team, sum(open)::int AS open, sum(completed)::int AS completed FROM (
         SELECT actor_name, team, count(*) AS open, 0 AS completed FROM latest WHERE kind = 'assign' GROUP BY actor_name, team
         UNION ALL
         SELECT actor_name, team, 0, count(*) FROM applied WHERE kind = 'complete' AND settled_at >= $1 AND settled_at < $2 GROUP BY actor_name, team) counted
       GROUP BY actor_name, team ORDER BY team, actor_name`,
      [...window, JSON.stringify(teams), team],
    );
    return rows.map((row) => ({ adjuster: row.actor, team: row.team, openTasks: row.open, completed: row.completed }));
  }

  private async fraud(window: unknown[]) {
    const [row] = await this.dataSource.query<[{ screened: number; flagged: number; investigated: number }]>(
      `SELECT count(*)::int AS screened, count(*) FILTER (WHERE jsonb_array_length(fraud_flags) > 0)::int AS flagged,
              count(*) FILTER (WHERE route = 'investigation')::int AS investigated
         FROM claim WHERE fraud_score IS NOT NULL AND submitted_at >= $1 AND submitted_at < $2 AND ($3::text IS NULL OR route = $3)`,
      window,
    );
    return { ...row, hitRate: rate(row.flagged, row.screened) };
  }

  /** Amounts leave here in integer cents, summed in SQL from the exact numeric column. */
  private async payouts(window: unknown[]) {
    const rows = await this.dataSource.query<{ currency: string; count: number; cents: string }[]>(
      `SELECT p.currency, count(*)::int AS count, sum(round(p.amount * 100))::bigint AS cents
         FROM payout p JOIN claim c ON c.id = p.claim_id
        WHERE p.status = 'paid' AND p.updated_at >= $1 AND p.updated_at < $2 AND ($3::text IS NULL OR c.route = $3)
        GROUP BY p.currency ORDER BY p.currency`,
      window,
    );
    return rows.map((row) => ({ currency: row.currency, count: row.count, paidCents: Number(row.cents) }));
  }

  private async openIncidentClaims(route: ClaimRoute | null): Promise<number | null> {
    const stopped = await this.incidents.instancesWithOpenIncidents();
    if (!stopped) return null;
    if (stopped.size === 0) return 0;
    const [row] = await this.dataSource.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM claim WHERE process_instance_key = ANY($1) AND ($2::text IS NULL OR route = $2)`,
      [[...stopped], route],
    );
    return row.n;
  }
}
