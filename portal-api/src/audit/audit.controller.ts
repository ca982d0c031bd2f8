import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard';
import { ROLES } from '../auth/principal';
import { Problem } from '../http/problem';
import { AuditLog } from './audit-log';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
@Roles(ROLES.admin)
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries, newest first; page with ?before=<seq>.' })
  @ApiQuery({ name: 'entityType', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'before', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Query('entityType') entityType?: string, @Query('entityId') entityId?: string, @Query('actor') actor?: string, @Query('action') action?: string, @Query('before') before?: string, @Query('limit') limit?: string) {
    if (before !== undefined && !/^\d{1,18}$/.test(before)) throw Problem.invalidField('before', 'must be an entry sequence number');
    const size = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 500) throw Problem.invalidField('limit', 'must be a whole number from 1 to 500');
    const entries = await this.audit.search({ entityType, entityId, actor, action, beforeSeq: before, limit: size });
    return { items: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
  }

  @Get('verification')
  @ApiOperation({ summary: 'Recomputes the hash chain: valid, or the first entry that was changed or removed.' })
  verify() {
    return this.audit.verifyChain();
  }
}
