import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { RetrySweep } from '../claims/retry-sweep';
import { EngineClient } from '../engine/engine-client';
import { LOGGER } from '../tokens';
import { type FollowUp, FollowUpsService } from './follow-ups.service';

export const FOLLOW_UP_PROCESS_ID = 'customer-follow-up';
/** The message the follow-up process's start event takes; correlation key and message id are the follow-up id. */
export const FOLLOW_UP_SCHEDULED_MESSAGE = 'customer-follow-up-scheduled';
/** The team every agent belongs to (a staff app candidate group), and the team leads'. */
export const CALL_CENTER_TEAM = 'call-center';
export const TEAM_LEADS = 'manager';
const RETRY_EVERY_MS = 15_000;
/** Long enough to cover the retries of a lost answer; the sweep's own publications have none (see ProcessStarter). */
const SCHEDULED_TTL_MS = 3_600_000;

/**
 * Starts bpmn/customer-follow-up.bpmn once per follow-up, the way claims
 * start theirs (ProcessStarter): the follow-up is committed first, then the
 * message is published with the follow-up id as correlation key and message
 * id, so a retry, a second API instance or the sweep starts no second
 * instance. The process's first step records its instance on the follow-up.
 * Variables: ids, the due date and the assignment only (the summary and notes
 * stay in the database).
 */
@Injectable()
export class FollowUpStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly retries: RetrySweep;
  private deployed = false;

  constructor(
    private readonly followUps: FollowUpsService,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.retries = new RetrySweep('follow-up start', RETRY_EVERY_MS, () => this.publishWaiting(), logger);
  }

  onApplicationBootstrap(): void {
    this.retries.start();
  }

  onApplicationShutdown(): void {
    this.retries.stop();
  }

  /** Publishes the follow-up's start; true when the engine has it (now or before). */
  async start(followUp: FollowUp, options: { retry?: boolean } = {}): Promise<boolean> {
    try {
      if (!(await this.processDeployed())) {
        this.logger.warn({ followUpId: followUp.id }, 'no follow-up process is deployed yet; the follow-up will be published once one is');
        return false;
      }
      await this.engine.call('POST', '/v2/messages/publication', {
        name: FOLLOW_UP_SCHEDULED_MESSAGE,
        correlationKey: followUp.id,
        messageId: followUp.id,
        timeToLive: options.retry ? 0 : SCHEDULED_TTL_MS,
        variables: followUpVariables(followUp),
      });
      this.logger.info({ followUpId: followUp.id, customerId: followUp.customerId, retry: options.retry ?? false }, 'follow-up published');
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 409) return true; // published before: the engine still holds its message
      this.logger.warn({ followUpId: followUp.id, err: error }, 'could not publish the follow-up; it will be retried');
      return false;
    }
  }

  /**
   * After a follow-up is closed: completes the open task of its process (the
   * agent's, or the team leads' once escalated), which ends the process. What
   * this cannot complete now (the engine is down, or the task is still being
   * created or assigned) the sweep completes on its next pass.
   */
  async completeTasks(followUp: FollowUp): Promise<number> {
    if (!followUp.processInstanceKey) return 0; // the process, when it records itself, finds it closed and ends
    try {
      const found = await this.engine.call<{ items: { userTaskKey: string; state: string }[] }>('POST', '/v2/user-tasks/search', { filter: { processInstanceKey: followUp.processInstanceKey }, page: { from: 0, limit: 20 } });
      // Only a CREATED task (assigned or not) takes a completion; CREATING, ASSIGNING and UPDATING are passing states the next sweep finds settled.
      const open = found.items.filter((task) => task.state === 'CREATED');
      for (const task of open) await this.engine.call('POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { closed: true } });
      return open.length;
    } catch (error) {
      this.logger.warn({ followUpId: followUp.id, err: error }, 'could not complete the follow-up task; the sweep retries');
      return 0;
    }
  }

  /** One pass now (tests call it rather than wait). */
  sweep(): Promise<void> {
    return this.retries.run();
  }

  private async publishWaiting(): Promise<void> {
    for (const followUp of await this.followUps.waitingForProcess(RETRY_EVERY_MS)) await this.start(followUp, { retry: true });
    await this.completeClosed();
  }

  /** Completes the tasks closed follow-ups left open (a completion that failed, or a task created after the closing). */
  private async completeClosed(): Promise<void> {
    const closed = await this.followUps.recentlyClosed();
    if (closed.length === 0) return;
    const byInstance = new Map(closed.map((followUp) => [followUp.processInstanceKey!, followUp]));
    const open = await this.engine.call<{ items: { processInstanceKey: string }[] }>('POST', '/v2/user-tasks/search', { filter: { state: 'CREATED', processInstanceKey: { $in: [...byInstance.keys()] } }, page: { from: 0, limit: 100 } });
    for (const key of new Set(open.items.map((task) => task.processInstanceKey))) {
      const followUp = byInstance.get(key)!;
      const completed = await this.completeTasks(followUp);
      this.logger.info({ followUpId: followUp.id, completed }, 'completed the task of a closed follow-up');
    }
  }

  private async processDeployed(): Promise<boolean> {
    if (!this.deployed) {
      const found = await this.engine.call<{ items: unknown[] }>('POST', '/v2/process-definitions/search', { filter: { processDefinitionId: FOLLOW_UP_PROCESS_ID }, page: { from: 0, limit: 1 } });
      this.deployed = found.items.length > 0;
    }
    return this.deployed;
  }
}

/** The process's variables: the task goes to the agent named (the team sees it too) or to the team. */
export function followUpVariables(followUp: Pick<FollowUp, 'id' | 'customerId' | 'dueAt' | 'assigneeAgent' | 'assigneeTeam'>) {
  return {
    followUpId: followUp.id,
    customerId: followUp.customerId,
    dueAt: followUp.dueAt,
    assignee: followUp.assigneeAgent,
    candidateGroups: [followUp.assigneeTeam ?? CALL_CENTER_TEAM],
  };
}
