import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { RetrySweep } from '../claims/retry-sweep';
import { LOGGER } from '../tokens';

const SWEEP_EVERY_MS = 60_000;

/**
 * Keeps each policy's own `status` at the state its history gives for today
 * (UTC): a change recorded ahead (a cancellation from next month, a lapse
 * that ends) takes effect in lists that read the column on its day. The
 * history stays what claims are judged by (policy-standing.ts); this is the
 * column that follows it.
 */
@Injectable()
export class PolicyStatusSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: RetrySweep;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new RetrySweep('policy status', SWEEP_EVERY_MS, () => this.follow(), logger);
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
    void this.sweeper.run();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** One pass now. */
  sweep(): Promise<void> {
    return this.sweeper.run();
  }

  private async follow(): Promise<void> {
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL as [rows, affected].
    const [changed] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE policy p SET status = sp.status
         FROM policy_status_period sp
        WHERE sp.policy_id = p.id AND p.status <> sp.status
          AND sp.effective_from <= (now() AT TIME ZONE 'UTC')::date
          AND (sp.effective_to IS NULL OR sp.effective_to >= (now() AT TIME ZONE 'UTC')::date)
      RETURNING p.id`,
    );
    if (changed.length > 0) this.logger.info({ policies: changed.length }, 'policy states moved to today\'s');
  }
}
