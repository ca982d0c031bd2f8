import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsUUID, Matches } from 'class-validator';

const DATE = { message: 'must be a date as YYYY-MM-DD' };

/** `GET /api/me/invoices/preview?policyId=`: which policy's next invoice. */
export class InvoicePreviewQuery {
  @ApiProperty({ format: 'uuid', description: 'One of my policies.' })
  @IsUUID('all', { message: 'must be a policy id (a UUID)' })
  policyId!: string;
}

/** `POST /api/billing/runs`: the day to bill for (today when left out). */
export class BillingRunInput {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'The billing day, today or up to 31 days back (a later day is refused with 422): periods starting up to the lead days after it are invoiced, dated the real day of issue.' })
  @IsOptional() @IsDateString({ strict: true }, DATE) @Matches(/^\d{4}-\d{2}-\d{2}$/, DATE)
  billingDay?: string;
}
