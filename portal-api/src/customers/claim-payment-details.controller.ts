import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Caller, Roles } from '../auth/auth.guard';
import { type Principal } from '../auth/principal';
import { PAYMENT_DETAILS_EDITORS, PaymentDetailsService } from './payment-details.service';

export class PaymentDetailsInput {
  @ApiProperty({ example: 'Chloé Dubois' }) @IsString() @MinLength(2) @MaxLength(140) accountHolder!: string;
  /** Checked by ibantools in the service (country, length, checksum), so the answer can say which. */
  @ApiProperty({ example: 'NL91 ABNA 0417 1643 00', description: 'IBAN; spaces allowed, checked by country, length and checksum.' }) @IsString() @MaxLength(64) iban!: string;
  @ApiPropertyOptional({ example: '2251799813685301', description: 'The task the change is made from (e.g. "Fix payment details"); it must be a task of this claim. Recorded in the audit entry.' })
  @IsOptional()
  @IsString()
  @MaxLength(19)
  userTaskKey?: string;
}

/**
 * A client's bank details, changed by staff from the claim (or its "Fix
 * payment details" task) they are working on, never by customer id alone:
 * the change is tied to a claim, audited with the account endings only, and
 * the client is told by email.
 */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('claims')
export class ClaimPaymentDetailsController {
  constructor(private readonly paymentDetails: PaymentDetailsService) {}

  @Get(':claimId/payment-details')
  @Roles(...PAYMENT_DETAILS_EDITORS)
  @ApiOperation({ summary: 'The account the claim\'s client is paid into: holder and last four characters only (call center, managers).' })
  current(@Caller() caller: Principal, @Param('claimId') claimId: string) {
    return this.paymentDetails.current(caller, claimId);
  }

  @Put(':claimId/payment-details')
  @Roles(...PAYMENT_DETAILS_EDITORS)
  @ApiOperation({ summary: 'Replace the bank details of the claim\'s client (call center, managers); audited, and the client is emailed.' })
  replace(@Caller() caller: Principal, @Param('claimId') claimId: string, @Body() input: PaymentDetailsInput) {
    return this.paymentDetails.replace(caller, claimId, input);
  }
}
