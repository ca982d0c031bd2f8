import { createHash } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { Caller, Roles } from '../auth/auth.guard';
import { ROLES, type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { claimView } from '../claims/claim-views';
import { Problem } from '../http/problem';
import { LOGGER } from '../tokens';
import { CustomerOverview } from './customer-overview';
import { timelinePage } from './customer-timeline';
import { FollowUpStarter } from './follow-up-starter';
import { type FollowUp, FollowUpsService } from './follow-ups.service';
import { InteractionsService } from './interactions.service';
import { PhoneClaimsService } from './phone-claims.service';
import { FollowUpClosureInput, FollowUpInstanceInput, FollowUpWorkerClosureInput, InteractionCorrectionDto, InteractionInputDto, PhoneClaimInput, TimelineQuery } from './service.dto';

/**
 * Who works with the customer 360: call-center agents (customer service),
 * managers (team leads) and adjusters (they call clients about claims).
 * Investigators and operations find customers in the search but do not get
 * this page; underwriters, analysts and admins neither.
 */
export const CUSTOMER_SERVICE_ROLES = [ROLES.callCenter, ROLES.manager, ROLES.adjuster] as const;
/** Who files a claim for a client during a call and closes follow-ups: the call center and its team leads. */
export const CUSTOMER_AGENT_ROLES = [ROLES.callCenter, ROLES.manager] as const;

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * An agent's Idempotency-Key, scoped to the agent (the table scopes it to the
 * customer): two agents who happen to pick the same key log two contacts.
 * The subject is hashed to keep the stored key within its length.
 */
function agentKey(staff: Principal, key: string | undefined): string | undefined {
  return key === undefined ? undefined : `agent:${createHash('sha256').update(staff.subject).digest('hex').slice(0, 16)}:${key}`;
}

/** Whether a retried request asks for the follow-up the first one scheduled (or, both, for none). */
function sameFollowUp(scheduled: FollowUp | null, asked: InteractionInputDto['followUp']): boolean {
  if (!scheduled || !asked) return !scheduled && !asked;
  return Date.parse(scheduled.dueAt) === Date.parse(asked.dueAt) && scheduled.assigneeAgent === (asked.assigneeAgent ?? null) && scheduled.assigneeTeam === (asked.assigneeTeam ?? null);
}

function customerIdOf(id: string): string {
  if (!isUuid(id)) throw Problem.notFound('customer', id);
  return id;
}

@ApiTags('customer service')
@ApiBearerAuth()
@Controller('customers/:customerId')
@Roles(...CUSTOMER_SERVICE_ROLES)
export class CustomerServiceController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly overviews: CustomerOverview,
    private readonly interactions: InteractionsService,
    private readonly followUps: FollowUpsService,
    private readonly starter: FollowUpStarter,
    private readonly phoneClaims: PhoneClaimsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('overview')
  @ApiOperation({ summary: 'The customer on one page: profile, policies with coverage left, claims, documents (kinds, no contents), interactions, open tasks, follow-ups and the first timeline page.' })
  overview(@Caller() staff: Principal, @Param('customerId') customerId: string) {
    return this.overviews.overview(staff, customerIdOf(customerId));
  }

  @Get('timeline')
  @ApiOperation({ summary: 'The customer timeline, newest first, paged by the `next` cursor of the page before.' })
  async timeline(@Param('customerId') customerId: string, @Query() query: TimelineQuery) {
    const id = customerIdOf(customerId);
    const [found] = await this.dataSource.query<unknown[]>('SELECT 1 FROM customer WHERE id = $1', [id]);
    if (!found) throw Problem.notFound('customer', id);
    return timelinePage(this.dataSource.manager, id, { limit: query.limit ?? 20, before: query.before });
  }

  @Post('interactions')
  @ApiOperation({ summary: 'Log a contact (call, email, chat, letter, SMS), optionally linked to a claim or policy and with a follow-up; staff notes never reach the client.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The same key logs the contact once (answered 200 with Idempotent-Replayed: true).' })
  async log(@Caller() staff: Principal, @Param('customerId') customerId: string, @Body() input: InteractionInputDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw Problem.invalidField('Idempotency-Key', 'must be 1 to 128 visible ASCII characters');
    const id = customerIdOf(customerId);
    // A few minutes of leeway for the agent's clock; a contact is logged when it has happened.
    if (input.occurredAt && Date.parse(input.occurredAt) > Date.now() + 5 * 60_000) throw Problem.invalidField('occurredAt', 'must not be in the future');
    const followUp = input.followUp;
    if (followUp && (followUp.assigneeAgent === undefined) === (followUp.assigneeTeam === undefined)) throw Problem.invalidField('followUp.assigneeAgent', 'or followUp.assigneeTeam must be given, not both');
    const { followUp: _followUp, occurredAt, ...contact } = input;
    const logged = await this.dataSource.transaction(async (manager) => {
      const { interaction, replayed } = await this.interactions.log(manager, staff, { ...contact, customerId: id, occurredAt: occurredAt ? new Date(occurredAt) : undefined, idempotencyKey: agentKey(staff, key) });
      if (replayed) {
        // A retry gets the stored answer, even once the due date it asked for has passed.
        const scheduled = await this.followUps.byInteraction(manager, interaction.id);
        if (!sameFollowUp(scheduled, followUp)) throw Problem.unprocessable(`Idempotency-Key "${key}" was already used for interaction ${interaction.id} with a different follow-up. Use a new key for a new contact.`, [{ name: 'Idempotency-Key', reason: 'was used for a different request' }]);
        return { interaction, replayed, followUp: scheduled };
      }
      if (!followUp) return { interaction, replayed, followUp: null };
      if (Date.parse(followUp.dueAt) <= Date.now()) throw Problem.invalidField('followUp.dueAt', 'must be in the future');
      const scheduled = await this.followUps.schedule(manager, staff, { customerId: id, interactionId: interaction.id, assignee: followUp.assigneeAgent ? { agent: followUp.assigneeAgent } : { team: followUp.assigneeTeam! }, dueAt: new Date(followUp.dueAt) });
      return { interaction, replayed, followUp: scheduled };
    });
    // After the commit: the follow-up is kept whatever the engine does; the sweep publishes it if this fails.
    if (logged.followUp && !logged.replayed) await this.starter.start(logged.followUp);
    this.logger.info({ customerId: id, interactionId: logged.interaction.id, channel: logged.interaction.channel, followUpId: logged.followUp?.id, replayed: logged.replayed }, 'interaction logged');
    res.status(logged.replayed ? 200 : 201);
    if (logged.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { interaction: logged.interaction, followUp: logged.followUp };
  }

  @Post('interactions/:interactionId/corrections')
  @ApiOperation({ summary: 'Correct a logged contact: a new entry that reads in place of the original, which stays (audited).' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Required: a retry with the same key records the correction once (answered 200 with Idempotent-Replayed: true).' })
  async correct(@Caller() staff: Principal, @Param('customerId') customerId: string, @Param('interactionId') interactionId: string, @Body() input: InteractionCorrectionDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (key === undefined || !IDEMPOTENCY_KEY.test(key)) throw Problem.invalidField('Idempotency-Key', 'must be given, 1 to 128 visible ASCII characters');
    const id = customerIdOf(customerId);
    if (!isUuid(interactionId) || !(await this.interactions.find(this.dataSource.manager, id, interactionId))) throw Problem.notFound('interaction', interactionId);
    const { interaction, replayed } = await this.interactions.logAlone(staff, { ...input, customerId: id, correctsId: interactionId, idempotencyKey: agentKey(staff, key) });
    res.status(replayed ? 200 : 201);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { interaction };
  }

  @Post('claims')
  @Roles(...CUSTOMER_AGENT_ROLES)
  @ApiOperation({ summary: 'File and send a claim for the client during a call: channel phone and the agent recorded and audited, the call logged, the client told by email.' })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Required: a retry with the same key finishes the first filing instead of filing again.' })
  async fileByPhone(@Caller() agent: Principal, @Param('customerId') customerId: string, @Body() input: PhoneClaimInput, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (key === undefined || !IDEMPOTENCY_KEY.test(key)) throw Problem.invalidField('Idempotency-Key', 'must be given, 1 to 128 visible ASCII characters');
    const filed = await this.phoneClaims.file(agent, customerIdOf(customerId), input, key);
    res.status(filed.replayed ? 200 : 201);
    res.setHeader('Location', `/api/claims/${filed.claim.id}`);
    if (filed.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { ...claimView(filed.claim, { forClient: false }), interactionId: filed.interactionId, clientNotified: filed.clientNotified };
  }
}

@ApiTags('customer service')
@ApiBearerAuth()
@Controller('follow-ups/:followUpId')
@Roles(...CUSTOMER_AGENT_ROLES)
export class FollowUpsController {
  constructor(
    private readonly followUps: FollowUpsService,
    private readonly starter: FollowUpStarter,
  ) {}

  @Post('closure')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a follow-up with its outcome (on the customer timeline); its task in the staff app is completed. Closing it again answers it as it is.' })
  async close(@Caller() staff: Principal, @Param('followUpId') followUpId: string, @Body() input: FollowUpClosureInput, @Res({ passthrough: true }) res: Response) {
    if (!isUuid(followUpId)) throw Problem.notFound('follow-up', followUpId);
    const { followUp, replayed } = await this.followUps.close(staff, followUpId, input.outcome.trim());
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    else await this.starter.completeTasks(followUp);
    return followUp;
  }
}

const TEAM_LEADS_DUE_AFTER_MS = 86_400_000;

/** The follow-up process's steps, for the job workers' service account only. */
@ApiTags('internal (workers)')
@ApiBearerAuth()
@Controller('internal/follow-ups/:followUpId')
@Roles(ROLES.worker)
export class FollowUpProcessController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Post('process-instance')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the process instance driving the follow-up (the first key recorded stays); open false when it was closed first, so no task opens.' })
  record(@Param('followUpId') followUpId: string, @Body() input: FollowUpInstanceInput) {
    if (!isUuid(followUpId)) throw Problem.notFound('follow-up', followUpId);
    return this.followUps.recordInstance(followUpId, input.processInstanceKey);
  }

  @Post('escalation')
  @HttpCode(200)
  @ApiOperation({ summary: 'The due date passed: mark the follow-up escalated unless it was closed meanwhile (escalated false); leadsDueAt is when the team leads\' task falls due.' })
  async escalate(@Caller() worker: Principal, @Param('followUpId') followUpId: string) {
    if (!isUuid(followUpId)) throw Problem.notFound('follow-up', followUpId);
    const { escalated, followUp } = await this.followUps.escalate(worker, followUpId);
    // The team leads' task is due a day after the escalation: an ISO date-time, as Zeebe's due date wants.
    const leadsDueAt = followUp.escalatedAt ? new Date(Date.parse(followUp.escalatedAt) + TEAM_LEADS_DUE_AFTER_MS).toISOString() : null;
    return { escalated, status: followUp.status, leadsDueAt };
  }

  @Post('closure')
  @HttpCode(200)
  @ApiOperation({ summary: 'A follow-up task was completed in the task list: record its outcome (a follow-up already closed stays as it is).' })
  async close(@Caller() worker: Principal, @Param('followUpId') followUpId: string, @Body() input: FollowUpWorkerClosureInput) {
    if (!isUuid(followUpId)) throw Problem.notFound('follow-up', followUpId);
    const actor = { subject: worker.subject, username: input.closedBy ?? worker.username };
    const { followUp } = await this.followUps.close(actor, followUpId, input.outcome ?? 'Closed from the task list');
    return followUp;
  }
}
