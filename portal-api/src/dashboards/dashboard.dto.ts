import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CLAIM_ROUTES, type ClaimRoute } from '../claims/claim-status';
import { SERVICE_TEAMS, TEAMS } from './service-levels';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ClaimsDashboardQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day of the range (default: 29 days before `to`).' })
  @IsOptional() @Matches(DAY, { message: 'must be a date (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day of the range, included (default: today, UTC).' })
  @IsOptional() @Matches(DAY, { message: 'must be a date (YYYY-MM-DD)' })
  to?: string;

  @ApiPropertyOptional({ enum: CLAIM_ROUTES, description: 'Only claims that took this route.' })
  @IsOptional() @IsIn(CLAIM_ROUTES)
  route?: ClaimRoute;

  @ApiPropertyOptional({ enum: TEAMS, description: 'Only the tasks of this team (their candidate group).' })
  @IsOptional() @IsIn(TEAMS)
  team?: string;
}

/** The period (and optionally one team) of the customer-service figures. */
export class AgentFiguresQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First day of the range (default: 29 days before `to`).' })
  @IsOptional() @Matches(DAY, { message: 'must be a date (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day of the range, included (default: today, UTC).' })
  @IsOptional() @Matches(DAY, { message: 'must be a date (YYYY-MM-DD)' })
  to?: string;

  @ApiPropertyOptional({ enum: SERVICE_TEAMS, description: 'Only what this team did (the candidate group of the task, or the call center for mail).' })
  @IsOptional() @IsIn(SERVICE_TEAMS)
  team?: string;
}
