import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { ClaimUpdateInput, NotificationInput, PayoutInput } from './internal.dto';
import { InternalService } from './internal.service';

/** For the job workers' service account only. */
@ApiTags('internal (workers)')
@ApiBearerAuth()
@Controller('internal')
@Roles(ROLES.worker)
export class InternalController {
  constructor(private readonly internal: InternalService) {}

  @Get('claims/:claimId')
  @ApiOperation({ summary: 'Claim, items, documents, policy with benefits and coverage left, customer contact.' })
  claim(@Param('claimId') claimId: string) {
    return this.internal.claim(claimId);
  }

  @Get('claims/:claimId/fraud-context')
  @ApiOperation({ summary: 'Earlier claims, duplicate receipts and invoices, usual amounts by kind of care.' })
  fraudContext(@Param('claimId') claimId: string) {
    return this.internal.fraudContext(claimId);
  }

  @Patch('claims/:claimId')
  @ApiOperation({ summary: 'Record progress: status, item decisions, fraud flags, breakdown, information request.' })
  update(@Caller() worker: Principal, @Param('claimId') claimId: string, @Body() input: ClaimUpdateInput) {
    return this.internal.update(worker, claimId, input);
  }

  @Get('claims/:claimId/payment-details')
  @ApiOperation({ summary: 'Bank details for the payment step (audited).' })
  paymentDetails(@Caller() worker: Principal, @Param('claimId') claimId: string) {
    return this.internal.paymentDetails(worker, claimId);
  }

  @Post('claims/:claimId/payouts')
  @ApiOperation({ summary: 'Record a payout; idempotent by attempt key, and a claim is paid once.' })
  async payout(@Caller() worker: Principal, @Param('claimId') claimId: string, @Body() input: PayoutInput, @Res({ passthrough: true }) res: Response) {
    const result = await this.internal.recordPayout(worker, claimId, input);
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
