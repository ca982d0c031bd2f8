import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { EngineClient } from '../engine/engine-client';
import { MessageStartSweep } from '../engine/message-start-sweep';
import { LOGGER } from '../tokens';
import { RENEWAL_PROCESS_ID, RENEWAL_START_MESSAGE } from './renewals.service';

/**
 * Starts bpmn/policy-renewal.bpmn once for every policy that is not over:
 * at boot for the policies already there, then each minute for the ones
 * issued since (by the application process or the demo data). It publishes
 * `policy-renewal-start` with the policy id as correlation key and no time to
 * live, so while the policy's instance runs the engine starts no other and
 * the message is dropped; the instance's first step records itself on the
 * policy, and a policy with a recorded instance is not published again.
 */
@Injectable()
export class RenewalStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: MessageStartSweep;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new MessageStartSweep('renewal start', engine, RENEWAL_PROCESS_ID, () => this.startWaiting(), logger);
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One pass now (tests call it rather than wait a minute). */
  sweep(): Promise<void> {
    return this.sweeper.run();
  }

  private async startWaiting(): Promise<void> {
    const waiting = await this.dataSource.query<{ id: string; customer_id: string }[]>(
      `SELECT id, customer_id FROM policy WHERE renewal_process_key IS NULL AND status NOT IN ('cancelled', 'expired') ORDER BY starts_on LIMIT 500`,
    );
    for (const policy of waiting) {
      await this.engine.call('POST', '/v2/messages/publication', { name: RENEWAL_START_MESSAGE, correlationKey: policy.id, timeToLive: 0, variables: { policyId: policy.id, customerId: policy.customer_id } });
    }
    if (waiting.length > 0) this.logger.info({ policies: waiting.length }, 'policy renewals published');
  }
}
