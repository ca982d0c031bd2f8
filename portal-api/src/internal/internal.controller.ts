import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { prefersMinimalReturn } from '../http/prefer';
import { Problem } from '../http/problem';
import { BenefitService } from '../benefits/benefit.service';
import { PayoutsService } from '../payouts/payouts.service';
import { BenefitCalculationInput, ClaimUpdateInput, NotificationInput, PayoutInput, PayoutIntentInput } from './internal.dto';
import { InternalService } from './internal.service';

/** For the job workers' service account only. */
@ApiTags('internal (workers)')
@ApiBearerAuth()
@Controller('internal')
@Roles(ROLES.worker)
export class InternalController {
  constructor(
    private readonly internal: InternalService,
    private readonly benefits: BenefitService,
    private readonly payouts: PayoutsService,
  ) {}

  @Get('claims/:claimId')
  @ApiOperation({ summary: 'Claim, items, documents, policy with benefits and coverage left, customer contact.' })
  claim(@Param('claimId') claimId: string) {
    return this.internal.claim(claimId);
  }

  @Get('claims/:claimId/summary')
  @ApiOperation({ summary: 'The claim and its items only (as in GET claims/{claimId}), for a step that reports on the claim: no policy, coverage or documents are read.' })
  summary(@Param('claimId') claimId: string) {
    return this.internal.summary(claimId);
  }

  @Get('claims/:claimId/fraud-context')
  @ApiOperation({ summary: 'Earlier claims, duplicate receipts and invoices, usual amounts by kind of care; with the claim file (`file`, as GET claims/{claimId}), so screening asks once.' })
  fraudContext(@Param('claimId') claimId: string) {
    return this.internal.fraudContext(claimId);
  }

  @Patch('claims/:claimId')
  @ApiOperation({ summary: 'Record progress: status, item decisions, fraud flags, information request (the breakdown and approved total come from the benefit calculation).' })
  @ApiHeader({ name: 'Prefer', required: false, description: '`return=minimal`: answer 204 without the claim file (RFC 7240), for a step that does not read it; the file is then not assembled.' })
  @ApiResponse({ status: 200, description: 'The claim file after the update, as GET claims/{claimId}.' })
  @ApiResponse({ status: 204, description: 'Updated; asked for with `Prefer: return=minimal`.' })
  async update(@Caller() worker: Principal, @Param('claimId') claimId: string, @Body() input: ClaimUpdateInput, @Headers('prefer') prefer: string | undefined, @Res({ passthrough: true }) response: Response) {
    await this.internal.update(worker, claimId, input);
    if (!prefersMinimalReturn(prefer)) return this.internal.claim(claimId);
    response.status(204).setHeader('Preference-Applied', 'return=minimal');
    return undefined;
  }

  @Get('claims/:claimId/payment-details')
  @ApiOperation({ summary: 'Bank details for the payment step (audited).' })
  paymentDetails(@Caller() worker: Principal, @Param('claimId') claimId: string) {
    return this.internal.paymentDetails(worker, claimId);
  }

  @Post('claims/:claimId/benefit-calculation')
  @HttpCode(200)
  @ApiOperation({ summary: 'Calculate the benefit under a lock on the policy and store the breakdown, which reserves limits and deductible; a repeat replaces the claim\'s own figures.' })
  calculateBenefit(@Caller() worker: Principal, @Param('claimId') claimId: string, @Body() input: BenefitCalculationInput) {
    return this.benefits.calculate(worker, claimId, input);
  }

  @Post('claims/:claimId/payout-intents')
  @ApiOperation({ summary: 'Open the payout attempt to call the provider with (201), or answer the paid or open one (200); the amount must equal the approved total (422).' })
  async payoutIntent(@Caller() worker: Principal, @Param('claimId') claimId: string, @Body() input: PayoutIntentInput, @Res({ passthrough: true }) res: Response) {
    const result = await this.payouts.intent(worker, claimId, input);
    res.status(result.replayed ? 200 : 201);
    return result;
  }

  @Post('claims/:claimId/payouts')
  @ApiOperation({ summary: 'Record the provider\'s answer for an attempt; idempotent by attempt key, and a claim is paid once.' })
  async payout(@Caller() worker: Principal, @Param('claimId') claimId: string, @Body() input: PayoutInput, @Res({ passthrough: true }) res: Response) {
    const result = await this.payouts.outcome(worker, claimId, input);
    res.status(result.replayed ? 200 : 201);
    return result;
  }

  @Get('customers/:customerId/contact')
  @ApiOperation({ summary: 'Name, email and phone for notifications.' })
  contact(@Param('customerId') customerId: string) {
    return this.internal.contact(customerId);
  }

  @Post('notifications')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a sent notification (once per dedup key).' })
  notification(@Body() input: NotificationInput) {
    return this.internal.recordNotification(input);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'Whether a notification with this dedup key was sent.' })
  notificationSent(@Query('dedupKey') dedupKey: string | undefined) {
    if (!dedupKey) throw Problem.invalidField('dedupKey', 'is required');
    return this.internal.notificationSent(dedupKey);
  }
}
