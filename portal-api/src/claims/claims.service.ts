import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { DataSource, EntityNotFoundError, In } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { hasRole, ROLES, type Principal } from '../auth/principal';
import { CustomersRepository } from '../customers/customers.repository';
import { roundMoney } from '../database/numeric';
import { PaymentDateEstimates } from '../dashboards/payment-date-estimate';
import { ClaimDocument } from '../documents/document.entity';
import { Problem } from '../http/problem';
import { Payout } from '../payouts/payout.entity';
import { ClaimAccess, isUuid } from './claim-access';
import { ClaimEventsRepository } from './claim-events.repository';
import { ClaimInformationAnswer } from './claim-information-answer.entity';
import { ClaimItem } from './claim-item.entity';
import { CLAIM_STATUSES, STATUS_WORDING, type ClaimStatus } from './claim-status';
import { claimView, documentView, payoutView, timelineView } from './claim-views';
import { Claim } from './claim.entity';
import { type ClaimListQuery, type CreateClaimInput, type ProvideInformationInput } from './claim.dto';
import { IncidentWatch } from './incident-watch';
import { InformationPublisher } from './information-publisher';
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
    const intake = await this.intake(principal.subject, input.policyId, idempotencyKey);
    if (!intake) throw Problem.forbidden('Only insured clients can file a claim, and your account is not linked to a customer record.');
    const customer = { id: intake.customer_id };
    if (idempotencyKey !== undefined && intake.earlier_id !== null) {
      const earlier = await this.replay(customer.id, idempotencyKey, requestHash);
      if (earlier) return { claim: earlier, replayed: true };
    }
    if (intake.policy_id === null) throw new Problem(404, 'Not found', `Expected policy ${input.policyId} to be one of yours, but it is not.`, [{ name: 'policyId', reason: 'is not one of your policies' }]);
    const policy = { id: intake.policy_id, currency: intake.currency! };
    const today = new Date().toISOString().slice(0, 10);
    const future = input.items.findIndex((item) => item.serviceDate > today);
    if (future >= 0) throw Problem.invalidField(`items[${future}].serviceDate`, 'must not be in the future');

    let claim: Claim;
    try {
      claim = await this.dataSource.transaction(async (manager) => {
        const [{ seq }] = await manager.query<[{ seq: string }]>(`SELECT nextval('claim_reference_seq') AS seq`);
        const created = await manager.getRepository(Claim).save(
          manager.getRepository(Claim).create({
            reference: `CLM-${today.slice(0, 4)}-${seq.padStart(6, '0')}`,
            customerId: customer.id,
            policyId: policy.id,
            status: 'draft',
            currency: policy.currency,
            totalClaimed: roundMoney(input.items.reduce((sum, item) => sum + item.amount, 0)),
            description: input.description ?? null,
            idempotencyKey: idempotencyKey ?? null,
            requestHash,
            items: input.items.map((item, index) =>
              manager.getRepository(ClaimItem).create({
                lineNumber: index + 1,
                serviceDate: item.serviceDate,
                providerName: item.providerName.trim(),
                providerId: item.providerId?.trim() || null,
                careCode: item.careCode,
                description: item.description ?? null,
                invoiceNumber: item.invoiceNumber?.trim() || null,
                amount: item.amount,
                status: 'pending',
              }),
            ),
          }),
        );
        await this.events.append(manager, created.id, { kind: 'status-changed', status: 'draft', message: STATUS_WORDING.draft, visibleToClient: true, actor: principal.username });
        // The claim's id is the database's, unknown outside this transaction: its audit stream starts here.
        await this.audit.recordFirst(manager, principal, { action: 'claim.created', entityType: 'claim', entityId: created.id, details: { reference: created.reference, totalClaimed: created.totalClaimed, items: input.items.length } });
        return created;
      });
    } catch (error) {
      // Two submissions with one key raced: the loser answers the winner's claim.
      if (idempotencyKey !== undefined && (error as { code?: string }).code === '23505') {
        const earlier = await this.replay(customer.id, idempotencyKey, requestHash);
        if (earlier) return { claim: earlier, replayed: true };
      }
      throw error;
    }
    return { claim: await this.load(claim.id), replayed: false };
  }

  /**
   * Sends a draft: it becomes `received` (timeline and audit entry, the form
   * draft it was finished from discarded) in one transaction that holds the
   * claim's row, then, after the commit, its process is started. A claim
   * already sent answers as it is (`replayed`), so a repeat, a double click
   * or two requests at once give one submission; the start itself is made
   * once by the engine (see ProcessStarter).
   */
  async submit(principal: Principal, claimId: string): Promise<{ claim: Claim; replayed: boolean }> {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    const submitted = await this.dataSource.transaction(async (manager) => {
      // Who may send it is decided on the row held: the same answer ClaimAccess gives, without a read of its own.
      const [row] = await manager.query<{ status: ClaimStatus; reference: string; subject: string }[]>(
        `SELECT c.status, c.reference, cu.subject FROM claim c JOIN customer cu ON cu.id = c.customer_id WHERE c.id = $1 FOR UPDATE OF c`,
        [claimId],
      );
      if (!row || !this.access.may(principal, { customer: row }, 'submit')) throw Problem.notFound('claim', claimId);
      if (row.status !== 'draft') return false;
      // One statement: the status, its timeline entry (the trigger on claim_event tells live views), the
      // form draft it was finished from discarded (the request is sent), and the documents counted for the audit.
      const [{ documents }] = await manager.query<[{ documents: number }]>(
        `WITH sent AS (UPDATE claim SET status = 'received', submitted_at = now(), updated_at = now(), version = version + 1 WHERE id = $1),
              timeline AS (INSERT INTO claim_event (claim_id, kind, status, message, visible_to_client, actor) VALUES ($1, 'status-changed', 'received', $3, true, $4)),
              discarded AS (DELETE FROM claim_draft WHERE subject = $2)
         SELECT count(*)::int AS documents FROM document WHERE claim_id = $1`,
        [claimId, principal.subject, STATUS_WORDING.received, principal.username],
      );
      await this.audit.record(manager, principal, { action: 'claim.submitted', entityType: 'claim', entityId: claimId, details: { reference: row.reference, documents } });
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

  /**
   * What filing needs to know, in one statement: the caller's customer record
   * (none: undefined), the policy if it is theirs, and whether the
   * idempotency key names a claim of theirs already.
   */
  private async intake(subject: string, policyId: string, idempotencyKey: string | undefined) {
    const [row] = await this.dataSource.query<{ customer_id: string; policy_id: string | null; currency: string | null; earlier_id: string | null }[]>(
      `SELECT cu.id AS customer_id, p.id AS policy_id, p.currency, e.id AS earlier_id
         FROM customer cu
         LEFT JOIN policy p ON p.id = $2 AND p.customer_id = cu.id
         LEFT JOIN claim e ON e.customer_id = cu.id AND e.idempotency_key = $3
        WHERE cu.subject = $1`,
      [subject, policyId, idempotencyKey ?? null],
    );
    return row;
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
      const customer = await this.customers.bySubject(principal.subject);
      if (!customer || !hasRole(principal, ROLES.client)) throw Problem.forbidden('Only clients and claims staff can list claims.');
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
