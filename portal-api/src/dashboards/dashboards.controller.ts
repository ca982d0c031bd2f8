import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Roles } from '../auth/auth.guard';
import { ROLES } from '../auth/principal';
import { ClaimsDashboardService, type ClaimsDashboard } from './claims-dashboard';
import { AgentFiguresService } from './agent-figures';
import { AgentFiguresQuery, ClaimsDashboardQuery } from './dashboard.dto';
import { reportPdf, reportXlsx } from './report-exports';

/** Managers (who approve payments) and admins read how the department is doing. */
export const DASHBOARD_ROLES = [ROLES.manager, ROLES.admin];

function fileName(report: ClaimsDashboard, extension: string): string {
  return `claims-report-${report.range.from}-to-${report.range.to}.${extension}`;
}

@ApiTags('dashboards')
@ApiBearerAuth()
@Controller('dashboards')
@Roles(...DASHBOARD_ROLES)
export class DashboardsController {
  constructor(
    private readonly dashboards: ClaimsDashboardService,
    private readonly agentFigures: AgentFiguresService,
  ) {}

  @Get('agents')
  @ApiOperation({ summary: 'Customer service per agent and team over a range of days: first response time (claim sent or mail received to the first staff action), resolution time, satisfaction from the surveys; with the targets (satisfaction above 4.5, first response within 2 hours).' })
  agents(@Query() query: AgentFiguresQuery) {
    return this.agentFigures.report(query);
  }

  @Get('claims')
  @ApiOperation({ summary: 'Claims report over a range of days: turnaround by route, outcomes, service-level breaches, workload and throughput per person and team, fraud hit rate, open incidents, payouts in cents.' })
  claims(@Query() query: ClaimsDashboardQuery) {
    return this.dashboards.report(query);
  }

  @Get('claims.pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The same report as a PDF.' })
  async pdf(@Query() query: ClaimsDashboardQuery, @Res() res: Response) {
    const report = await this.dashboards.report(query);
    res.type('application/pdf').attachment(fileName(report, 'pdf')).send(await reportPdf(report));
  }

  @Get('claims.xlsx')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({ summary: 'The same report as an Excel workbook, one sheet per table.' })
  async xlsx(@Query() query: ClaimsDashboardQuery, @Res() res: Response) {
    const report = await this.dashboards.report(query);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(fileName(report, 'xlsx')).send(await reportXlsx(report));
  }
}
