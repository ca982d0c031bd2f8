import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { BillingRunScheduler } from './billing-run-scheduler';
import { BillingRunsController, MyInvoicesController } from './billing.controller';
import { BillingService } from './billing.service';
import { MyInvoices } from './my-invoices';

/** Premium billing (billing/README.md): its own module, given the parts it shares with the portal; the portal's other modules use its service. */
@Module({})
export class BillingModule {
  static with(parts: { dataSource: DataSource; logger: Logger; settings: PortalSettings }): DynamicModule {
    return {
      module: BillingModule,
      controllers: [MyInvoicesController, BillingRunsController],
      providers: [
        { provide: PORTAL_SETTINGS, useValue: parts.settings },
        { provide: DataSource, useValue: parts.dataSource },
        { provide: LOGGER, useValue: parts.logger },
        AuditLog,
        BillingService,
        BillingRunScheduler,
        MyInvoices,
      ],
      exports: [BillingService],
    };
  }
}
