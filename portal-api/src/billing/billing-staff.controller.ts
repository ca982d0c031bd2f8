import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { AdjustmentsService } from './adjustments.service';
import { AdjustmentDecisionInput, AdjustmentQuery, AdjustmentRequestInput, ReconciliationQuery } from './billing-staff.dto';
import { ReconciliationService } from './reconciliation.service';
import { StaffBillingService } from './staff-billing.service';

/** Staff who read billing: the call center (clients call about their invoices), managers, and admins. */
export const BILLING_READERS = [ROLES.callCenter, ROLES.manager, ROLES.admin] as const;
/** Staff who ask for an adjustment; only managers decide the ones above the threshold. */
export const ADJUSTMENT_REQUESTERS = [ROLES.callCenter, ROLES.manager] as const;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

@ApiTags('billing (staff)')
@ApiBearerAuth()
@Controller('billing')
export class BillingStaffController {
  constructor(
    private readonly billing: StaffBillingService,
    private readonly adjustments: AdjustmentsService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Get('customers/:customerId')
  @Roles(...BILLING_READERS)
  @ApiOperation({ summary: "A customer's billing: per policy its invoices, payments, credit notes, refunds and arrears; the adjustments; the customer's ledger balance, in cents." })
  customer(@Param('customerId') customerId: string) {
    return this.billing.customerBilling(customerId);
  }

  @Get('arrears')
  @Roles(...BILLING_READERS)
  @ApiOperation({ summary: 'Policies with open invoices past their due date, the oldest first: what is owed and since when.' })
  arrears() {
    return this.billing.arrears();
  }

  @Get('invoices/:invoiceId/pdf')
  @Roles(...BILLING_READERS)
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'An invoice as the client receives it (PDF): lines, totals, due date and how to pay.' })
  async invoicePdf(@Param('invoiceId') invoiceId: string, @Res() res: Response) {
    const { number, pdf } = await this.billing.staffInvoicePdf(invoiceId);
    res.type('application/pdf').attachment(`${number}.pdf`).send(pdf);
  }

  @Get('reconciliation')
  @Roles(...BILLING_READERS)
  @ApiOperation({ summary: "A day's reconciliation of the ledger with invoices, payments, refunds and claim payouts: each check with both figures and the difference, and any unbalanced entry." })
  reconciliationOf(@Query() query: ReconciliationQuery) {
    return this.reconciliation.forDay(query.day);
  }

  @Get('adjustments')
  @Roles(...BILLING_READERS)
  @ApiOperation({ summary: 'Manual adjustments by status: `pending` is the approvals queue, oldest first.' })
  listAdjustments(@Query() query: AdjustmentQuery) {
    return this.adjustments.list(query.status);
  }

  @Post('adjustments')
  @Roles(...ADJUSTMENT_REQUESTERS)
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Required: makes a repeated request the same adjustment (answered 200 with Idempotent-Replayed: true), so a retry never adjusts twice.' })
  @ApiOperation({ summary: "Ask for a signed adjustment of a policy's open invoice (or of its next one). Up to the threshold it applies at once; above, it waits for another manager." })
  async requestAdjustment(@Caller() staff: Principal, @Body() input: AdjustmentRequestInput, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (key === undefined) throw Problem.invalidField('Idempotency-Key', 'is required: a retry without it would adjust twice');
    if (!IDEMPOTENCY_KEY.test(key)) throw Problem.invalidField('Idempotency-Key', 'must be 1 to 128 visible ASCII characters');
    const { adjustment, replayed } = await this.adjustments.request(staff, input, key);
    res.status(replayed ? 200 : 201);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return adjustment;
  }

  @Post('adjustments/:adjustmentId/decision')
  @HttpCode(200)
  @Roles(ROLES.manager)
  @ApiOperation({ summary: 'Approve or reject a pending adjustment: a manager other than the one who asked.' })
  decide(@Caller() staff: Principal, @Param('adjustmentId') adjustmentId: string, @Body() input: AdjustmentDecisionInput) {
    return this.adjustments.decide(staff, adjustmentId, input.decision);
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/invoices')
@Roles(ROLES.client)
export class MyInvoicePdfController {
  constructor(private readonly billing: StaffBillingService) {}

  @Get(':invoiceId/pdf')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'My invoice as PDF: lines, totals, due date and how to pay.' })
  async pdf(@Caller() caller: Principal, @Param('invoiceId') invoiceId: string, @Res() res: Response) {
    const { number, pdf } = await this.billing.clientInvoicePdf(caller, invoiceId);
    res.type('application/pdf').attachment(`${number}.pdf`).send(pdf);
  }
}
