import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export class ClaimItemInput {
  @ApiProperty({ example: '2026-10-02', description: 'Date the care was given (YYYY-MM-DD).' })
  @IsDateString({ strict: true }, { message: 'must be a date as YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD' })
  serviceDate!: string;

  @ApiProperty({ example: 'Dr. Laura Chen' })
  @IsString() @MinLength(1) @MaxLength(200)
  providerName!: string;

  @ApiPropertyOptional({ example: '10003456789', description: 'Provider registration number from the receipt.' })
  @IsOptional() @IsString() @MaxLength(40)
  providerId?: string;

  @ApiProperty({ example: 'GP_VISIT', description: 'Kind of care, as listed in the policy\'s benefit schedule.' })
  @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,31}$/, { message: 'must be a care code such as GP_VISIT' })
  careCode!: string;

  @ApiPropertyOptional({ example: 'Consultation' })
  @IsOptional() @IsString() @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ example: 'INV-2026-1182' })
  @IsOptional() @IsString() @MaxLength(60)
  invoiceNumber?: string;

  @ApiProperty({ example: 60, description: 'Amount paid, in the policy currency, at most two decimals.' })
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false }, { message: 'must be a number with at most two decimals' })
  @Min(0.01) @Max(1_000_000)
  amount!: number;
}

export class CreateClaimInput {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be the id of one of your policies' })
  policyId!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  description?: string;

  @ApiProperty({ type: [ClaimItemInput], minItems: 1, maxItems: 50 })
  @IsArray() @ArrayMinSize(1, { message: 'must list at least one care item' }) @ArrayMaxSize(50)
  @ValidateNested({ each: true }) @Type(() => ClaimItemInput)
  items!: ClaimItemInput[];
}

export class ProvideInformationInput {
  @ApiProperty({ description: 'The answer to the question asked.', maxLength: 4000 })
  @IsString() @MinLength(1) @MaxLength(4000)
  message!: string;

  @ApiPropertyOptional({ type: [String], description: 'Documents uploaded to the claim for this answer.' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true })
  documentIds?: string[];
}

export class ClaimListQuery {
  @ApiPropertyOptional({ description: 'Only claims in this status.' })
  @IsOptional() @IsString() @MaxLength(40)
  status?: string;

  @ApiPropertyOptional({ description: 'Staff: claims of this customer.' })
  @IsOptional() @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ description: 'Staff: the claim with this reference (CLM-2026-000042).' })
  @IsOptional() @IsString() @MaxLength(40)
  reference?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(1) @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0)
  offset?: number;
}
