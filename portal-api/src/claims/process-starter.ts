import { Injectable, type OnApplicationShutdown, type OnApplicationBootstrap, Inject } from '@nestjs/common';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { type Logger } from 'pino';
import { LOGGER } from '../tokens';
import { EngineClient } from '../engine/engine-client';
import { Claim } from './claim.entity';

export const CLAIM_PROCESS_ID = 'claim-reimbursement';
const RETRY_EVERY_MS = 15_000;

/**
 * Starts the `claim-reimbursement` process for a stored claim. A claim is
 * committed first and its process started after; if the engine cannot be
 * reached, the claim stays "received" and a sweep starts it later. The claim's
 * row is locked while its process starts, so the request and the sweep (or two
 * API instances) never start two processes for it.
 */
@Injectable()
export class ProcessStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), RETRY_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Starts the claim's process if it has none yet; true when it has one afterwards. */
  async start(claimId: string): Promise<boolean> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const claim = await manager
          .getRepository(Claim)
          .createQueryBuilder('c')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('c.id = :claimId AND c.process_instance_key IS NULL', { claimId })
          .getOne();
        if (!claim) return true;
        const created = await this.engine.createProcessInstance({
          processDefinitionId: CLAIM_PROCESS_ID,
          variables: {
            claimId: claim.id,
            claimReference: claim.reference,
            customerId: claim.customerId,
            policyId: claim.policyId,
            totalClaimed: claim.totalClaimed,
            currency: claim.currency,
          },
        });
        await manager.getRepository(Claim).update({ id: claim.id }, { processInstanceKey: String(created.processInstanceKey) });
        this.logger.info({ claimId, processInstanceKey: created.processInstanceKey }, 'claim process started');
        return true;
      });
    } catch (error) {
      this.logger.warn({ claimId, err: error }, 'could not start the claim process; it will be retried');
      return false;
    }
  }

  /** Claims whose process did not start (engine down at the time). */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const waiting = await this.dataSource.getRepository(Claim).find({
        where: { processInstanceKey: IsNull(), submittedAt: LessThan(new Date(Date.now() - RETRY_EVERY_MS)) },
        select: { id: true },
        take: 100,
      });
      for (const claim of waiting) await this.start(claim.id);
    } catch (error) {
      this.logger.warn({ err: error }, 'process start sweep failed');
    } finally {
      this.sweeping = false;
    }
  }
}
