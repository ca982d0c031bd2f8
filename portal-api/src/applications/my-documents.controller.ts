import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { DataSource } from 'typeorm';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { DocumentStorage } from '../documents/document-storage';
import { Problem } from '../http/problem';

interface ClientDocumentRow {
  id: string;
  kind: string;
  name: string;
  media_type: string;
  size: number;
  storage_key: string;
  policy_id: string | null;
  policy_number: string | null;
  created_at: Date;
}

/** "My documents": what the insurer sent the client outside a claim (each policy's schedule). Another client's is 404. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me/documents')
@Roles(ROLES.client)
export class MyDocumentsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: DocumentStorage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My documents, newest first: policy schedules.' })
  async mine(@Caller() caller: Principal) {
    const rows = await this.dataSource.query<ClientDocumentRow[]>(
      `SELECT d.id, d.kind, d.name, d.media_type, d.size, d.policy_id, p.number AS policy_number, d.created_at FROM client_document d JOIN customer c ON c.id = d.customer_id LEFT JOIN policy p ON p.id = d.policy_id WHERE c.subject = $1 ORDER BY d.created_at DESC`,
      [caller.subject],
    );
    return { items: rows.map((d) => ({ id: d.id, kind: d.kind, name: d.name, mediaType: d.media_type, size: d.size, policyId: d.policy_id, policyNumber: d.policy_number, createdAt: d.created_at.toISOString() })) };
  }

  @Get(':documentId/content')
  @ApiOperation({ summary: 'The bytes of one of my documents.' })
  async content(@Caller() caller: Principal, @Param('documentId') id: string, @Res({ passthrough: true }) res: Response) {
    if (!isUuid(id)) throw Problem.notFound('document', id);
    const [row] = await this.dataSource.query<ClientDocumentRow[]>(`SELECT d.id, d.name, d.media_type, d.size, d.storage_key FROM client_document d JOIN customer c ON c.id = d.customer_id WHERE d.id = $1 AND c.subject = $2`, [id, caller.subject]);
    if (!row) throw Problem.notFound('document', id);
    res.set({
      'content-type': row.media_type,
      'content-length': String(row.size),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    return new StreamableFile(await this.storage.read(row.storage_key));
  }
}
