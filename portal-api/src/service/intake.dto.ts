import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

export const INTAKE_LIST_STATUSES = ['queued', 'handled', 'all'] as const;

export class IntakeListQuery {
  @ApiPropertyOptional({ enum: INTAKE_LIST_STATUSES, default: 'queued', description: '`queued`: waiting for an agent, oldest first; `handled`: filed or dismissed, newest first.' })
  @IsOptional() @IsIn(INTAKE_LIST_STATUSES)
  status?: (typeof INTAKE_LIST_STATUSES)[number];

  @ApiPropertyOptional({ default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100_000)
  offset?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit?: number;
}

export class IntakeAssignmentInput {
  @ApiProperty({ format: 'uuid', description: 'The customer the mail is from.' })
  @IsUUID('all', { message: 'must be a customer id' })
  customerId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One of that customer\'s open claims to add the attachments to; without it a draft claim is opened for them.' })
  @IsOptional() @IsUUID('all', { message: 'must be a claim id' })
  claimId?: string;
}

export class IntakeDismissalInput {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Advertising, not a claim.' })
  @IsString() @MinLength(3) @MaxLength(500)
  reason!: string;
}
