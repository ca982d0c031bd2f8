import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { EngineClient } from '../../engine/engine-client';
import { MessageStartSweep } from '../../engine/message-start-sweep';
import { todayUtc } from '../../products/quote-dates';
import { LOGGER } from '../../tokens';
import { COLLECTION_PROCESS_ID, COLLECTION_START_MESSAGE, CollectionsService } from './collections.service';

/**
 * Starts bpmn/premium-collection.bpmn for every open invoice on its due date:
 * at boot, then each minute. It publishes `premium-collection-start` with the
 * invoice id as correlation key and no time to live, so while the invoice's
 * instance runs the engine starts no other and the message is dropped; the
 * instance's first step records itself on the case, and an invoice with a
 * recorded instance is not published again (a returned debit clears it, so
 * the case starts again).
 */
@Injectable()
export class CollectionStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: MessageStartSweep;

  constructor(
    private readonly collections: CollectionsService,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new MessageStartSweep('collection start', engine, COLLECTION_PROCESS_ID, () => this.startDue(), logger);
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

  private async startDue(): Promise<void> {
    const due = await this.collections.dueWithoutCase(todayUtc());
    for (const invoice of due) {
      await this.engine.call('POST', '/v2/messages/publication', { name: COLLECTION_START_MESSAGE, correlationKey: invoice.invoiceId, timeToLive: 0, variables: { invoiceId: invoice.invoiceId, policyId: invoice.policyId } });
    }
    if (due.length > 0) this.logger.info({ invoices: due.length }, 'premium collections published');
  }
}
