import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { LOGGER } from '../tokens';
import { BillingService } from './billing.service';

/** Premium billing (billing/README.md): its own module, given the parts it shares with the portal; the portal's other modules use its service. */
@Module({})
export class BillingModule {
  static with(parts: { dataSource: DataSource; logger: Logger }): DynamicModule {
    return {
      module: BillingModule,
      providers: [
        { provide: DataSource, useValue: parts.dataSource },
        { provide: LOGGER, useValue: parts.logger },
        BillingService,
      ],
      exports: [BillingService],
    };
  }
}
