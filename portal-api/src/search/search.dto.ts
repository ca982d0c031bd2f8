import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CLAIM_ROUTES, SUBMITTED_STATUSES, type ClaimRoute, type ClaimStatus } from '../claims/claim-status';

/** `?status=a,b` and `?status=a&status=b` both make a list. */
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value);

class Page {
  @ApiPropertyOptional({ default: 0, maximum: 10_000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000)
  offset?: number;

  @ApiPropertyOptional({ default: 25, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

export class ClaimSearchQuery extends Page {
  @ApiPropertyOptional({ example: '000042', description: 'Part of the claim reference (CLM-2026-000042), at least 3 characters.' })
  @IsOptional() @IsString() @MinLength(3) @MaxLength(40)
  reference?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Claims of this customer.' })
  @IsOptional() @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ example: 'Alice Martn', description: 'Claims of customers matching this name, email, customer or policy number (typos tolerated).' })
  @IsOptional() @IsString() @MinLength(2) @MaxLength(100)
  client?: string;

  @ApiPropertyOptional({ enum: SUBMITTED_STATUSES, isArray: true, description: 'One status or several (comma-separated).' })
  @IsOptional() @Transform(toList) @IsArray() @ArrayMaxSize(20) @IsIn(SUBMITTED_STATUSES, { each: true })
  status?: ClaimStatus[];

  @ApiPropertyOptional({ enum: CLAIM_ROUTES })
  @IsOptional() @IsIn(CLAIM_ROUTES)
  route?: ClaimRoute;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'Submitted at or after this date or instant (ISO 8601).' })
  @IsOptional() @IsISO8601({ strict: true })
  submittedFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Submitted before the end of this date, or before this instant (ISO 8601).' })
  @IsOptional() @IsISO8601({ strict: true })
  submittedTo?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Claimed at least this amount (currency units).' })
  @IsOptional() @Type(() => Number) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0)
  minAmount?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Claimed at most this amount (currency units).' })
  @IsOptional() @Type(() => Number) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0)
  maxAmount?: number;
}

export class CustomerSearchQuery extends Page {
  @ApiProperty({ example: 'alice martn', description: 'Name, email, phone, customer number or policy number; typos tolerated.' })
  @IsString() @MinLength(2) @MaxLength(100)
  q!: string;
}
