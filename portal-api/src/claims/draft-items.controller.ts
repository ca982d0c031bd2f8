import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { decimalOfCents, fromCents, toCents } from '../benefits/cents';
import { Problem } from '../http/problem';
import { ClaimAccess, isUuid } from './claim-access';
import { ClaimEventsRepository } from './claim-events.repository';
import { claimView } from './claim-views';
import { ClaimItemInput } from './claim.dto';
import { ClaimsService } from './claims.service';

export class DraftItemsInput {
  @ApiProperty({ type: [ClaimItemInput], minItems: 1, maxItems: 50 })
  @IsArray() @ArrayMinSize(1, { message: 'must list at least one care item' }) @ArrayMaxSize(50)
  @ValidateNested({ each: true }) @Type(() => ClaimItemInput)
  items!: ClaimItemInput[];
}

/**
 * The care items of a draft, set by its client before sending it: a draft
 * opened from receipts mailed to the claims mailbox has none (only the
 * receipts), and the client says what the care was here. Only a draft's
 * items change; a sent claim's are the process's.
 */
@ApiTags('claims')
@ApiBearerAuth()
@Controller('claims')
@Roles(ROLES.client)
export class DraftItemsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ClaimAccess,
    private readonly events: ClaimEventsRepository,
    private readonly audit: AuditLog,
    private readonly claims: ClaimsService,
  ) {}

  @Put(':claimId/items')
  @ApiOperation({ summary: 'Replace the care items of my draft (e.g. one opened from receipts I emailed), then send it with POST /claims/{id}/submission. A claim already sent is 409.' })
  async replace(@Caller() caller: Principal, @Param('claimId') claimId: string, @Body() input: DraftItemsInput) {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    const today = new Date().toISOString().slice(0, 10);
    const future = input.items.findIndex((item) => item.serviceDate > today);
    if (future >= 0) throw Problem.invalidField(`items[${future}].serviceDate`, 'must not be in the future');
    const cents = input.items.map((item) => toCents(item.amount));
    const total = cents.reduce((sum, c) => sum + c, 0);
    await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ status: string; subject: string; reference: string }[]>('SELECT c.status, c.reference, cu.subject FROM claim c JOIN customer cu ON cu.id = c.customer_id WHERE c.id = $1 FOR UPDATE OF c', [claimId]);
      if (!row || !this.access.may(caller, { customer: row }, 'submit')) throw Problem.notFound('claim', claimId);
      if (row.status !== 'draft') throw Problem.conflict(`Claim ${row.reference} was already sent; its care items no longer change.`);
      await manager.query('DELETE FROM claim_item WHERE claim_id = $1', [claimId]);
      for (const [index, item] of input.items.entries()) {
        await manager.query(
          `INSERT INTO claim_item (claim_id, line_number, service_date, provider_name, provider_id, care_code, description, invoice_number, amount, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, 'pending')`,
          [claimId, index + 1, item.serviceDate, item.providerName.trim(), item.providerId?.trim() || null, item.careCode, item.description ?? null, item.invoiceNumber?.trim() || null, decimalOfCents(cents[index]!)],
        );
      }
      await manager.query('UPDATE claim SET total_claimed = $2::numeric, updated_at = now(), version = version + 1 WHERE id = $1', [claimId, decimalOfCents(total)]);
      await this.events.append(manager, claimId, { kind: 'note', message: `Care items set: ${input.items.length}.`, visibleToClient: true, actor: caller.username });
      await this.audit.record(manager, caller, { action: 'claim.items-replaced', entityType: 'claim', entityId: claimId, details: { items: input.items.length, totalClaimed: fromCents(total) } });
    });
    return claimView(await this.claims.load(claimId), { forClient: true });
  }
}
