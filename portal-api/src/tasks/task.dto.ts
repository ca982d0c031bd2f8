import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export const TASK_SCOPES = ['mine', 'unassigned', 'open', 'completed'] as const;
export const TASK_SORT_FIELDS = ['dueDate', 'creationDate', 'priority', 'followUpDate', 'completionDate'] as const;

export class TaskSearchQuery {
  @ApiPropertyOptional({ enum: TASK_SCOPES, default: 'open', description: 'mine: assigned to me; unassigned and open: in my groups; completed: done in my groups.' })
  @IsOptional() @IsIn(TASK_SCOPES)
  scope?: (typeof TASK_SCOPES)[number];

  @ApiPropertyOptional({ example: 'claim-reimbursement' })
  @IsOptional() @IsString() @MaxLength(200)
  processDefinitionId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Tasks of this claim.' })
  @IsOptional() @IsUUID()
  claimId?: string;

  @ApiPropertyOptional({ example: 'CLM-2026-000042', description: 'Tasks of the claim with this reference.' })
  @IsOptional() @IsString() @MaxLength(40)
  claimReference?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Claims of at least this amount claimed.' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  minAmount?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Claims of at most this amount claimed.' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  maxAmount?: number;

  @ApiPropertyOptional({ description: 'Due before this instant (ISO 8601).' })
  @IsOptional() @IsISO8601()
  dueBefore?: string;

  @ApiPropertyOptional({ description: 'Due after this instant (ISO 8601).' })
  @IsOptional() @IsISO8601()
  dueAfter?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'At least this priority.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100)
  minPriority?: number;

  @ApiPropertyOptional({ enum: TASK_SORT_FIELDS, default: 'dueDate' })
  @IsOptional() @IsIn(TASK_SORT_FIELDS)
  sort?: (typeof TASK_SORT_FIELDS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional() @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000)
  from?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
}

export class CompleteTaskInput {
  @ApiPropertyOptional({ description: 'The form\'s data, checked against the task\'s form.', type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  variables?: Record<string, unknown>;
}
