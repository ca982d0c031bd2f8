import { type DynamicModule, Module } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { EngineClient } from '../engine/engine-client';
import { LOGGER } from '../tokens';
import { ClaimLinks } from './claim-links';
import { OperationsActions } from './operations-actions';
import { OperationsController } from './operations.controller';
import { OperationsReads } from './operations-reads';

/** The operations view's API (`/api/operations/...`): its own module, given the parts it shares with the portal. */
@Module({})
export class OperationsModule {
  static with(parts: { dataSource: DataSource; engine: EngineClient; logger: Logger }): DynamicModule {
    return {
      module: OperationsModule,
      controllers: [OperationsController],
      providers: [
        { provide: DataSource, useValue: parts.dataSource },
        { provide: EngineClient, useValue: parts.engine },
        { provide: LOGGER, useValue: parts.logger },
        AuditLog,
        ClaimLinks,
        OperationsReads,
        OperationsActions,
      ],
    };
  }
}
