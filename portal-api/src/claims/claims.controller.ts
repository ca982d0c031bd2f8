import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { Problem } from '../http/problem';
import { ClaimAccess } from './claim-access';
import { ClaimEventsRepository } from './claim-events.repository';
import { ClaimLiveUpdates } from './claim-live-updates';
import { claimView, timelineView } from './claim-views';
import { ClaimListQuery, CreateClaimInput, ProvideInformationInput } from './claim.dto';
import { ClaimsService } from './claims.service';
import { CLAIM_REQUEST_FORM_ID, PublishedForms } from '../forms/published-forms';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
const HEARTBEAT_MS = 15_000;

@ApiTags('claims')
@ApiBearerAuth()
@Controller('claims')
export class ClaimsController {
  constructor(
    private readonly claims: ClaimsService,
    private readonly access: ClaimAccess,
    private readonly events: ClaimEventsRepository,
    private readonly live: ClaimLiveUpdates,
    private readonly forms: PublishedForms,
  ) {}

  @Post()
  @Roles(ROLES.client)
  @ApiOperation({ summary: 'File a reimbursement request as a draft (status draft, no process yet): attach its receipts, then send it with POST /claims/{id}/submission.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes a repeated submission the same claim (answered 200 with Idempotent-Replayed: true).' })
  async create(@Caller() caller: Principal, @Body() input: CreateClaimInput, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw Problem.invalidField('Idempotency-Key', 'must be 1 to 128 visible ASCII characters');
    const { claim, replayed } = await this.claims.create(caller, input, key);
    res.status(replayed ? 200 : 201);
    res.setHeader('Location', `/api/claims/${claim.id}`);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return claimView(claim, { forClient: true });
  }

  @Post(':claimId/submission')
  @HttpCode(200)
  @Roles(ROLES.client)
  @ApiOperation({ summary: 'Send a draft: it becomes received and its process starts, once. A claim already sent answers as it is (200, Idempotent-Replayed: true).' })
  async submit(@Caller() caller: Principal, @Param('claimId') claimId: string, @Res({ passthrough: true }) res: Response) {
    const { claim, replayed } = await this.claims.submit(caller, claimId);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return claimView(claim, { forClient: true });
  }

  @Get()
  @ApiOperation({ summary: 'Clients: my claims, drafts too. Staff: all submitted claims, filtered (drafts only with status=draft).' })
  list(@Caller() caller: Principal, @Query() query: ClaimListQuery) {
    return this.claims.list(caller, query);
  }

  @Get('request-form')
  @Roles(ROLES.client)
  @ApiOperation({ summary: 'The reimbursement request form (form-js schema): the newest published version of the claim-request form.' })
  async requestForm() {
    const form = await this.forms.latest(CLAIM_REQUEST_FORM_ID);
    if (!form) throw Problem.notFound('form', CLAIM_REQUEST_FORM_ID);
    return { schema: form.schema, formId: form.formId, version: form.version };
  }

  @Get(':claimId')
  @ApiOperation({ summary: 'A claim with its timeline, items, breakdown, documents and payouts.' })
  detail(@Caller() caller: Principal, @Param('claimId') claimId: string) {
    return this.claims.detail(caller, claimId);
  }

  @Post(':claimId/information')
  @HttpCode(202)
  @ApiOperation({ summary: 'Answer a request for information; the claim process resumes.' })
  provideInformation(@Caller() caller: Principal, @Param('claimId') claimId: string, @Body() input: ProvideInformationInput) {
    return this.claims.provideInformation(caller, claimId, input);
  }

  /**
   * Server-Sent Events: `status` with the claim as it is now, then one
   * `timeline` event per new history entry. Resumes after Last-Event-ID.
   */
  @Get(':claimId/live')
  @ApiOperation({ summary: 'Live status of a claim (text/event-stream).' })
  async liveStatus(@Caller() caller: Principal, @Param('claimId') claimId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const claim = await this.access.claim(caller, claimId, 'read');
    const forClient = !this.access.seesAll(caller, 'read');
    res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    let lastId = typeof req.headers['last-event-id'] === 'string' && /^\d+$/.test(req.headers['last-event-id']) ? req.headers['last-event-id'] : '0';
    let busy: Promise<void> = Promise.resolve();
    const push = (first = false) => {
      busy = busy.then(async () => {
        const fresh = await this.events.list(claim.id, { forClient, afterId: lastId });
        if (fresh.length === 0 && !first) return;
        const current = await this.claims.load(claim.id);
        res.write(`event: status\ndata: ${JSON.stringify(claimView(current, { forClient }))}\n\n`);
        for (const entry of timelineView(fresh)) {
          res.write(`id: ${entry.id}\nevent: timeline\ndata: ${JSON.stringify(entry)}\n\n`);
          lastId = entry.id;
        }
      }).catch(() => {
        res.end();
      });
    };
    const unsubscribe = await this.live.subscribe(claim.id, () => push());
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
    push(true);
  }
}
