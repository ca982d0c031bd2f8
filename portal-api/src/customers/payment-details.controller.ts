import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIBAN, IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { Problem } from '../http/problem';
import { Customer } from './customer.entity';

export class PaymentDetailsInput {
  @ApiProperty({ example: 'Chloe Martin' }) @IsString() @MinLength(2) @MaxLength(140) accountHolder!: string;
  @ApiProperty({ example: 'NL91ABNA0417164300', description: 'IBAN; spaces allowed, checked by its checksum.' }) @IsIBAN() iban!: string;
}

/**
 * Staff correct a client's bank details, typically in the "Fix payment
 * details" task after a payout bounced. Audited, with the old and new account
 * endings only.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers')
export class PaymentDetailsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  @Put(':customerId/payment-details')
  @Roles(ROLES.callCenter, ROLES.manager)
  @ApiOperation({ summary: 'Replace a client\'s bank details (call center, managers).' })
  async replace(@Caller() caller: Principal, @Param('customerId') customerId: string, @Body() input: PaymentDetailsInput) {
    if (!isUuid(customerId)) throw Problem.notFound('customer', customerId);
    const iban = input.iban.replace(/\s+/g, '').toUpperCase();
    return this.dataSource.transaction(async (manager) => {
      const customer = await manager.getRepository(Customer).findOne({ where: { id: customerId }, lock: { mode: 'pessimistic_write' } });
      if (!customer) throw Problem.notFound('customer', customerId);
      const before = (customer.iban ?? '').slice(-4) || null;
      await manager.getRepository(Customer).update({ id: customer.id }, { iban, accountHolder: input.accountHolder.trim() });
      await this.audit.record(manager, caller, { action: 'payment-details.replaced', entityType: 'customer', entityId: customer.id, details: { before, after: iban.slice(-4) } });
      return { customerId: customer.id, accountHolder: input.accountHolder.trim(), accountEnding: iban.slice(-4) };
    });
  }
}
