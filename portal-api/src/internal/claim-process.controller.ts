import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { Problem } from '../http/problem';

export class ClaimProcessInput {
  @ApiProperty({ example: '2251799813685251', description: 'The process instance the claim-submitted message started.' })
  @Matches(/^\d{1,20}$/, { message: 'must be a process instance key (digits)' })
  processInstanceKey!: string;
}

/**
 * The first step of a claim's process records which instance carries the
 * claim (a message start does not answer it to the portal). The first
 * instance to record wins; another one answers 409, so that a second
 * instance, should one ever start, stops before it does anything.
 */
@ApiTags('internal (workers)')
@ApiBearerAuth()
@Controller('internal/claims')
@Roles(ROLES.worker)
export class ClaimProcessController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  @Post(':claimId/process-instance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the process instance of a submitted claim (first one wins; the same one again is 200; another is 409).' })
  async record(@Caller() worker: Principal, @Param('claimId') claimId: string, @Body() input: ClaimProcessInput) {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    return this.dataSource.transaction(async (manager) => {
      const [claim] = await manager.query<{ status: string; process_instance_key: string | null }[]>(`SELECT status, process_instance_key FROM claim WHERE id = $1 FOR UPDATE`, [claimId]);
      if (!claim) throw Problem.notFound('claim', claimId);
      if (claim.status === 'draft') throw Problem.conflict(`Claim ${claimId} is a draft: it has not been submitted, so no process may carry it.`);
      if (claim.process_instance_key === input.processInstanceKey) return { claimId, processInstanceKey: input.processInstanceKey, recorded: false };
      if (claim.process_instance_key !== null) {
        throw Problem.conflict(`Claim ${claimId} is carried by process instance ${claim.process_instance_key}, not ${input.processInstanceKey}.`);
      }
      await manager.query(`UPDATE claim SET process_instance_key = $2, updated_at = now(), version = version + 1 WHERE id = $1`, [claimId, input.processInstanceKey]);
      await this.audit.record(manager, worker, { action: 'claim.process-started', entityType: 'claim', entityId: claimId, details: { processInstanceKey: input.processInstanceKey } });
      return { claimId, processInstanceKey: input.processInstanceKey, recorded: true };
    });
  }
}
