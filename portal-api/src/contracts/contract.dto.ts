import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { CANCELLATION_REASONS, type CancellationReason } from '../billing/refund-calculation';

const DATE = { message: 'must be a date as YYYY-MM-DD' };
const RELATIONSHIPS = ['spouse', 'partner', 'child', 'parent', 'sibling', 'other'] as const;

export class DependantInput {
  @ApiProperty({ example: 'Léa Martin' }) @IsString() @MinLength(1) @MaxLength(200) fullName!: string;
  @ApiProperty({ enum: RELATIONSHIPS }) @IsIn(RELATIONSHIPS, { message: `must be one of ${RELATIONSHIPS.join(', ')}` }) relationship!: string;
  @ApiProperty({ example: '2019-05-04' }) @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE) birthDate!: string;
}

/** A mid-term change: new terms from a day, re-priced with the pricing table. */
export class EndorsementInput {
  @ApiProperty({ example: '2026-12-15', description: 'First day of the new terms; inside the policy term, after the last change.' })
  @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE)
  effectiveFrom!: string;

  @ApiPropertyOptional({ description: 'The new yearly deductible, in cents, one of the product version\'s options.' })
  @IsOptional() @IsInt({ message: 'must be whole cents' }) @Min(0) @Max(100_000_000)
  deductibleCents?: number;

  @ApiPropertyOptional({ type: [DependantInput] })
  @IsOptional() @IsArray() @ArrayMaxSize(8, { message: 'must list at most eight people' }) @ValidateNested({ each: true }) @Type(() => DependantInput)
  addDependants?: DependantInput[];
}

export class CancellationInput {
  @ApiProperty({ example: '2026-12-31', description: 'First day the policy no longer covers care.' })
  @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE)
  effectiveFrom!: string;

  @ApiProperty({ description: 'Why, for the file (staff only).' }) @IsString() @MinLength(1) @MaxLength(1000) reason!: string;

  @ApiPropertyOptional({ enum: CANCELLATION_REASONS, description: 'Who ends the policy and why, for the refund table (bpmn/cancellation-refund.dmn); the client\'s own request when absent.' })
  @IsOptional() @IsIn(CANCELLATION_REASONS, { message: `must be one of ${CANCELLATION_REASONS.join(', ')}` })
  cancellationReason?: CancellationReason;
}

export const STAFF_STATUS_CHANGES = ['active', 'suspended', 'lapsed'] as const;

/** A suspension or lapse (premium unpaid) over days, or reinstatement (active) from a day. */
export class StatusChangeInput {
  @ApiProperty({ enum: STAFF_STATUS_CHANGES }) @IsIn(STAFF_STATUS_CHANGES, { message: `must be one of ${STAFF_STATUS_CHANGES.join(', ')}` }) status!: (typeof STAFF_STATUS_CHANGES)[number];
  @ApiProperty() @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE) effectiveFrom!: string;
  @ApiPropertyOptional({ description: 'Last day of the state; until further notice when absent.' }) @IsOptional() @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE) effectiveTo?: string;
  @ApiProperty({ description: 'Why, for the file (staff only).' }) @IsString() @MinLength(1) @MaxLength(1000) reason!: string;
}

export class BeneficiaryInput {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) fullName!: string;
  @ApiProperty({ enum: RELATIONSHIPS }) @IsIn(RELATIONSHIPS, { message: `must be one of ${RELATIONSHIPS.join(', ')}` }) relationship!: string;
  @ApiProperty({ description: 'Whole percent; all shares add up to 100.' }) @IsInt({ message: 'must be a whole percent' }) @Min(1) @Max(100) sharePercent!: number;
}

/** The beneficiaries from a day on, replacing those before. */
export class BeneficiariesInput {
  @ApiProperty() @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE) effectiveFrom!: string;
  @ApiProperty({ type: [BeneficiaryInput] }) @IsArray() @ArrayMinSize(1, { message: 'must name at least one beneficiary' }) @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => BeneficiaryInput) beneficiaries!: BeneficiaryInput[];
}

export class RenewalPlanInput {
  @ApiProperty() @IsString() @Matches(/^\d{1,20}$/, { message: 'must be a process instance key' }) processInstanceKey!: string;
}

export class RenewalTermInput {
  @ApiProperty({ description: 'The last day of the term being renewed (the process\'s `termEndsOn`).' }) @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE) termEndsOn!: string;
}
