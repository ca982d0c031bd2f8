import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

/** Engine keys travel as decimal text (int64 in Camunda). */
export const KEY_PATTERN = /^\d{1,19}$/;
export const INSTANCE_STATES = ['ACTIVE', 'COMPLETED', 'TERMINATED'] as const;
export const BATCH_TYPES = ['retry', 'cancel', 'modify', 'migrate'] as const;
export type BatchType = (typeof BATCH_TYPES)[number];

/** `?hasIncident=true` is text on the wire; anything but true or false is left as is and refused. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const BPMN_ID = /^[A-Za-z_][\w.-]{0,254}$/;

class Page {
  @ApiPropertyOptional({ default: 0, maximum: 10_000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000)
  offset?: number;

  @ApiPropertyOptional({ default: 25, maximum: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

/** Which process instances: the filter of the list and of batch actions. */
export class InstanceFilter {
  @ApiPropertyOptional({ example: 'claim-reimbursement' })
  @IsOptional() @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN process id' })
  processDefinitionId?: string;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  version?: number;

  @ApiPropertyOptional({ enum: INSTANCE_STATES })
  @IsOptional() @IsIn(INSTANCE_STATES)
  state?: (typeof INSTANCE_STATES)[number];

  @ApiPropertyOptional()
  @IsOptional() @Transform(toBoolean) @IsBoolean()
  hasIncident?: boolean;
}

/** The list's filter and its page. */
export class InstanceListQuery extends IntersectionType(InstanceFilter, Page) {}

export class IncidentListQuery extends Page {
  @ApiPropertyOptional({ example: 'claim-reimbursement' })
  @IsOptional() @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN process id' })
  processDefinitionId?: string;
}

export class RetryInput {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 10, description: 'Retries the job gets back.' })
  @IsOptional() @IsInt() @Min(1) @Max(10)
  retries?: number;

  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 60, description: 'How long to wait for the job to run again before answering "still waiting".' })
  @IsOptional() @IsInt() @Min(1) @Max(60)
  waitSeconds?: number;
}

export class ModifyInput {
  @ApiPropertyOptional({ example: 'screen-fraud', description: 'The element whose active tokens move.' })
  @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN element id' })
  fromElementId!: string;

  @ApiPropertyOptional({ example: 'calculate-benefit', description: 'Where they go.' })
  @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN element id' })
  toElementId!: string;
}

export class ElementMapping {
  @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN element id' })
  sourceElementId!: string;

  @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN element id' })
  targetElementId!: string;
}

export class MigrateInput {
  @ApiPropertyOptional({ example: '2251799813685249', description: 'The process version to move to.' })
  @IsString() @Matches(KEY_PATTERN, { message: 'must be a process definition key (digits)' })
  targetProcessDefinitionKey!: string;

  @ApiPropertyOptional({ type: [ElementMapping], description: 'Where each active element goes; by default each to the element with the same id.' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => ElementMapping)
  mappingInstructions?: ElementMapping[];
}

export class BatchInput {
  @ApiPropertyOptional({ enum: BATCH_TYPES })
  @IsIn(BATCH_TYPES)
  type!: BatchType;

  @ApiPropertyOptional({ type: InstanceFilter, description: 'Which instances; a process id is required, so no batch reaches every process by mistake.' })
  @ValidateNested() @Type(() => InstanceFilter)
  filter!: InstanceFilter;

  @ApiPropertyOptional({ description: 'For modify.' })
  @IsOptional() @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN element id' })
  fromElementId?: string;

  @ApiPropertyOptional({ description: 'For modify.' })
  @IsOptional() @IsString() @Matches(BPMN_ID, { message: 'must be a BPMN element id' })
  toElementId?: string;

  @ApiPropertyOptional({ description: 'For migrate.' })
  @IsOptional() @IsString() @Matches(KEY_PATTERN, { message: 'must be a process definition key (digits)' })
  targetProcessDefinitionKey?: string;

  @ApiPropertyOptional({ type: [ElementMapping], description: 'For migrate; by default each active element to the one with the same id.' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => ElementMapping)
  mappingInstructions?: ElementMapping[];

  @ApiPropertyOptional({ description: 'Why (kept in the audit trail).' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500)
  reason?: string;
}
