import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { formatCents } from '../applications/money-text';
import { type Principal } from '../auth/principal';
import { toCents } from '../benefits/cents';
import { type Claim } from '../claims/claim.entity';
import { ClaimsService } from '../claims/claims.service';
import { insertDraft, intakeOf } from '../claims/draft-filing';
import { formatDate } from '../claims/readable-dates';
import { Problem } from '../http/problem';
import { ClientMailer } from '../notifications/client-mailer';
import { LOGGER } from '../tokens';
import { InteractionsService } from './interactions.service';
import { type PhoneClaimInput } from './service.dto';

/**
 * A claim an agent files for a client during a call. The claim is born with
 * its channel (`phone`) and agent, both in its first audit entry; the call is
 * sent (the agent's submission starts the claim's process as any other);
 * then the call is logged on the customer's interactions with the claim
 * linked, and the email telling the client is queued in the same
 * transaction (the portal's outbox).
 *
 * The Idempotency-Key is required: each step either finds what a first try
 * did (the claim by its key, the interaction by a key derived from the
 * claim, the submission by the claim's status) or does it, so a retry after a
 * lost answer or a crash between steps finishes the job and never files, logs
 * or mails twice.
 */
@Injectable()
export class PhoneClaimsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly claims: ClaimsService,
    private readonly interactions: InteractionsService,
    private readonly mailer: ClientMailer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async file(agent: Principal, customerId: string, input: PhoneClaimInput, idempotencyKey: string): Promise<{ claim: Claim; replayed: boolean; interactionId: string; clientNotified: boolean }> {
    const { callSummary, ...claimInput } = input;
    const [customer] = await this.dataSource.query<{ subject: string }[]>('SELECT subject FROM customer WHERE id = $1', [customerId]);
    if (!customer) throw Problem.notFound('customer', customerId);
    // The call's summary is part of the request: the same key with another summary is another request.
    const requestHash = createHash('sha256').update(canonicalize({ ...claimInput, callSummary: callSummary?.trim() || null, byPhone: true }) ?? '').digest('hex');
    const today = new Date().toISOString().slice(0, 10);
    const future = claimInput.items.findIndex((item) => item.serviceDate > today);
    const intake = (await intakeOf(this.dataSource, customer.subject, claimInput.policyId, idempotencyKey, future < 0))!;

    let claimId = intake.earlier_id;
    let replayed = claimId !== null;
    if (claimId !== null) {
      const [earlier] = await this.dataSource.query<{ request_hash: string; reference: string }[]>('SELECT request_hash, reference FROM claim WHERE id = $1', [claimId]);
      if (earlier!.request_hash !== requestHash) {
        throw Problem.unprocessable(`Idempotency-Key "${idempotencyKey}" was already used for claim ${earlier!.reference} with a different request. Use a new key for a new claim.`, [{ name: 'Idempotency-Key', reason: 'was used for a different request' }]);
      }
    } else {
      if (intake.policy_id === null) throw new Problem(404, 'Not found', `Expected policy ${claimInput.policyId} to be one of the customer's, but it is not.`, [{ name: 'policyId', reason: "is not one of this customer's policies" }]);
      if (future >= 0) throw Problem.invalidField(`items[${future}].serviceDate`, 'must not be in the future');
      try {
        ({ claimId } = await insertDraft(this.dataSource, { principal: agent, input: claimInput, customerId, policyId: intake.policy_id, currency: intake.currency!, seq: intake.seq!, year: today.slice(0, 4), idempotencyKey, requestHash, byPhone: { agent: agent.username } }));
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        // Two requests with one key raced: the winner's claim is finished here too.
        claimId = (await intakeOf(this.dataSource, customer.subject, claimInput.policyId, idempotencyKey, false))!.earlier_id;
        replayed = true;
      }
    }
    const filed = await this.claims.load(claimId!);
    // Sent first: the client is told of a claim on its way, never of one whose submission failed. A retry
    // after a failure here sends it (a sent claim answers as it is) and only then logs and mails.
    const { claim } = await this.claims.submit(agent, filed.id, { byFilingAgent: true });

    const logged = await this.dataSource.transaction(async (manager) => {
      const { interaction, replayed: loggedBefore } = await this.interactions.log(manager, agent, {
        customerId,
        channel: 'call',
        direction: 'in',
        summary: callSummary?.trim() || `Claim ${claim.reference} filed for the customer during the call`,
        outcome: `Claim ${claim.reference} filed`,
        claimId: claim.id,
        policyId: claim.policyId,
        idempotencyKey: `phone-claim:${claim.id}`,
      });
      // Queued with the interaction, after the submission committed: the client is told exactly once (the mailer's sweep sends it if this process stops first).
      const noticeId = loggedBefore
        ? undefined
        : await this.mailer.queue(manager, { customerId, claimId: claim.id, template: 'claim-filed-by-phone', values: { claimReference: claim.reference, filedOn: formatDate(today), totalClaimed: formatCents(toCents(claim.totalClaimed), claim.currency) } });
      return { interactionId: interaction.id, noticeId };
    });

    const clientNotified = logged.noticeId ? await this.mailer.deliver(logged.noticeId) : true;
    this.logger.info({ claimId: claim.id, customerId, agent: agent.username, replayed }, 'claim filed by phone');
    return { claim, replayed, interactionId: logged.interactionId, clientNotified };
  }
}
