import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Public } from '../auth/auth.guard';
import { SatisfactionSurveys } from './satisfaction-surveys';

export class SurveyLookupInput {
  @ApiProperty({ description: 'The token from the survey link (the part after `#token=`). Sent in the body so that it never lands in a URL or an access log.' })
  @IsString() @MaxLength(2000)
  token!: string;
}

export class SurveyAnswerInput extends SurveyLookupInput {
  @ApiProperty({ minimum: 1, maximum: 5, description: 'How satisfied the client is, from 1 (not at all) to 5 (very).' })
  @IsInt({ message: 'must be a whole number from 1 to 5' }) @Min(1, { message: 'must be a whole number from 1 to 5' }) @Max(5, { message: 'must be a whole number from 1 to 5' })
  score!: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  comment?: string;
}

/**
 * The satisfaction survey's public side: no sign-in, the signed link is the
 * only credential (forged 403, expired 410, answered already 409).
 */
@ApiTags('surveys')
@Controller('surveys')
@Public()
export class SurveysController {
  constructor(private readonly surveys: SatisfactionSurveys) {}

  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({ summary: 'The survey a link is for: the claim reference, whether it was answered, until when it can be.' })
  lookup(@Body() input: SurveyLookupInput) {
    return this.surveys.lookup(input.token);
  }

  @Post('answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the survey once: a score from 1 to 5 and an optional comment. A second answer is 409.' })
  answer(@Body() input: SurveyAnswerInput) {
    return this.surveys.answer(input.token, input.score, input.comment);
  }
}
