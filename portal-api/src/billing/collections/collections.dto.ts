import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export class CollectionPlanInput {
  @ApiProperty({ example: '2251799813685301' }) @IsString() @Matches(/^\d{1,19}$/, { message: 'must be a process instance key' }) processInstanceKey!: string;
}

export class CollectionAttemptInput {
  @ApiProperty({ example: 1, description: 'The scheduled attempt, from 1 (the diagram counts them).' }) @IsInt({ message: 'must be a whole number' }) @Min(1) @Max(100) attempt!: number;
}

/** What the provider answered, as the workers' CollectionOutcome. */
export class CollectionOutcomeInput {
  @ApiProperty({ enum: ['collected', 'declined'] }) @IsIn(['collected', 'declined']) status!: 'collected' | 'declined';

  @ApiPropertyOptional({ example: 'py_3Q1x…', description: 'For a charge: the provider\'s payment id.' })
  @ValidateIf((o: CollectionOutcomeInput) => o.status === 'collected')
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  providerReference?: string;

  @ApiPropertyOptional({ enum: ['soft', 'hard'] })
  @ValidateIf((o: CollectionOutcomeInput) => o.status === 'declined')
  @IsIn(['soft', 'hard'])
  kind?: 'soft' | 'hard';

  @ApiPropertyOptional({ example: 'insufficient_funds', description: 'For a decline: the scheme\'s code (SEPA reason or card decline code).' })
  @ValidateIf((o: CollectionOutcomeInput) => o.status === 'declined')
  @IsString()
  @Matches(/^[A-Za-z0-9_]{2,60}$/, { message: 'must be a decline code such as AM04 or insufficient_funds' })
  code?: string;

  @ApiPropertyOptional({ description: 'For a decline: what the client is told.' })
  @ValidateIf((o: CollectionOutcomeInput) => o.status === 'declined')
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;
}

/** The bank returned a direct debit after it was collected (an R-transaction): its reason code, kind and the client's words. */
export class CollectionReturnInput {
  @ApiProperty({ example: 'pi_3Q1x…' }) @IsString() @MinLength(1) @MaxLength(200) providerPaymentId!: string;
  @ApiProperty({ example: 'MD06' }) @IsString() @Matches(/^[A-Za-z0-9_]{2,60}$/, { message: 'must be a return reason code such as AM04 or MD06' }) code!: string;
  @ApiProperty({ enum: ['soft', 'hard'] }) @IsIn(['soft', 'hard']) kind!: 'soft' | 'hard';
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}
