import { withClaimLogKeys } from '@claims/deploy';
import { Injectable, type OnApplicationShutdown, type OnApplicationBootstrap, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Logger } from 'pino';
import { LOGGER } from '../tokens';
import { EngineClient } from '../engine/engine-client';
import { Claim } from './claim.entity';
import { RetrySweep } from './retry-sweep';

export const CLAIM_PROCESS_ID = 'claim-reimbursement';
/** The message the claim process's start event takes; correlation key and message id are the claim id. */
export const CLAIM_SUBMITTED_MESSAGE = 'claim-submitted';
const RETRY_EVERY_MS = 15_000;
/**
 * How long the engine keeps the submission's message, refusing another with
 * the same id: long enough to cover every retry of a submission whose answer
 * was lost, and short enough that a message that started nothing (say a
 * version without the message start deployed meanwhile) does not hold its
 * claim up for long.
 */
const SUBMISSION_TTL_MS = 3_600_000;

/**
 * Starts the `claim-reimbursement` process for a submitted claim, once.
 *
 * The submission is committed first (status `received`), then the message
 * `claim-submitted` is published, correlation key and message id the claim
 * id, and the diagram's message start event takes it. The engine makes that
 * one start whatever happens to the answer (Zeebe's rules, which our engine
 * follows): while an instance started for a correlation key runs, a message
 * with that key starts no other; a message with an id already buffered is
 * refused. So a lost answer, a client's retry, a second API instance or the
 * sweep may publish again without starting a second instance. No database
 * transaction is held across the engine call.
 *
 * The publication does not tell which instance it started: the first step of
 * the process records that (`POST /internal/claims/{id}/process-instance`).
 * A claim still `received` with no instance after a while (the engine was
 * down, or the answer lost) is published again by the sweep, with no time to
 * live: a message refused because the claim's instance still runs is then
 * dropped, never kept to start another instance once that one ends. Only the
 * first publication (the submission's own, right after its commit, well
 * within the sweep's 15 s) has a time to live, so no publication can start
 * the instance ahead of it and leave it buffered.
 */
@Injectable()
export class ProcessStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly retries: RetrySweep;
  /** Once seen, a process definition stays deployed. */
  private deployed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.retries = new RetrySweep('process start', RETRY_EVERY_MS, () => this.publishWaiting(), logger);
  }

  onApplicationBootstrap(): void {
    this.retries.start();
  }

  onApplicationShutdown(): void {
    this.retries.stop();
  }

  /**
   * Publishes the claim's submission if it is `received` with no process
   * recorded yet; true when the engine has it (now or before). `claim`: the
   * claim as its caller read it after committing the submission, not read again.
   */
  start(claimId: string, options: { retry?: boolean; claim?: Claim } = {}): Promise<boolean> {
    // The retry sweep runs outside any request: its lines name the claim all the same.
    return withClaimLogKeys({ claimId }, () => this.publish(claimId, options));
  }

  private async publish(claimId: string, options: { retry?: boolean; claim?: Claim }): Promise<boolean> {
    try {
      const claim = options.claim ?? (await this.dataSource.getRepository(Claim).findOne({ where: { id: claimId } }));
      if (!claim || claim.status !== 'received' || claim.processInstanceKey !== null) return true;
      // Zeebe starts nothing for a message published before the process is deployed, and would then refuse its id: wait for the deployment.
      if (!(await this.claimProcessDeployed())) {
        this.logger.warn({ claimId }, 'no claim process is deployed yet; the submission will be published once one is');
        return false;
      }
      await this.engine.call('POST', '/v2/messages/publication', {
        name: CLAIM_SUBMITTED_MESSAGE,
        correlationKey: claim.id,
        messageId: claim.id,
        timeToLive: options.retry ? 0 : SUBMISSION_TTL_MS,
        variables: claimStartVariables(claim),
      });
      this.logger.info({ claimId, retry: options.retry ?? false }, 'claim submission published');
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 409) {
        // The engine still holds this claim's submission message: it was published before.
        return true;
      }
      this.logger.warn({ claimId, err: error }, 'could not publish the claim submission; it will be retried');
      return false;
    }
  }

  private async claimProcessDeployed(): Promise<boolean> {
    if (!this.deployed) {
      const found = await this.engine.call<{ items: unknown[] }>('POST', '/v2/process-definitions/search', { filter: { processDefinitionId: CLAIM_PROCESS_ID }, page: { from: 0, limit: 1 } });
      this.deployed = found.items.length > 0;
    }
    return this.deployed;
  }

  /** Submitted claims whose process has not shown up (engine down at the time, or its answer lost). */
  sweep(): Promise<void> {
    return this.retries.run();
  }

  private async publishWaiting(): Promise<void> {
    const waiting = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM claim WHERE status = 'received' AND process_instance_key IS NULL AND submitted_at < now() - make_interval(secs => $1) ORDER BY submitted_at LIMIT 100`,
      [RETRY_EVERY_MS / 1000],
    );
    // start() reads each claim again just before publishing, so one whose process started meanwhile is left alone.
    for (const claim of waiting) await this.start(claim.id, { retry: true });
  }
}

/** What the process starts with: ids, amounts and codes only (no medical or bank data in variables). */
export function claimStartVariables(claim: Pick<Claim, 'id' | 'reference' | 'customerId' | 'policyId' | 'totalClaimed' | 'currency'>) {
  return {
    claimId: claim.id,
    claimReference: claim.reference,
    customerId: claim.customerId,
    policyId: claim.policyId,
    totalClaimed: claim.totalClaimed,
    currency: claim.currency,
  };
}
