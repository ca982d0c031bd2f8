import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PERIODS_PER_YEAR, type PaymentFrequency } from './premium-arithmetic';

const DATE = { message: 'must be a date as YYYY-MM-DD' };
const PRODUCT_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

export class InsuredPersonInput {
  @ApiProperty({ enum: ['policyholder', 'dependant'] })
  @IsIn(['policyholder', 'dependant'], { message: 'must be policyholder or dependant' })
  role!: 'policyholder' | 'dependant';

  @ApiProperty({ example: '1988-04-17' })
  @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE)
  birthDate!: string;
}

/** What every quote asks, whichever product: who, where, when, how often they pay. */
export class QuoteTermsInput {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'Day the cover would start; today when absent; at most 180 days ahead.' })
  @IsOptional() @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE)
  startsOn?: string;

  @ApiProperty({ example: 'urban', description: 'Where the policyholder lives, as the pricing table names regions (metropolitan, urban, rural in the demo).' })
  @IsString() @Matches(/^[a-z][a-z-]{1,39}$/, { message: 'must be a region code such as urban' })
  region!: string;

  @ApiProperty({ enum: Object.keys(PERIODS_PER_YEAR) })
  @IsIn(Object.keys(PERIODS_PER_YEAR), { message: `must be one of ${Object.keys(PERIODS_PER_YEAR).join(', ')}` })
  paymentFrequency!: PaymentFrequency;

  @ApiProperty({ type: [InsuredPersonInput], minItems: 1, maxItems: 9, description: 'The policyholder and up to eight dependants.' })
  @IsArray() @ArrayMinSize(1, { message: 'must list the policyholder' }) @ArrayMaxSize(9, { message: 'must list at most nine people' })
  @ValidateNested({ each: true }) @Type(() => InsuredPersonInput)
  insured!: InsuredPersonInput[];
}

export class CreateQuoteInput extends QuoteTermsInput {
  @ApiProperty({ example: 'HEALTH_PLUS' })
  @IsString() @Matches(PRODUCT_CODE, { message: 'must be a product code such as HEALTH_PLUS' })
  productCode!: string;

  @ApiProperty({ example: 25_000, description: "The yearly deductible chosen, in cents: one of the product's deductible options." })
  @IsInt({ message: 'must be whole cents' }) @Min(0) @Max(100_000_000)
  deductibleCents!: number;
}

export class ProductChoiceInput {
  @ApiProperty({ example: 'HEALTH_PLUS' })
  @IsString() @Matches(PRODUCT_CODE, { message: 'must be a product code such as HEALTH_PLUS' })
  productCode!: string;

  @ApiProperty({ example: 25_000 })
  @IsInt({ message: 'must be whole cents' }) @Min(0) @Max(100_000_000)
  deductibleCents!: number;
}

export class CompareQuotesInput extends QuoteTermsInput {
  @ApiProperty({ type: [ProductChoiceInput], minItems: 2, maxItems: 2, description: 'The two products to quote side by side, each with its own deductible.' })
  @IsArray() @ArrayMinSize(2, { message: 'must name two products' }) @ArrayMaxSize(2, { message: 'must name two products' })
  @ValidateNested({ each: true }) @Type(() => ProductChoiceInput)
  products!: ProductChoiceInput[];
}
