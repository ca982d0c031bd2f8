import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller, Roles } from '../../auth/auth.guard';
import { ROLES, type Principal } from '../../auth/principal';
import { CollectionAttemptInput, CollectionOutcomeInput, CollectionPlanInput, CollectionReturnInput } from './collections.dto';
import { CollectionsService, type ProviderOutcome } from './collections.service';
import { PaymentMethodInput } from './payment-method.dto';
import { PaymentMethodsService } from './payment-methods.service';

/** The client's payment methods, one default per policy. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me/payment-methods')
@Roles(ROLES.client)
export class MyPaymentMethodsController {
  constructor(private readonly methods: PaymentMethodsService) {}

  @Get()
  @ApiOperation({ summary: 'The payment method each of my policies is collected from (masked: IBAN country and last four, card last four).' })
  mine(@Caller() caller: Principal) {
    return this.methods.mine(caller);
  }

  @Put(':policyId')
  @ApiOperation({ summary: 'Make a SEPA direct-debit mandate or a tokenised card the policy\'s payment method (audited); the same details again change nothing.' })
  replace(@Caller() caller: Principal, @Param('policyId') policyId: string, @Body() input: PaymentMethodInput) {
    return this.methods.replace(caller, policyId, input);
  }
}

/** How an invoice of mine is collected, and "Pay now". */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me/invoices/:invoiceId')
@Roles(ROLES.client)
export class MyInvoiceCollectionController {
  constructor(private readonly collections: CollectionsService) {}

  @Get('collection')
  @ApiOperation({ summary: 'The collection of my invoice: its state, the dates of retries, grace, lapse and reinstatement window, the attempts and why they failed.' })
  collection(@Caller() caller: Principal, @Param('invoiceId') invoiceId: string) {
    return this.collections.clientView(caller, invoiceId);
  }

  @Post('payment')
  @HttpCode(202)
  @ApiOperation({ summary: 'Pay now with the policy\'s payment method: one charge at a time (a second press answers the first); follow it on GET collection.' })
  payNow(@Caller() caller: Principal, @Param('invoiceId') invoiceId: string) {
    return this.collections.payNow(caller, invoiceId);
  }
}

/** The steps of bpmn/premium-collection.bpmn, for the job workers' service account only. */
@ApiTags('internal (workers)')
@ApiBearerAuth()
@Controller('internal')
@Roles(ROLES.worker)
export class CollectionProcessController {
  constructor(private readonly collections: CollectionsService) {}

  @Post('invoices/:invoiceId/collection-plan')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the instance collecting the invoice (the first wins) and answer its dates: grace, lapse, reinstatement window (planned false: nothing to collect).' })
  plan(@Param('invoiceId') invoiceId: string, @Body() input: CollectionPlanInput) {
    return this.collections.plan(invoiceId, input.processInstanceKey);
  }

  @Post('invoices/:invoiceId/collection-attempts')
  @ApiOperation({ summary: 'Open scheduled attempt n (201) or answer the one opened under its key (200): the charge to send the provider; settled, busy (another charge in flight) or declined (no method).' })
  async attempt(@Param('invoiceId') invoiceId: string, @Body() input: CollectionAttemptInput, @Res({ passthrough: true }) res: Response) {
    const opening = await this.collections.openAttempt(invoiceId, input.attempt);
    res.status(opening.status === 'charge' && !opening.replayed ? 201 : 200);
    return opening;
  }

  @Get('collection-attempts/:attemptId')
  @ApiOperation({ summary: 'The charge of an attempt opened before (the client\'s "Pay now").' })
  request(@Param('attemptId') attemptId: string) {
    return this.collections.attemptRequest(attemptId);
  }

  @Post('collection-attempts/:attemptId/outcome')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record what the provider answered; a charge records the payment once (by the provider\'s payment id). A different answer for a decided attempt is 409.' })
  outcome(@Caller() worker: Principal, @Param('attemptId') attemptId: string, @Body() input: CollectionOutcomeInput) {
    const outcome: ProviderOutcome = input.status === 'collected' ? { status: 'collected', providerReference: input.providerReference! } : { status: 'declined', kind: input.kind!, code: input.code!, reason: input.reason! };
    return this.collections.recordOutcome(worker, attemptId, outcome);
  }

  @Post('collection-returns')
  @HttpCode(200)
  @ApiOperation({ summary: 'A direct debit returned by the bank: reverse its payment once (invoice open again, ledger payment-reversed) and start the case again.' })
  collectionReturn(@Body() input: CollectionReturnInput) {
    return this.collections.recordReturn(input.providerPaymentId, { code: input.code, kind: input.kind, reason: input.reason });
  }

  @Get('invoices/:invoiceId/collection-notice')
  @ApiOperation({ summary: 'What the payment reminders say: amounts, the case\'s dates, the last decline\'s reason.' })
  notice(@Param('invoiceId') invoiceId: string) {
    return this.collections.notice(invoiceId);
  }

  @Post('invoices/:invoiceId/lapse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lapse the policy from the case\'s lapse day (lapsed false: paid meanwhile).' })
  lapse(@Caller() worker: Principal, @Param('invoiceId') invoiceId: string) {
    return this.collections.lapse(worker, invoiceId);
  }

  @Post('invoices/:invoiceId/reinstatement')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reinstate the policy from the day the arrears were paid; the lapse before stays uncovered (reinstated false: other arrears still open).' })
  reinstate(@Caller() worker: Principal, @Param('invoiceId') invoiceId: string) {
    return this.collections.reinstate(worker, invoiceId);
  }

  @Post('invoices/:invoiceId/write-off')
  @HttpCode(200)
  @ApiOperation({ summary: 'Write off what is open once the reinstatement window closed unpaid.' })
  writeOff(@Param('invoiceId') invoiceId: string) {
    return this.collections.writeOff(invoiceId);
  }
}
