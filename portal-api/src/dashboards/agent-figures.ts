import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dashboardRange } from './claims-dashboard';
import { type AgentFiguresQuery } from './dashboard.dto';
import { TASK_TEAMS } from './service-levels';

/** The domain's customer-service targets (DOMAIN.md): drawn as reference lines on the staff app's charts. */
export const SERVICE_TARGETS = { satisfactionAbove: 4.5, firstResponseHours: 2 } as const;

/** Statuses that end a claim for the resolution time (an abandoned draft never started). */
const RESOLVED_STATUSES = ['paid', 'closed-nothing-payable', 'rejected'];

/** One measured event: a first response (minutes), a resolution (hours) or a survey score, and whom it counts for. */
export interface FigureRow {
  readonly kind: 'first-response' | 'resolution' | 'satisfaction';
  readonly agent: string | null;
  readonly team: string | null;
  readonly value: number;
}

export interface Figures {
  readonly firstResponse: { readonly count: number; readonly averageMinutes: number | null; readonly withinTarget: number };
  readonly resolution: { readonly count: number; readonly averageHours: number | null };
  readonly satisfaction: { readonly count: number; readonly average: number | null };
}

export interface AgentFigures {
  readonly range: { readonly from: string; readonly to: string };
  readonly targets: typeof SERVICE_TARGETS;
  readonly overall: Figures;
  readonly agents: readonly (Figures & { readonly agent: string; readonly team: string })[];
  readonly teams: readonly (Figures & { readonly team: string })[];
}

function average(values: readonly number[], places: number): number | null {
  if (values.length === 0) return null;
  const scale = 10 ** places;
  return Math.round((values.reduce((sum, v) => sum + v, 0) / values.length) * scale) / scale;
}

function figuresOf(rows: readonly FigureRow[]): Figures {
  const of = (kind: FigureRow['kind']) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  const responses = of('first-response');
  const resolutions = of('resolution');
  const scores = of('satisfaction');
  return {
    firstResponse: { count: responses.length, averageMinutes: average(responses, 1), withinTarget: responses.filter((m) => m <= SERVICE_TARGETS.firstResponseHours * 60).length },
    resolution: { count: resolutions.length, averageHours: average(resolutions, 1) },
    satisfaction: { count: scores.length, average: average(scores, 2) },
  };
}

/** Groups measured events per agent (and the team they acted in) and per team; events of no agent count only overall. */
export function aggregateFigures(rows: readonly FigureRow[]): Pick<AgentFigures, 'overall' | 'agents' | 'teams'> {
  const byAgent = new Map<string, FigureRow[]>();
  const byTeam = new Map<string, FigureRow[]>();
  for (const row of rows) {
    if (row.agent) {
      const key = JSON.stringify([row.agent, row.team ?? 'other']);
      byAgent.set(key, [...(byAgent.get(key) ?? []), row]);
    }
    if (row.team) byTeam.set(row.team, [...(byTeam.get(row.team) ?? []), row]);
  }
  return {
    overall: figuresOf(rows),
    agents: [...byAgent.entries()]
      .map(([key, list]) => {
        const [agent, team] = JSON.parse(key) as [string, string];
        return { agent, team, ...figuresOf(list) };
      })
      .sort((a, b) => a.team.localeCompare(b.team) || a.agent.localeCompare(b.agent)),
    teams: [...byTeam.entries()].map(([team, list]) => ({ team, ...figuresOf(list) })).sort((a, b) => a.team.localeCompare(b.team)),
  };
}

/**
 * Customer-service figures per agent and team over a range of days:
 * - first response: a claim's submission to the first task command a staff
 *   member sent on it (claim or complete, through the portal), and a mail to
 *   the claims mailbox to the agent's decision on it (queued mail only: what
 *   the intake matched by itself waited for nobody); counted in the range the
 *   claim was sent or the mail received;
 * - resolution: submission to the claim's first decided status (paid,
 *   nothing payable, rejected), for claims decided in the range, counted for
 *   whoever completed its last task (none: straight through, overall only);
 * - satisfaction: survey scores answered in the range, for the agent the
 *   survey named when it was sent.
 */
@Injectable()
export class AgentFiguresService {
  constructor(private readonly dataSource: DataSource) {}

  async report(query: AgentFiguresQuery): Promise<AgentFigures> {
    const range = dashboardRange(query);
    const teams = JSON.stringify(Object.entries(TASK_TEAMS));
    const rows = await this.dataSource.query<{ kind: FigureRow['kind']; agent: string | null; team: string | null; value: number }[]>(
      `WITH team_of AS (SELECT t->>0 AS element_id, t->>1 AS team FROM jsonb_array_elements($3::jsonb) t),
            done AS (SELECT u.claim_id, u.kind, u.actor_name, u.settled_at, COALESCE(tt.team, 'other') AS team
                       FROM user_task_command u LEFT JOIN team_of tt ON tt.element_id = u.audit_details->>'elementId'
                      WHERE u.state = 'done' AND u.claim_id IS NOT NULL AND u.kind IN ('assign', 'complete')),
            first_action AS (SELECT DISTINCT ON (claim_id) * FROM done ORDER BY claim_id, settled_at),
            last_completion AS (SELECT DISTINCT ON (claim_id) * FROM done WHERE kind = 'complete' ORDER BY claim_id, settled_at DESC),
            decided AS (SELECT DISTINCT ON (claim_id) claim_id, at FROM claim_event WHERE kind = 'status-changed' AND status = ANY($4) ORDER BY claim_id, at)
       SELECT 'first-response' AS kind, f.actor_name AS agent, f.team, extract(epoch FROM f.settled_at - c.submitted_at)::float / 60 AS value
         FROM claim c JOIN first_action f ON f.claim_id = c.id
        WHERE c.status <> 'draft' AND c.submitted_at >= $1 AND c.submitted_at < $2
       UNION ALL
       SELECT 'first-response', e.resolved_by, e.resolved_team, extract(epoch FROM e.resolved_at - e.received_at)::float / 60
         FROM intake_email e WHERE e.resolved_by IS NOT NULL AND e.received_at >= $1 AND e.received_at < $2
       UNION ALL
       SELECT 'resolution', l.actor_name, l.team, extract(epoch FROM d.at - c.submitted_at)::float / 3600
         FROM decided d JOIN claim c ON c.id = d.claim_id LEFT JOIN last_completion l ON l.claim_id = c.id
        WHERE d.at >= $1 AND d.at < $2
       UNION ALL
       SELECT 'satisfaction', s.agent, s.team, s.score::float FROM satisfaction_survey s WHERE s.answered_at >= $1 AND s.answered_at < $2`,
      [range.start, range.end, teams, RESOLVED_STATUSES],
    );
    const wanted = query.team ? rows.filter((r) => r.team === query.team) : rows;
    return { range: { from: range.from, to: range.to }, targets: SERVICE_TARGETS, ...aggregateFigures(wanted) };
  }
}
