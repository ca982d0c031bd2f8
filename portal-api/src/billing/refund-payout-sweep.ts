import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { RetrySweep } from '../claims/retry-sweep';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { payPendingRefunds, type RefundPaymentProvider, type RefundPayoutOutcome } from './refund-payouts';

/** The provider premium refunds are sent through (the app module gives the one claim payouts use). */
export const REFUND_PAYMENT_PROVIDER = Symbol('REFUND_PAYMENT_PROVIDER');

const SWEEP_EVERY_MS = 10 * 60_000;

/** Sends the pending premium refunds every ten minutes (and at start), as `payPendingRefunds` does. */
@Injectable()
export class RefundPayoutSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: RetrySweep;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REFUND_PAYMENT_PROVIDER) private readonly provider: RefundPaymentProvider,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new RetrySweep('premium refund payouts', SWEEP_EVERY_MS, async () => void (await this.payPending()), logger);
  }

  onApplicationBootstrap(): void {
    if (!this.settings.refundPayouts.enabled) return;
    this.sweeper.start();
    void this.sweeper.run();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One pass now (tests, and the sweep). */
  payPending(): Promise<RefundPayoutOutcome[]> {
    return payPendingRefunds(this.dataSource, this.provider, this.logger);
  }
}
