import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { RetrySweep } from '../../claims/retry-sweep';
import { EngineClient } from '../../engine/engine-client';
import { todayUtc } from '../../products/quote-dates';
import { LOGGER } from '../../tokens';
import { COLLECTION_PROCESS_ID, COLLECTION_START_MESSAGE, CollectionsService } from './collections.service';

const SWEEP_EVERY_MS = 60_000;

/**
 * Starts bpmn/premium-collection.bpmn for every open invoice on its due date:
 * at boot, then each minute. It publishes `premium-collection-start` with the
 * invoice id as correlation key and no time to live, so while the invoice's
 * instance runs the engine starts no other and the message is dropped; the
 * instance's first step records itself on the case, and an invoice with a
 * recorded instance is not published again.
 */
@Injectable()
export class CollectionStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: RetrySweep;
  private deployed = false;

  constructor(
    private readonly collections: CollectionsService,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new RetrySweep('collection start', SWEEP_EVERY_MS, () => this.startDue(), logger);
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
    void this.sweeper.run();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One pass now (tests call it rather than wait a minute). */
  sweep(): Promise<void> {
    return this.sweeper.run();
  }

  private async startDue(): Promise<void> {
    if (!(await this.processDeployed())) return;
    const due = await this.collections.dueWithoutCase(todayUtc());
    for (const invoice of due) {
      await this.engine.call('POST', '/v2/messages/publication', { name: COLLECTION_START_MESSAGE, correlationKey: invoice.invoiceId, timeToLive: 0, variables: { invoiceId: invoice.invoiceId, policyId: invoice.policyId } });
    }
    if (due.length > 0) this.logger.info({ invoices: due.length }, 'premium collections published');
  }

  private async processDeployed(): Promise<boolean> {
    if (!this.deployed) {
      const found = await this.engine.call<{ items: unknown[] }>('POST', '/v2/process-definitions/search', { filter: { processDefinitionId: COLLECTION_PROCESS_ID }, page: { from: 0, limit: 1 } });
      this.deployed = found.items.length > 0;
    }
    return this.deployed;
  }
}
