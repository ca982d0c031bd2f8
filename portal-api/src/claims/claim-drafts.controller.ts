import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { ClaimDraft } from './claim-draft.entity';

/** A form's worth of data: far below the body limit, so one client cannot fill the table. */
const MAX_DRAFT_BYTES = 64 * 1024;

export class SaveDraftInput {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The claim request form\'s data as the client left it.' })
  @IsObject()
  data!: Record<string, unknown>;
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/claim-draft')
@Roles(ROLES.client)
export class ClaimDraftsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'My unsent reimbursement request, if I saved one (`draft: null` otherwise).' })
  async get(@Caller() caller: Principal) {
    const draft = await this.dataSource.getRepository(ClaimDraft).findOneBy({ subject: caller.subject });
    return { draft: draft ? { data: draft.data, updatedAt: draft.updatedAt.toISOString() } : null };
  }

  @Put()
  @ApiOperation({ summary: 'Save my unsent request (replaces the one saved before). Receipts are attached when sending.' })
  async save(@Caller() caller: Principal, @Body() input: SaveDraftInput) {
    if (Buffer.byteLength(JSON.stringify(input.data)) > MAX_DRAFT_BYTES) throw Problem.invalidField('data', `must be at most ${MAX_DRAFT_BYTES / 1024} KiB of JSON`);
    await this.dataSource.query('INSERT INTO claim_draft (subject, data, updated_at) VALUES ($1, $2, now()) ON CONFLICT (subject) DO UPDATE SET data = EXCLUDED.data, updated_at = now()', [caller.subject, JSON.stringify(input.data)]);
    return this.get(caller);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Discard my unsent request (also done when a claim is submitted).' })
  async discard(@Caller() caller: Principal): Promise<void> {
    await this.dataSource.getRepository(ClaimDraft).delete({ subject: caller.subject });
  }
}
