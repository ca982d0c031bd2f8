import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { RetrySweep } from '../claims/retry-sweep';
import { todayUtc } from '../products/quote-dates';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { type BillingRunCounts, runBilling } from './billing-run';

const LOOK_EVERY_MS = 10 * 60_000;

/**
 * Runs the billing run once a day, at the configured hour (UTC) or at the
 * first look after it (a portal started at noon runs that day's at once).
 * Which day ran is kept in memory only: a restart runs the day again, which
 * issues nothing twice (the run is idempotent by schedule and period).
 */
@Injectable()
export class BillingRunScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: RetrySweep;
  private lastDay: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new RetrySweep('billing run', LOOK_EVERY_MS, () => this.runIfDue(), logger);
  }

  onApplicationBootstrap(): void {
    if (!this.settings.billingRun.enabled) return;
    this.sweeper.start();
    void this.sweeper.run();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** The run for `billingDay` now, whatever the hour (the staff trigger and tests). */
  run(billingDay = todayUtc()): Promise<BillingRunCounts> {
    return runBilling(this.dataSource, this.logger, billingDay, this.settings.billingRun.leadDays);
  }

  private async runIfDue(now = new Date()): Promise<void> {
    const today = todayUtc(now);
    if (this.lastDay === today || now.getUTCHours() < this.settings.billingRun.hourUtc) return;
    await this.run(today);
    this.lastDay = today;
  }
}
