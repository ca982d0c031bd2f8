import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { IncidentWatch } from '../claims/incident-watch';
import { EngineClient } from '../engine/engine-client';
import { LOGGER } from '../tokens';
import { AgentFiguresService } from './agent-figures';
import { ClaimsDashboardService } from './claims-dashboard';
import { DashboardsController } from './dashboards.controller';
import { PaymentDateEstimates } from './payment-date-estimate';

/** Managers' reports, and the payment date estimate the client's claim page shows (exported for ClaimsService). */
@Module({})
export class DashboardsModule {
  static with(parts: { readonly dataSource: DataSource; readonly engine: EngineClient; readonly logger: Logger }): DynamicModule {
    return {
      module: DashboardsModule,
      controllers: [DashboardsController],
      providers: [
        { provide: DataSource, useValue: parts.dataSource },
        { provide: EngineClient, useValue: parts.engine },
        { provide: LOGGER, useValue: parts.logger },
        IncidentWatch,
        ClaimsDashboardService,
        AgentFiguresService,
        PaymentDateEstimates,
      ],
      exports: [PaymentDateEstimates],
    };
  }
}
