import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { LOGGER } from '../tokens';

export type FollowUpStatus = 'open' | 'done' | 'escalated' | 'cancelled';

/** Who keeps the promise: one agent, or a team (a candidate group of the staff app). */
export type FollowUpAssignee = { readonly agent: string } | { readonly team: string };

export interface FollowUp {
  readonly id: string;
  readonly customerId: string;
  readonly interactionId: string;
  readonly assigneeAgent: string | null;
  readonly assigneeTeam: string | null;
  readonly dueAt: string;
  readonly status: FollowUpStatus;
  readonly outcome: string | null;
  readonly processInstanceKey: string | null;
  readonly escalatedAt: string | null;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly createdAt: string;
}

interface FollowUpRow {
  id: string;
  customer_id: string;
  interaction_id: string;
  assignee_agent: string | null;
  assignee_team: string | null;
  due_at: Date;
  status: FollowUpStatus;
  outcome: string | null;
  process_instance_key: string | null;
  escalated_at: Date | null;
  closed_at: Date | null;
  closed_by: string | null;
  created_at: Date;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function toFollowUp(row: FollowUpRow): FollowUp {
  return {
    id: row.id,
    customerId: row.customer_id,
    interactionId: row.interaction_id,
    assigneeAgent: row.assignee_agent,
    assigneeTeam: row.assignee_team,
    dueAt: iso(row.due_at)!,
    status: row.status,
    outcome: row.outcome,
    processInstanceKey: row.process_instance_key,
    escalatedAt: iso(row.escalated_at),
    closedAt: iso(row.closed_at),
    closedBy: row.closed_by,
    createdAt: iso(row.created_at)!,
  };
}

/**
 * Follow-ups in the database: the promise an agent made during a contact,
 * with its due date, driven by bpmn/customer-follow-up.bpmn (FollowUpStarter
 * starts it). Every change takes the follow-up's row lock and is audited in
 * the same transaction; each change answers as it stands when repeated, so a
 * retried job or a double click changes nothing twice.
 */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Records a follow-up of an interaction in the caller's transaction (one per interaction). */
  async schedule(manager: EntityManager, actor: Pick<Principal, 'subject' | 'username'>, input: { customerId: string; interactionId: string; assignee: FollowUpAssignee; dueAt: Date }): Promise<FollowUp> {
    const id = randomUUID();
    const agent = 'agent' in input.assignee ? input.assignee.agent : null;
    const team = 'team' in input.assignee ? input.assignee.team : null;
    const [row] = await manager.query<FollowUpRow[]>(
      `INSERT INTO follow_up (id, customer_id, interaction_id, assignee_agent, assignee_team, due_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (interaction_id) DO NOTHING RETURNING *`,
      [id, input.customerId, input.interactionId, agent, team, input.dueAt],
    );
    if (!row) return (await this.byInteraction(manager, input.interactionId))!;
    await this.audit.recordFirst(manager, actor, { action: 'follow-up.scheduled', entityType: 'follow-up', entityId: id, details: { customerId: input.customerId, interactionId: input.interactionId, assigneeAgent: agent, assigneeTeam: team, dueAt: input.dueAt.toISOString() } });
    return toFollowUp(row);
  }

  async byInteraction(manager: EntityManager, interactionId: string): Promise<FollowUp | null> {
    const [row] = await manager.query<FollowUpRow[]>('SELECT * FROM follow_up WHERE interaction_id = $1', [interactionId]);
    return row ? toFollowUp(row) : null;
  }

  async find(id: string): Promise<FollowUp | null> {
    const [row] = await this.dataSource.query<FollowUpRow[]>('SELECT * FROM follow_up WHERE id = $1', [id]);
    return row ? toFollowUp(row) : null;
  }

  /** The customer's follow-ups: the open and escalated ones first, by due date, then the closed ones, newest first. */
  async ofCustomer(customerId: string): Promise<FollowUp[]> {
    const rows = await this.dataSource.query<FollowUpRow[]>(
      `SELECT * FROM follow_up WHERE customer_id = $1 ORDER BY (status IN ('open', 'escalated')) DESC, CASE WHEN status IN ('open', 'escalated') THEN due_at END ASC, closed_at DESC NULLS LAST, id LIMIT 200`,
      [customerId],
    );
    return rows.map(toFollowUp);
  }

  /** Follow-ups whose process has not shown up yet (the engine was down, or its answer lost). */
  async waitingForProcess(olderThanMs: number): Promise<FollowUp[]> {
    const rows = await this.dataSource.query<FollowUpRow[]>(
      `SELECT * FROM follow_up WHERE process_instance_key IS NULL AND status IN ('open', 'escalated') AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 100`,
      [olderThanMs / 1000],
    );
    return rows.map(toFollowUp);
  }

  /**
   * The process's first step records its instance; only the first key
   * recorded counts. Answers the follow-up's status as it stands under the
   * row lock, so a follow-up closed before its process got here opens no
   * task (`open` false), nor does a second instance of the same follow-up.
   */
  async recordInstance(followUpId: string, processInstanceKey: string): Promise<{ recorded: boolean; processInstanceKey: string; status: FollowUpStatus; open: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const held = await this.hold(manager, followUpId);
      const recorded = held.process_instance_key === null;
      if (recorded) await manager.query('UPDATE follow_up SET process_instance_key = $2 WHERE id = $1', [followUpId, processInstanceKey]);
      const key = recorded ? processInstanceKey : held.process_instance_key!;
      const open = key === processInstanceKey && (held.status === 'open' || held.status === 'escalated');
      return { recorded, processInstanceKey: key, status: held.status, open };
    });
  }

  /**
   * Closed follow-ups whose process may still hold a task: closed recently
   * (a week covers an engine outage) with an instance recorded. The sweep
   * completes what is left open of them.
   */
  async recentlyClosed(): Promise<FollowUp[]> {
    const rows = await this.dataSource.query<FollowUpRow[]>(
      `SELECT * FROM follow_up WHERE status IN ('done', 'cancelled') AND process_instance_key IS NOT NULL AND closed_at > now() - interval '7 days' ORDER BY closed_at DESC LIMIT 100`,
    );
    return rows.map(toFollowUp);
  }

  /**
   * The due date passed with the follow-up still open: it is marked
   * escalated (once). One already closed is not (`escalated: false`): the
   * process then ends instead of handing it to the team leads.
   */
  async escalate(worker: Pick<Principal, 'subject' | 'username'>, followUpId: string): Promise<{ escalated: boolean; followUp: FollowUp }> {
    const result = await this.dataSource.transaction(async (manager) => {
      const held = await this.hold(manager, followUpId);
      if (held.status === 'done' || held.status === 'cancelled') return { escalated: false, followUp: toFollowUp(held) };
      if (held.status === 'escalated') return { escalated: true, followUp: toFollowUp(held) };
      const [row] = await manager.query<FollowUpRow[]>(`WITH u AS (UPDATE follow_up SET status = 'escalated', escalated_at = now() WHERE id = $1 RETURNING *) SELECT * FROM u`, [followUpId]);
      await this.audit.record(manager, worker, { action: 'follow-up.escalated', entityType: 'follow-up', entityId: followUpId, details: { customerId: held.customer_id, dueAt: iso(held.due_at) } });
      return { escalated: true, followUp: toFollowUp(row!) };
    });
    this.logger.info({ followUpId, customerId: result.followUp.customerId, escalated: result.escalated, status: result.followUp.status }, 'follow-up due date passed');
    return result;
  }

  /**
   * Closes an open or escalated follow-up with its outcome (it shows on the
   * customer's timeline). Closing one already done answers it as it is
   * (`replayed`); a cancelled one cannot be closed.
   */
  async close(principal: Pick<Principal, 'subject' | 'username'>, followUpId: string, outcome: string): Promise<{ followUp: FollowUp; replayed: boolean }> {
    const result = await this.dataSource.transaction(async (manager) => {
      const held = await this.hold(manager, followUpId);
      if (held.status === 'done') return { followUp: toFollowUp(held), replayed: true };
      if (held.status === 'cancelled') throw Problem.conflict(`Follow-up ${followUpId} was cancelled; it cannot be closed.`);
      const [row] = await manager.query<FollowUpRow[]>(`WITH u AS (UPDATE follow_up SET status = 'done', outcome = $2, closed_at = now(), closed_by = $3 WHERE id = $1 RETURNING *) SELECT * FROM u`, [followUpId, outcome, principal.username]);
      await this.audit.record(manager, principal, { action: 'follow-up.closed', entityType: 'follow-up', entityId: followUpId, details: { customerId: held.customer_id, wasEscalated: held.status === 'escalated', onTime: new Date(held.due_at).getTime() >= Date.now() } });
      return { followUp: toFollowUp(row!), replayed: false };
    });
    this.logger.info({ followUpId, customerId: result.followUp.customerId, closedBy: result.followUp.closedBy, replayed: result.replayed }, 'follow-up closed');
    return result;
  }

  private async hold(manager: EntityManager, followUpId: string): Promise<FollowUpRow> {
    const [row] = await manager.query<FollowUpRow[]>('SELECT * FROM follow_up WHERE id = $1 FOR UPDATE', [followUpId]);
    if (!row) throw Problem.notFound('follow-up', followUpId);
    return row;
  }
}
