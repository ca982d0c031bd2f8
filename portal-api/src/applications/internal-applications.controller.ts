import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { AssessmentInput, DeclineInput, InformationRequestInput, OfferInput } from './application.dto';
import { ApplicationsService } from './applications.service';

/** The policy-application process's steps, for the job workers. Each is safe to repeat (a retried job). */
@ApiTags('internal (workers)')
@ApiBearerAuth()
@Controller('internal/applications')
@Roles(ROLES.worker)
export class InternalApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get(':applicationId/rule-inputs')
  @ApiOperation({ summary: 'What the eligibility and underwriting tables read, per person (role, age, body mass index, yes/no health facts), and the premium.' })
  ruleInputs(@Param('applicationId') id: string) {
    return this.applications.ruleInputs(id);
  }

  @Get(':applicationId/applicant-notice')
  @ApiOperation({ summary: 'Who to write to about the application (the address the applicant gave, the policyholder\'s name) and what the client sees of it.' })
  applicantNotice(@Param('applicationId') id: string) {
    return this.applications.applicantNotice(id);
  }

  @Post(':applicationId/assessment')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the rules\' outcome and reason codes, and the process instance carrying the application (another instance is 409).' })
  assessment(@Caller() worker: Principal, @Param('applicationId') id: string, @Body() input: AssessmentInput) {
    return this.applications.recordAssessment(worker, id, input);
  }

  @Post(':applicationId/information-request')
  @HttpCode(200)
  @ApiOperation({ summary: 'The underwriter asks the client for information or a medical exam, by a deadline.' })
  informationRequest(@Caller() worker: Principal, @Param('applicationId') id: string, @Body() input: InformationRequestInput) {
    return this.applications.requestInformation(worker, id, input);
  }

  @Post(':applicationId/offer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make the offer, valid until the date given.' })
  offer(@Caller() worker: Principal, @Param('applicationId') id: string, @Body() input: OfferInput) {
    return this.applications.offer(worker, id, input);
  }

  @Post(':applicationId/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline with reason codes (and the underwriter\'s words for the client).' })
  decline(@Caller() worker: Principal, @Param('applicationId') id: string, @Body() input: DeclineInput) {
    return this.applications.decline(worker, id, input);
  }

  @Post(':applicationId/expiry')
  @HttpCode(200)
  @ApiOperation({ summary: 'The offer\'s validity ended: expired, unless the client accepted first (expired: false).' })
  expiry(@Caller() worker: Principal, @Param('applicationId') id: string) {
    return this.applications.expire(worker, id);
  }

  @Post(':applicationId/policy')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue the policy of an accepted application, once (issued: false when it was issued before), with its schedule as a PDF.' })
  policy(@Caller() worker: Principal, @Param('applicationId') id: string) {
    return this.applications.issue(worker, id);
  }
}
