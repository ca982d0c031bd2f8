import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLog } from '../audit/audit-log';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { todayUtc } from '../products/quote-dates';
import { checkBillingDay } from './billing-run';
import { BillingRunScheduler } from './billing-run-scheduler';
import { BillingRunInput, InvoicePreviewQuery } from './billing.dto';
import { MyInvoices } from './my-invoices';

/** Who may start a billing run by hand: operations staff and administrators. */
export const BILLING_RUN_ROLES = [ROLES.operations, ROLES.admin] as const;

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/invoices')
@Roles(ROLES.client)
export class MyInvoicesController {
  constructor(private readonly invoices: MyInvoices) {}

  @Get()
  @ApiOperation({ summary: 'My premium invoices, the latest period first: status, due date, total and what is open.' })
  list(@Caller() caller: Principal) {
    return this.invoices.list(caller);
  }

  @Get('preview')
  @ApiOperation({ summary: 'The next invoice of one of my policies, line by line, as the billing run will issue it.' })
  preview(@Caller() caller: Principal, @Query() query: InvoicePreviewQuery) {
    return this.invoices.preview(caller, query.policyId);
  }

  @Get(':invoiceId')
  @ApiOperation({ summary: 'One of my invoices with its lines.' })
  one(@Caller() caller: Principal, @Param('invoiceId') invoiceId: string) {
    return this.invoices.one(caller, invoiceId);
  }
}

@ApiTags('billing')
@ApiBearerAuth()
@Controller('billing/runs')
@Roles(...BILLING_RUN_ROLES)
export class BillingRunsController {
  constructor(
    private readonly scheduler: BillingRunScheduler,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the premium billing run for today or a day up to 31 days back (idempotent; invoices dated today): how many invoices and credit notes it issued.' })
  async run(@Caller() staff: Principal, @Body() input: BillingRunInput) {
    const counts = await this.scheduler.run(checkBillingDay(input.billingDay ?? todayUtc()));
    // Who billed when, by hand: the daily run is the scheduler's, this one a person's.
    await this.audit.recordAlone(staff, { action: 'billing.run', entityType: 'billing-run', entityId: counts.billingDay, details: { ...counts } });
    return counts;
  }
}
