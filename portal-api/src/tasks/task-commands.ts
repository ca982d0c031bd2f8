import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { ClaimEventsRepository } from '../claims/claim-events.repository';
import { RetrySweep } from '../claims/retry-sweep';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { LOGGER } from '../tokens';

export type TaskCommandKind = 'assign' | 'unassign' | 'complete';

export interface TaskCommand {
  readonly userTaskKey: string;
  readonly kind: TaskCommandKind;
  readonly variables?: Record<string, unknown>;
  /** The audit entry written once the engine has applied the command. */
  readonly auditAction: string;
  readonly auditDetails: Record<string, unknown>;
  readonly claimId?: string;
  /** A line for the staff-only history, written with the audit entry. */
  readonly staffNote?: string;
}

interface CommandRow {
  id: string;
  user_task_key: string;
  kind: TaskCommandKind;
  variables: Record<string, unknown>;
  actor_subject: string;
  actor_name: string;
}

const RETRY_EVERY_MS = 15_000;

/**
 * Staff actions on user tasks, sent to the engine outside any database
 * transaction: the command is committed (`pending`), sent, then settled in a
 * transaction of its own (audit entry, staff note). An engine refusal marks
 * it `refused` and records nothing; an engine that does not answer leaves it
 * pending, and the sweep looks at the task before sending again (completed
 * already, or assigned as asked, settles it), so a lost answer neither loses
 * the action nor applies it twice.
 */
@Injectable()
export class TaskCommands implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly retries: RetrySweep;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
    private readonly audit: AuditLog,
    private readonly events: ClaimEventsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.retries = new RetrySweep('task command', RETRY_EVERY_MS, () => this.retryWaiting(), logger);
  }

  onApplicationBootstrap(): void {
    this.retries.start();
  }

  onApplicationShutdown(): void {
    this.retries.stop();
  }

  /** Records the command, sends it, settles it; throws the engine's refusal as a problem. */
  async run(principal: Principal, command: TaskCommand): Promise<void> {
    let rows: CommandRow[];
    try {
      rows = await this.dataSource.query<CommandRow[]>(
        `INSERT INTO user_task_command (user_task_key, kind, variables, actor_subject, actor_name, audit_action, audit_details, claim_id, staff_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, user_task_key, kind, variables, actor_subject, actor_name`,
        [command.userTaskKey, command.kind, JSON.stringify(command.variables ?? {}), principal.subject, principal.username, command.auditAction, JSON.stringify(command.auditDetails), command.claimId ?? null, command.staffNote ?? null],
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw Problem.conflict(`An earlier action on task ${command.userTaskKey} is still being applied; try again shortly.`);
      throw error;
    }
    const row = rows[0]!;
    try {
      await this.send(row);
    } catch (error) {
      const problem = engineProblem(error, `Task ${command.userTaskKey}`);
      if (problem.getStatus() !== 503) {
        await this.refuse(row.id);
        throw problem;
      }
      throw new Problem(503, 'Service unavailable', `Task ${command.userTaskKey}: the workflow engine did not answer. Your action is kept and is applied as soon as the engine answers again.`);
    }
    await this.settle(row.id);
  }

  /** Commands still pending after a sweep period (the engine down, or its answer lost), leased so one instance retries each. */
  sweep(): Promise<void> {
    return this.retries.run();
  }

  private async retryWaiting(): Promise<void> {
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL as [rows, affected].
    const [waiting] = await this.dataSource.query<[CommandRow[], number]>(
      `UPDATE user_task_command SET attempted_at = now() WHERE id IN (
         SELECT id FROM user_task_command WHERE state = 'pending' AND attempted_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT 50 FOR UPDATE SKIP LOCKED)
       RETURNING id, user_task_key, kind, variables, actor_subject, actor_name`,
      [RETRY_EVERY_MS / 1000],
    );
    for (const row of waiting) await this.retry(row);
  }

  /** Looks at the task first: the command may have been applied already, with only its answer lost. */
  private async retry(row: CommandRow): Promise<void> {
    try {
      const task = await this.engine.getUserTask(row.user_task_key);
      const assignee = task.assignee ?? null;
      const open = task.state === 'CREATED';
      const applied = row.kind === 'complete' ? task.state === 'COMPLETED' : row.kind === 'assign' ? open && assignee === row.actor_name : open && assignee === null;
      if (applied) return await this.settle(row.id);
      const stillFits = open && (row.kind === 'assign' ? assignee === null : assignee === row.actor_name);
      if (!stillFits) return await this.refuse(row.id);
      await this.send(row);
      await this.settle(row.id);
    } catch (error) {
      if (engineProblem(error, 'task').getStatus() !== 503) await this.refuse(row.id);
      else this.logger.warn({ err: error, userTaskKey: row.user_task_key, kind: row.kind }, 'task command not applied yet; it will be retried');
    }
  }

  private send(row: CommandRow): Promise<unknown> {
    const userTaskKey = row.user_task_key;
    if (row.kind === 'assign') return this.engine.assignUserTask({ userTaskKey, assignee: row.actor_name, allowOverride: false });
    if (row.kind === 'unassign') return this.engine.unassignUserTask({ userTaskKey });
    return this.engine.completeUserTask({ userTaskKey, variables: row.variables });
  }

  /** The engine has applied it: mark it done and write its audit entry and staff note, once. */
  private async settle(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [[settled]] = await manager.query<[{ user_task_key: string; actor_subject: string; actor_name: string; audit_action: string; audit_details: Record<string, unknown>; claim_id: string | null; staff_note: string | null }[], number]>(
        `UPDATE user_task_command SET state = 'done', settled_at = now() WHERE id = $1 AND state = 'pending'
         RETURNING user_task_key, actor_subject, actor_name, audit_action, audit_details, claim_id, staff_note`,
        [id],
      );
      if (!settled) return; // settled or refused by another pass already
      const actor = { subject: settled.actor_subject, username: settled.actor_name };
      await this.audit.record(manager, actor, { action: settled.audit_action, entityType: 'user-task', entityId: settled.user_task_key, details: settled.audit_details });
      if (settled.claim_id && settled.staff_note) await this.events.append(manager, settled.claim_id, { kind: 'task-completed', message: settled.staff_note, visibleToClient: false, actor: settled.actor_name });
    });
  }

  private async refuse(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE user_task_command SET state = 'refused', settled_at = now() WHERE id = $1 AND state = 'pending'`, [id]);
  }
}
