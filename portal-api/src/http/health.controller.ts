import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';
import { EngineClient } from '../engine/engine-client';

/** Liveness (`/health/live`) and readiness with what the portal depends on (`/health`). */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'The process is up.' })
  live() {
    return { status: 'UP' };
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Ready: the database answers; the engine is reported (the portal still serves reads without it).' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const database = await this.dataSource.query('SELECT 1').then(() => 'UP', () => 'DOWN');
    const engine = (await this.engine.ping()) ? 'UP' : 'DOWN';
    const status = database === 'UP' ? (engine === 'UP' ? 'UP' : 'DEGRADED') : 'DOWN';
    res.status(database === 'UP' ? 200 : 503);
    return { status, components: { database, engine } };
  }
}
