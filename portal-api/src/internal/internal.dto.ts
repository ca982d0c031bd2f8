import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ITEM_STATUSES, SUBMITTED_STATUSES, type ClaimStatus, type ItemStatus } from '../claims/claim-status';

export class ItemDecisionInput {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id!: string;
  @ApiProperty({ enum: ITEM_STATUSES }) @IsIn(ITEM_STATUSES) status!: ItemStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,39}$/) reasonCode?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) approvedAmount?: number | null;
}

export class FraudFlagInput {
  @ApiProperty() @IsString() @MaxLength(60) rule!: string;
  @ApiProperty() @IsString() @MaxLength(500) reason!: string;
  @ApiProperty() @IsInt() @Min(0) @Max(100) weight!: number;
}

/** What a worker records on a claim as the process moves it along. */
export class ClaimUpdateInput {
  @ApiPropertyOptional({ enum: SUBMITTED_STATUSES }) @IsOptional() @IsIn(SUBMITTED_STATUSES) status?: ClaimStatus;
  @ApiPropertyOptional({ description: 'Timeline entry; defaults to the status\'s plain wording.' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(1000) message?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() visibleToClient?: boolean;
  @ApiPropertyOptional({ type: [ItemDecisionInput] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ItemDecisionInput) items?: ItemDecisionInput[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1000) fraudScore?: number;
  @ApiPropertyOptional({ type: [FraudFlagInput] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => FraudFlagInput) fraudFlags?: FraudFlagInput[];
  @ApiPropertyOptional({ description: 'Only 0, when the claim is declined; the breakdown and what a claim pays are written by the benefit calculation.' }) @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) totalApproved?: number;
  @ApiPropertyOptional({ description: 'The question for the client; null clears it.' }) @IsOptional() @IsString() @MaxLength(2000) informationRequested?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() informationDue?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) decisionNote?: string | null;
}

export class PayoutInput {
  @ApiProperty({ description: 'The worker\'s key for this payment attempt; the same key is the same payout.' }) @IsString() @MinLength(1) @MaxLength(200) attemptKey!: string;
  @ApiProperty() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) amount!: number;
  @ApiProperty({ enum: ['paid', 'rejected'] }) @IsIn(['paid', 'rejected']) status!: 'paid' | 'rejected';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) providerReference?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) rejectionReason?: string;
}

export class NotificationInput {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) dedupKey!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() claimId?: string;
  @ApiProperty({ enum: ['email', 'sms'] }) @IsIn(['email', 'sms']) channel!: 'email' | 'sms';
  @ApiProperty() @IsString() @MaxLength(320) recipient!: string;
  @ApiProperty() @IsString() @MaxLength(100) template!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) subject?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) providerMessageId?: string;
}

/** One item's decision as the process carries it (validation's, then the adjuster's). */
export class ItemAssessmentInput {
  @ApiPropertyOptional({ format: 'uuid', description: 'The claim item; absent in process instances started before items carried it (then matched by position).' }) @IsOptional() @IsUUID() itemId?: string | null;
  @ApiProperty({ enum: ['accept', 'adjust', 'decline'] }) @IsIn(['accept', 'adjust', 'decline']) decision!: 'accept' | 'adjust' | 'decline';
  @ApiPropertyOptional({ description: 'The amount the adjuster accepts, when adjusting.' }) @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) approvedAmount?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[A-Z][A-Z0-9_]{1,39}$/) reasonCode?: string | null;
}

/** What the calculate step sends: the item decisions and the adjuster's note for the client. */
export class BenefitCalculationInput {
  @ApiProperty({ type: [ItemAssessmentInput] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => ItemAssessmentInput) items!: ItemAssessmentInput[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) decisionNote?: string | null;
}

/** A payout about to be made: the amount must be the claim's approved total. */
export class PayoutIntentInput {
  @ApiProperty({ description: 'Currency units; must equal the claim\'s approved total.' }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) amount!: number;
}
