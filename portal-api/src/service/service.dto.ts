import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { CreateClaimInput } from '../claims/claim.dto';
import { INTERACTION_CHANNELS, INTERACTION_DIRECTIONS, type InteractionChannel, type InteractionDirection } from './interactions.service';

/** A staff username (`preferred_username`) or a team (a candidate group of the staff app). */
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const FOLLOW_UP_TEAMS = ['call-center', 'manager'] as const;

export class FollowUpInput {
  @ApiProperty({ example: '2026-12-04T09:00:00Z', description: 'When the follow-up is due (ISO 8601 with a time zone); it escalates to the team leads if still open then.' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  @Matches(/T.*(Z|[+-]\d{2}:?\d{2})$/, { message: 'must be an ISO 8601 date-time with a time zone' })
  dueAt!: string;

  @ApiPropertyOptional({ example: 'carla', description: 'The agent who keeps it (their user name); or give a team.' })
  @IsOptional() @IsString() @Matches(NAME, { message: 'must be a staff user name' })
  assigneeAgent?: string;

  @ApiPropertyOptional({ enum: FOLLOW_UP_TEAMS, description: 'The team that keeps it; or give an agent.' })
  @IsOptional() @IsIn(FOLLOW_UP_TEAMS)
  assigneeTeam?: (typeof FOLLOW_UP_TEAMS)[number];
}

export class InteractionInputDto {
  @ApiProperty({ enum: INTERACTION_CHANNELS })
  @IsIn(INTERACTION_CHANNELS)
  channel!: InteractionChannel;

  @ApiProperty({ enum: INTERACTION_DIRECTIONS, description: '`in`: the customer contacted us; `out`: we contacted them.' })
  @IsIn(INTERACTION_DIRECTIONS)
  direction!: InteractionDirection;

  @ApiProperty({ example: 'Asked when the physiotherapy claim will be paid', maxLength: 500 })
  @IsString() @MinLength(1) @MaxLength(500) @Matches(/\S/, { message: 'must not be blank' })
  summary!: string;

  @ApiPropertyOptional({ maxLength: 4000, description: 'Staff notes: never shown to the customer.' })
  @IsOptional() @IsString() @MaxLength(4000)
  notes?: string;

  @ApiPropertyOptional({ example: 'Answered', maxLength: 200 })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  outcome?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A claim of this customer the contact was about.' })
  @IsOptional() @IsUUID('all', { message: "must be the id of one of this customer's claims" })
  claimId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A policy of this customer the contact was about.' })
  @IsOptional() @IsUUID('all', { message: "must be the id of one of this customer's policies" })
  policyId?: string;

  @ApiPropertyOptional({ example: '2026-12-02T10:15:00Z', description: 'When it happened (default: now).' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  occurredAt?: string;

  @ApiPropertyOptional({ type: FollowUpInput, description: 'A follow-up promised during the contact.' })
  @IsOptional() @ValidateNested() @Type(() => FollowUpInput)
  followUp?: FollowUpInput;
}

/** A correction of an interaction: its whole content again (the original stays, the correction reads in its place). */
export class InteractionCorrectionDto {
  @ApiProperty({ enum: INTERACTION_CHANNELS }) @IsIn(INTERACTION_CHANNELS) channel!: InteractionChannel;
  @ApiProperty({ enum: INTERACTION_DIRECTIONS }) @IsIn(INTERACTION_DIRECTIONS) direction!: InteractionDirection;
  @ApiProperty({ maxLength: 500 }) @IsString() @MinLength(1) @MaxLength(500) @Matches(/\S/, { message: 'must not be blank' }) summary!: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) notes?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) outcome?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: "must be the id of one of this customer's claims" }) claimId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: "must be the id of one of this customer's policies" }) policyId?: string;
}

export class PhoneClaimInput extends CreateClaimInput {
  @ApiPropertyOptional({ example: 'Client called about her physiotherapy sessions', maxLength: 500, description: 'What the call was about, for the interaction log (default: the claim filed).' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500)
  callSummary?: string;
}

export class FollowUpClosureInput {
  @ApiProperty({ example: 'Called back, refund confirmed', maxLength: 500 })
  @IsString() @MinLength(1) @MaxLength(500) @Matches(/\S/, { message: 'must not be blank' })
  outcome!: string;
}

export class TimelineQuery {
  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` of the page before (older entries).' })
  @IsOptional() @IsString() @MaxLength(400)
  before?: string;
}

export class FollowUpInstanceInput {
  @ApiProperty() @IsString() @Matches(/^\d{1,20}$/, { message: 'must be a process instance key' }) processInstanceKey!: string;
}

export class FollowUpWorkerClosureInput {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) outcome?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(NAME, { message: 'must be a staff user name' }) closedBy?: string;
}
