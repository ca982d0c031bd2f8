import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export const PAYMENT_METHOD_KINDS = ['sepa-direct-debit', 'card'] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHOD_KINDS)[number];

/**
 * A new default payment method for a policy: a SEPA mandate the client gives
 * here (holder and IBAN, checked by ibantools in the service so the answer
 * can say what is wrong) or a card the provider's page tokenised in the
 * browser (the card number never reaches us: only the token and its last four
 * digits).
 */
export class PaymentMethodInput {
  @ApiProperty({ enum: PAYMENT_METHOD_KINDS, example: 'sepa-direct-debit' }) @IsIn(PAYMENT_METHOD_KINDS) kind!: PaymentMethodKind;

  @ApiPropertyOptional({ example: 'Chloé Dubois', description: 'For a direct debit: the account holder.' })
  @ValidateIf((o: PaymentMethodInput) => o.kind === 'sepa-direct-debit')
  @IsString()
  @MinLength(2)
  @MaxLength(140)
  accountHolder?: string;

  @ApiPropertyOptional({ example: 'DE89 3704 0044 0532 0130 00', description: 'For a direct debit: the IBAN; spaces allowed, checked by country, length and checksum.' })
  @ValidateIf((o: PaymentMethodInput) => o.kind === 'sepa-direct-debit')
  @IsString()
  @MaxLength(64)
  iban?: string;

  @ApiPropertyOptional({ example: 'tok_visa', description: 'For a card: the token the provider gave the browser.' })
  @ValidateIf((o: PaymentMethodInput) => o.kind === 'card')
  @IsString()
  @Matches(/^(tok|pm)_[A-Za-z0-9_]{1,120}$/, { message: 'must be a card token from the payment provider (tok_… or pm_…)' })
  cardToken?: string;

  @ApiPropertyOptional({ example: '4242', description: 'For a card: its last four digits, as the provider returned them.' })
  @ValidateIf((o: PaymentMethodInput) => o.kind === 'card')
  @IsString()
  @Matches(/^\d{4}$/, { message: 'must be the last four digits of the card' })
  cardLast4?: string;

  @ApiPropertyOptional({ example: 'visa' })
  @ValidateIf((o: PaymentMethodInput) => o.kind === 'card' && o.cardBrand !== undefined)
  @IsString()
  @MaxLength(20)
  cardBrand?: string;
}
