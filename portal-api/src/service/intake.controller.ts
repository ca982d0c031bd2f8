import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, Roles } from '../auth/auth.guard';
import { hasRole, ROLES, type Principal } from '../auth/principal';
import { CLAIM_PURPOSES, isUuid } from '../claims/claim-access';
import { Problem } from '../http/problem';
import { EmailIntake } from './email-intake';
import { IntakeAssignmentInput, IntakeDismissalInput, IntakeListQuery } from './intake.dto';

/** Call-center agents work the queue; their team leads (managers) too. */
export const INTAKE_ROLES = [ROLES.callCenter, ROLES.manager];

/** The team a resolution counts for on the dashboards. */
function teamOf(agent: Principal): string {
  return hasRole(agent, ROLES.callCenter) ? ROLES.callCenter : ROLES.manager;
}

interface EmailRow {
  id: string;
  from_address: string;
  from_name: string;
  subject: string;
  received_at: Date;
  status: string;
  queue_reason: string | null;
  customer_id: string | null;
  claim_id: string | null;
  claim_reference: string | null;
  customer_name: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  dismiss_reason: string | null;
  attachments: number;
  refused: number;
}

function emailView(row: EmailRow) {
  return {
    id: row.id,
    from: { address: row.from_address, name: row.from_name },
    subject: row.subject,
    receivedAt: row.received_at.toISOString(),
    status: row.status,
    queueReason: row.queue_reason,
    customer: row.customer_id ? { id: row.customer_id, fullName: row.customer_name } : null,
    claim: row.claim_id ? { id: row.claim_id, reference: row.claim_reference } : null,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    dismissReason: row.dismiss_reason,
    attachments: row.attachments,
    refusedAttachments: row.refused,
  };
}

const EMAIL_COLUMNS = `e.id, e.from_address, e.from_name, e.subject, e.received_at, e.status, e.queue_reason, e.customer_id, e.claim_id, c.reference AS claim_reference,
  cu.full_name AS customer_name, e.resolved_by, e.resolved_at, e.dismiss_reason,
  (SELECT count(*)::int FROM intake_attachment a WHERE a.email_id = e.id) AS attachments,
  (SELECT count(*)::int FROM intake_attachment a WHERE a.email_id = e.id AND a.refused_reason IS NOT NULL) AS refused
  FROM intake_email e LEFT JOIN claim c ON c.id = e.claim_id LEFT JOIN customer cu ON cu.id = e.customer_id`;

@ApiTags('service')
@ApiBearerAuth()
@Controller('service/intake')
@Roles(...INTAKE_ROLES)
export class IntakeController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intake: EmailIntake,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Mail to the claims mailbox: the queue of what was not matched (oldest first), or what was handled.' })
  async list(@Query() query: IntakeListQuery) {
    const status = query.status ?? 'queued';
    const where = status === 'queued' ? `e.status = 'queued'` : status === 'handled' ? `e.status <> 'queued'` : 'true';
    const order = status === 'queued' ? 'e.received_at ASC, e.id' : 'e.received_at DESC, e.id';
    const rows = await this.dataSource.query<EmailRow[]>(`SELECT ${EMAIL_COLUMNS} WHERE ${where} ORDER BY ${order} OFFSET $1 LIMIT $2`, [query.offset ?? 0, query.limit ?? 50]);
    const [{ total }] = await this.dataSource.query<[{ total: number }]>(`SELECT count(*)::int AS total FROM intake_email e WHERE ${where}`);
    return { total, items: rows.map(emailView) };
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'One mail: sender, subject, attachments (types, sizes, why one was refused; never their content) and the customers its sender could be. The text and the attachments\' file names only for staff who may read documents (managers): receipts are medical, and the client\'s text may describe the care; call-center agents triage by sender, subject, count and types.',
  })
  async get(@Caller() caller: Principal, @Param('id') id: string) {
    if (!isUuid(id)) throw Problem.notFound('mail', id);
    const [row] = await this.dataSource.query<(EmailRow & { body_text: string })[]>(`SELECT ${EMAIL_COLUMNS.replace('e.subject,', 'e.subject, e.body_text,')} WHERE e.id = $1`, [id]);
    if (!row) throw Problem.notFound('mail', id);
    const attachments = await this.dataSource.query<{ position: number; file_name: string; media_type: string | null; size_bytes: number; refused_reason: string | null; document_id: string | null }[]>(
      'SELECT position, file_name, media_type, size_bytes, refused_reason, document_id FROM intake_attachment WHERE email_id = $1 ORDER BY position',
      [id],
    );
    // Who the sender may be: customers with that address or a name like the sender's, for the agent to choose from.
    const candidates = await this.dataSource.query<{ id: string; full_name: string; email: string }[]>(
      `SELECT id, full_name, email FROM customer WHERE lower(email) = $1 OR ($2 <> '' AND similarity(full_name, $2) > 0.4) ORDER BY lower(email) = $1 DESC, similarity(full_name, $2) DESC LIMIT 5`,
      [row.from_address, row.from_name],
    );
    // The same rule as the customer 360 page (customer-overview.ts): names of medical documents only for document readers.
    const readsDocuments = hasRole(caller, ...CLAIM_PURPOSES.documents);
    return {
      ...emailView(row),
      ...(readsDocuments ? { text: row.body_text } : {}),
      attachmentList: attachments.map((a) => ({
        position: a.position,
        ...(readsDocuments ? { fileName: a.file_name } : {}),
        mediaType: a.media_type,
        size: a.size_bytes,
        // A refusal quotes the file name: without it for those who may not see the name.
        refusedReason: readsDocuments || !a.refused_reason ? a.refused_reason : a.refused_reason.replaceAll(a.file_name, 'the file'),
        filed: a.document_id !== null,
      })),
      candidates: candidates.map((c) => ({ id: c.id, fullName: c.full_name, email: c.email })),
    };
  }

  @Post(':id/assignment')
  @HttpCode(200)
  @ApiOperation({ summary: 'File a queued mail for a customer: its accepted attachments go to one of their open claims (`claimId`) or open a draft claim they complete on the extranet; the client is told by email. A mail already handled is 409.' })
  async assign(@Caller() caller: Principal, @Param('id') id: string, @Body() input: IntakeAssignmentInput) {
    if (!isUuid(id)) throw Problem.notFound('mail', id);
    return this.intake.assign(caller, teamOf(caller), id, input.customerId, input.claimId);
  }

  @Post(':id/dismissal')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set a queued mail aside with a reason. A mail already handled is 409.' })
  async dismiss(@Caller() caller: Principal, @Param('id') id: string, @Body() input: IntakeDismissalInput) {
    if (!isUuid(id)) throw Problem.notFound('mail', id);
    await this.intake.dismiss(caller, teamOf(caller), id, input.reason);
    return { id, status: 'dismissed' };
  }
}
