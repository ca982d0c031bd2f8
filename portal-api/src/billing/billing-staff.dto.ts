import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, NotEquals } from 'class-validator';

/** What staff ask of a customer's invoice, or of their next one: a signed amount with a reason. */
export class AdjustmentRequestInput {
  @ApiProperty({ description: 'The policy whose billing is adjusted.' }) @IsUUID('all', { message: 'must be a policy id' }) policyId!: string;

  @ApiPropertyOptional({ description: 'An open invoice of the policy; absent, the adjustment is a line of the next invoice.' })
  @IsOptional() @IsUUID('all', { message: 'must be an invoice id' }) invoiceId?: string;

  @ApiProperty({ example: -1500, description: 'Whole cents, not 0: above 0 the client owes more, below less.' })
  @IsInt({ message: 'must be whole cents' }) @NotEquals(0, { message: 'must not be 0' }) @Min(-10_000_000) @Max(10_000_000)
  cents!: number;

  @ApiPropertyOptional({ example: 'goodwill', description: 'Short code printed on the invoice line.' })
  @IsOptional() @IsString() @Matches(/^[a-z0-9][a-z0-9-]{0,59}$/, { message: 'must be 1 to 60 lower-case letters, digits or dashes' })
  code?: string;

  @ApiProperty({ description: 'Why, for the file and the approver.' }) @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}

export const ADJUSTMENT_DECISIONS = ['approve', 'reject'] as const;

export class AdjustmentDecisionInput {
  @ApiProperty({ enum: ADJUSTMENT_DECISIONS }) @IsIn(ADJUSTMENT_DECISIONS, { message: `must be one of ${ADJUSTMENT_DECISIONS.join(', ')}` }) decision!: (typeof ADJUSTMENT_DECISIONS)[number];
}

export const ADJUSTMENT_STATUSES = ['pending', 'approved', 'rejected', 'applied'] as const;

export class AdjustmentQuery {
  @ApiPropertyOptional({ enum: ADJUSTMENT_STATUSES }) @IsOptional() @IsIn(ADJUSTMENT_STATUSES, { message: `must be one of ${ADJUSTMENT_STATUSES.join(', ')}` }) status?: (typeof ADJUSTMENT_STATUSES)[number];
}

export class ReconciliationQuery {
  @ApiProperty({ example: '2026-12-01', description: 'The day (UTC) to reconcile.' })
  @IsDateString({ strict: true }, { message: 'must be a date as YYYY-MM-DD' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
  day!: string;
}
