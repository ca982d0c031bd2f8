import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { DataSource, EntityNotFoundError, In } from 'typeorm';
import { AUDIT_ENTRY_COLUMNS, AuditLog, auditEntryValues, chainedEntry, lastHashSql, streamLockSql, streamOf } from '../audit/audit-log';
import { hasRole, ROLES, type Principal } from '../auth/principal';
import { CustomersRepository } from '../customers/customers.repository';
import { PaymentDateEstimates } from '../dashboards/payment-date-estimate';
import { ClaimDocument } from '../documents/document.entity';
import { Problem } from '../http/problem';
import { Payout } from '../payouts/payout.entity';
import { ClaimAccess, isUuid } from './claim-access';
import { ClaimEventsRepository } from './claim-events.repository';
import { ClaimInformationAnswer } from './claim-information-answer.entity';
import { CLAIM_STATUSES, STATUS_WORDING, type ClaimStatus } from './claim-status';
import { claimView, documentView, payoutView, timelineView } from './claim-views';
import { Claim } from './claim.entity';
import { type ClaimListQuery, type CreateClaimInput, type ProvideInformationInput } from './claim.dto';
import { IncidentWatch } from './incident-watch';
import { InformationPublisher } from './information-publisher';
import { insertDraft, intakeOf } from './draft-filing';
import { ProcessStarter } from './process-starter';

/** The message the claim process waits for after asking the client for information. */

@Injectable()
export class ClaimsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ClaimAccess,
    private readonly customers: CustomersRepository,
    private readonly events: ClaimEventsRepository,
    private readonly audit: AuditLog,
    private readonly starter: ProcessStarter,
    private readonly information: InformationPublisher,
    private readonly incidents: IncidentWatch,
    private readonly estimates: PaymentDateEstimates,
  ) {}

  /**
   * Files a claim for the caller as a draft: stored with its items, no process
   * yet, so that its receipts are attached before anything checks it
   * (submit() sends it). The same idempotency key with the same body answers
   * the claim already filed (`replayed`); with another body it is refused, as
   * the IETF Idempotency-Key draft says.
   */
  async create(principal: Principal, input: CreateClaimInput, idempotencyKey: string | undefined): Promise<{ claim: Claim; replayed: boolean }> {
    const requestHash = createHash('sha256').update(canonicalize(input) ?? '').digest('hex');
    const today = new Date().toISOString().slice(0, 10);
    const future = input.items.findIndex((item) => item.serviceDate > today);
    const intake = await intakeOf(this.dataSource, principal.subject, input.policyId, idempotencyKey, future < 0);
    if (!intake) throw Problem.forbidden('Only insured clients can file a claim, and your account is not linked to a customer record.');
    const customer = { id: intake.customer_id };
    if (idempotencyKey !== undefined && intake.earlier_id !== null) {
      const earlier = await this.replay(customer.id, idempotencyKey, requestHash);
      if (earlier) return { claim: earlier, replayed: true };
    }
    if (intake.policy_id === null) throw new Problem(404, 'Not found', `Expected policy ${input.policyId} to be one of yours, but it is not.`, [{ name: 'policyId', reason: 'is not one of your policies' }]);
    if (future >= 0) throw Problem.invalidField(`items[${future}].serviceDate`, 'must not be in the future');

    let claimId: string;
    try {
      // Plain SQL, one statement: the claim path's hottest write (see draft-filing.ts and the README's profile).
      ({ claimId } = await insertDraft(this.dataSource, { principal, input, customerId: customer.id, policyId: intake.policy_id, currency: intake.currency!, seq: intake.seq!, year: today.slice(0, 4), idempotencyKey, requestHash }));
    } catch (error) {
      // Two submissions with one key raced: the loser answers the winner's claim.
      if (idempotencyKey !== undefined && (error as { code?: string }).code === '23505') {
        const earlier = await this.replay(customer.id, idempotencyKey, requestHash);
        if (earlier) return { claim: earlier, replayed: true };
      }
      throw error;
    }
    return { claim: await this.load(claimId), replayed: false };
  }

  /**
   * Sends a draft: it becomes `received` (timeline and audit entry, the form
   * draft it was finished from discarded) in one transaction that holds the
   * claim's row, then, after the commit, its process is started. A claim
   * already sent answers as it is (`replayed`), so a repeat, a double click
   * or two requests at once give one submission; the start itself is made
   * once by the engine (see ProcessStarter). `byFilingAgent`: the agent who
   * filed the claim for the client during a call sends it (phone claims), no
   * one else.
   */
  async submit(principal: Principal, claimId: string, options: { byFilingAgent?: boolean } = {}): Promise<{ claim: Claim; replayed: boolean }> {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    const stream = streamOf({ entityType: 'claim', entityId: claimId });
    // Plain SQL, three statements between BEGIN and COMMIT (was five): the claim path's hot write.
    const submitted = await this.dataSource.transaction(async (manager) => {
      // Who may send it is decided on the row held: the same answer ClaimAccess gives, without a read of its own.
      // The claim's row first, then its audit stream's lock (the order every claim write takes them in).
      const [row] = await manager.query<{ status: ClaimStatus; reference: string; subject: string; filed_by_agent: string | null }[]>(
        `WITH held AS MATERIALIZED (SELECT c.status, c.reference, cu.subject, c.filed_by_agent FROM claim c JOIN customer cu ON cu.id = c.customer_id WHERE c.id = $1 FOR UPDATE OF c)
         SELECT held.*, ${streamLockSql(2)} FROM held`,
        [claimId, stream],
      );
      const maySend = options.byFilingAgent ? row?.filed_by_agent === principal.username : row && this.access.may(principal, { customer: row }, 'submit');
      if (!row || !maySend) throw Problem.notFound('claim', claimId);
      if (row.status !== 'draft') return false;
      // A statement after the lock: the stream's last entry as its last holder committed it, and the documents counted for the audit.
      const [{ documents, items, last_hash: lastHash }] = await manager.query<[{ documents: number; items: number; last_hash: string | null }]>(
        `SELECT (SELECT count(*)::int FROM document WHERE claim_id = $1) AS documents, (SELECT count(*)::int FROM claim_item WHERE claim_id = $1) AS items, ${lastHashSql(2)} AS last_hash`,
        [claimId, stream],
      );
      // A draft opened from an emailed receipt has no care items until the client adds them (PUT /claims/{id}/items).
      if (items === 0) throw Problem.unprocessable('Add the care items (what, when, how much) before sending this request.', [{ name: 'items', reason: 'must list at least one care item' }]);
      const audit = auditEntryValues(chainedEntry(principal, { action: 'claim.submitted', entityType: 'claim', entityId: claimId, details: { reference: row.reference, documents } }, lastHash), 5);
      // One statement: the status, its timeline entry (the trigger on claim_event tells live views), the
      // form draft it was finished from discarded (the request is sent), and the audit entry.
      await manager.query(
        `WITH sent AS (UPDATE claim SET status = 'received', submitted_at = now(), updated_at = now(), version = version + 1 WHERE id = $1),
              timeline AS (INSERT INTO claim_event (claim_id, kind, status, message, visible_to_client, actor) VALUES ($1, 'status-changed', 'received', $3, true, $4)),
              discarded AS (DELETE FROM claim_draft WHERE subject = $2)
         INSERT INTO audit_entry (${AUDIT_ENTRY_COLUMNS}) VALUES (${audit.placeholders})`,
        // A claim an agent filed by phone leaves the client's own unfinished form alone.
        [claimId, options.byFilingAgent ? null : row.subject, STATUS_WORDING.received, principal.username, ...audit.params],
      );
      return true;
    });
    const claim = await this.load(claimId);
    // Only the submission that made the claim received publishes its start. A repeat does not: a
    // publication racing ahead of the first one would start the instance and leave the first buffered,
    // to start another once that instance ends (Zeebe's rule). A start that did not reach the engine
    // is published again by the sweep. The claim just read after the commit is what it publishes.
    if (submitted) await this.starter.start(claimId, { claim });
    return { claim, replayed: !submitted };
  }

  private async replay(customerId: string, idempotencyKey: string, requestHash: string): Promise<Claim | undefined> {
    const earlier = await this.dataSource.getRepository(Claim).findOne({ where: { customerId, idempotencyKey }, relations: { items: true } });
    if (!earlier) return undefined;
    if (earlier.requestHash !== requestHash) {
      throw Problem.unprocessable(`Idempotency-Key "${idempotencyKey}" was already used for claim ${earlier.reference} with a different request. Use a new key for a new claim.`, [{ name: 'Idempotency-Key', reason: 'was used for a different request' }]);
    }
    return earlier;
  }

  async list(principal: Principal, query: ClaimListQuery) {
    if (query.status !== undefined && !(CLAIM_STATUSES as readonly string[]).includes(query.status)) {
      throw Problem.invalidField('status', `must be one of ${CLAIM_STATUSES.join(', ')}`);
    }
    const builder = this.dataSource.getRepository(Claim).createQueryBuilder('c').leftJoinAndSelect('c.items', 'i').orderBy('c.submittedAt', 'DESC').addOrderBy('c.id', 'ASC');
    const forClient = !this.access.seesAll(principal, 'read');
    if (forClient) {
      if (!hasRole(principal, ROLES.client)) throw Problem.forbidden('Only clients and claims staff can list claims.');
      const customer = await this.customers.bySubject(principal.subject);
      // A client without a customer record yet (no policy issued) has filed nothing.
      if (!customer) return { items: [], total: 0 };
      builder.where('c.customer_id = :customerId', { customerId: customer.id });
    } else if (query.customerId) {
      builder.where('c.customer_id = :customerId', { customerId: query.customerId });
    }
    if (query.status) builder.andWhere('c.status = :status', { status: query.status });
    // Drafts are the client's business until sent: staff see them only when they ask for them.
    else if (!forClient) builder.andWhere(`c.status <> 'draft'`);
    if (query.reference) builder.andWhere('c.reference = :reference', { reference: query.reference });
    const [claims, total] = await builder.skip(query.offset ?? 0).take(query.limit ?? 50).getManyAndCount();
    return { items: claims.map((claim) => claimView(claim, { forClient })), total };
  }

  /** The claim with its timeline, documents and payouts, as the caller may see it. */
  async detail(principal: Principal, claimId: string) {
    const claim = await this.access.claim(principal, claimId, 'read', ['items']);
    const forClient = !this.access.seesAll(principal, 'read');
    const seesDocuments = this.access.may(principal, claim, 'documents');
    const [events, documents, payouts, incident, estimatedPayment] = await Promise.all([
      this.events.list(claim.id, { forClient }),
      seesDocuments ? this.dataSource.getRepository(ClaimDocument).find({ where: { claimId: claim.id }, relations: { versions: true }, order: { createdAt: 'ASC' } }) : Promise.resolve([]),
      this.dataSource.getRepository(Payout).find({ where: { claimId: claim.id }, order: { createdAt: 'ASC' } }),
      this.incidents.hasOpenIncident(claim.processInstanceKey),
      this.estimates.forClaim(claim),
    ]);
    return {
      ...claimView(claim, { forClient, estimatedPayment }),
      // The process is stopped on an incident: the client is told of a delay (never the incident's message), staff see it flagged.
      technicalDelay: incident === true,
      timeline: timelineView(events),
      documents: documents.map(documentView),
      payouts: payouts.map(payoutView),
    };
  }

  /** The client's answer to a request for information: recorded and committed, then the waiting process is told (InformationPublisher). */
  async provideInformation(principal: Principal, claimId: string, input: ProvideInformationInput) {
    const claim = await this.access.claim(principal, claimId, 'answer');
    if (claim.status !== 'information-requested') {
      throw Problem.conflict(`Expected claim ${claim.reference} to be waiting for information, but it is ${claim.status}.`);
    }
    if (input.documentIds?.length) {
      const found = await this.dataSource.getRepository(ClaimDocument).count({ where: { id: In(input.documentIds), claimId: claim.id } });
      if (found !== new Set(input.documentIds).size) throw Problem.invalidField('documentIds', 'must name documents uploaded to this claim');
    }
    const kept = await this.dataSource.transaction(async (manager) => {
      const updated = await manager.getRepository(Claim).update({ id: claim.id, status: 'information-requested' }, { status: 'validating', informationRequested: null, informationDue: null });
      if (!updated.affected) throw Problem.conflict(`Claim ${claim.reference} is no longer waiting for information.`);
      const answer = input.message.trim();
      const stored = await manager.getRepository(ClaimInformationAnswer).save(
        manager.getRepository(ClaimInformationAnswer).create({ claimId: claim.id, question: claim.informationRequested, answer, documentIds: input.documentIds ?? [], answeredBy: principal.username }),
      );
      const appended = await this.events.append(manager, claim.id, { kind: 'information-provided', status: 'validating', message: `You sent the information we asked for. We are checking your request again.\nYour answer: ${answer}`, visibleToClient: true, actor: principal.username });
      await this.audit.record(manager, principal, { action: 'claim.information-provided', entityType: 'claim', entityId: claim.id, details: { answerId: stored.id, documentIds: input.documentIds ?? [], length: answer.length } });
      return { eventId: appended.id, answerId: stored.id };
    });
    // After the commit: the answer is kept whatever the engine does; if it is down, the sweep publishes it later.
    const published = await this.information.publish(kept.answerId);
    return { claimId: claim.id, eventId: kept.eventId, status: 'validating' as ClaimStatus, published };
  }

  /** The client's answers to requests for information, oldest first, each with its question. */
  async informationAnswers(claimId: string) {
    const answers = await this.dataSource.getRepository(ClaimInformationAnswer).find({ where: { claimId }, order: { answeredAt: 'ASC' } });
    return answers.map((a) => ({ id: a.id, question: a.question, answer: a.answer, documentIds: a.documentIds, answeredBy: a.answeredBy, answeredAt: a.answeredAt.toISOString() }));
  }

  /** The claim with its items in line order: one statement (a find with relations sends two). */
  async load(claimId: string): Promise<Claim> {
    const claim = await this.dataSource.getRepository(Claim).createQueryBuilder('c').leftJoinAndSelect('c.items', 'i').where('c.id = :claimId', { claimId }).orderBy('i.line_number', 'ASC').getOne();
    if (!claim) throw new EntityNotFoundError(Claim, { id: claimId });
    return claim;
  }
}
