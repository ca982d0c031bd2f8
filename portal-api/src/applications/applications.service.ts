import { createHash } from 'node:crypto';
import { type Readable } from 'node:stream';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { RetrySweep } from '../claims/retry-sweep';
import { checkFileName, detectMediaType } from '../documents/content-check';
import { DocumentStorage } from '../documents/document-storage';
import { type UploadedFile } from '../documents/documents.service';
import { checkedIban } from '../customers/payment-details.service';
import { EngineClient } from '../engine/engine-client';
import { Problem, type InvalidParam } from '../http/problem';
import { todayUtc } from '../products/quote-dates';
import { LOGGER } from '../tokens';
import { type AssessmentInput, type CreateApplicationInput, type DeclineInput, type InformationRequestInput, type OfferInput } from './application.dto';
import { issuePolicy, type IssuedPolicy } from './issue-policy';
import { underwritingFacts, type HealthAnswers } from './questionnaire';
import { reasonsInWords } from './reason-wording';

export const APPLICATION_PROCESS_ID = 'policy-application';
export const MESSAGES = {
  submitted: 'policy-application-submitted',
  informationProvided: 'application-information-provided',
  offerAccepted: 'application-offer-accepted',
} as const;
const SWEEP_EVERY_MS = 15_000;
const SUBMISSION_TTL_MS = 3_600_000;

export type ApplicationStatus = 'submitted' | 'referred' | 'information-requested' | 'offered' | 'accepted' | 'issued' | 'declined' | 'expired';

interface ApplicationRow {
  id: string;
  reference: string;
  owner_subject: string;
  quote_id: string;
  status: ApplicationStatus;
  people: { role: 'policyholder' | 'dependant'; fullName: string; birthDate: string }[];
  contact: { email: string; phone?: string };
  questionnaire: HealthAnswers[];
  outcome: string | null;
  reason_codes: string[];
  client_reason: string | null;
  information_request: string | null;
  information_kind: string | null;
  information_due: Date | null;
  information_answer: string | null;
  offer_valid_until: Date | null;
  process_instance_key: string | null;
  decided_by: string | null;
  policy_id: string | null;
  /** Where reimbursements go once the policy is issued; never shown whole. */
  iban: string | null;
  account_holder: string | null;
  /** The applicant's SEPA mandate for premiums on that account, given with the application. */
  premiums_by_direct_debit: boolean;
  accepted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  // joined from the quote
  product_name: string;
  product_code: string;
  currency: string;
  yearly_premium_cents: string;
  period_premium_cents: string;
  payment_frequency: string;
  deductible_cents: string;
  starts_on: string;
  insured: { role: string; birthDate: string; age: number }[];
  policy_number: string | null;
  documents: { id: string; name: string; mediaType: string; createdAt: string }[];
}

const SELECT_APPLICATION = `
  SELECT a.*, p.name AS product_name, p.code AS product_code, q.currency, q.yearly_premium_cents, q.period_premium_cents, q.payment_frequency, q.deductible_cents,
         to_char(q.starts_on, 'YYYY-MM-DD') AS starts_on, q.insured, pol.number AS policy_number,
         (SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'mediaType', d.media_type, 'createdAt', d.created_at) ORDER BY d.created_at), '[]'::json)
            FROM application_document d WHERE d.application_id = a.id) AS documents
    FROM policy_application a
    JOIN quote q ON q.id = a.quote_id
    JOIN product_version v ON v.id = q.product_version_id
    JOIN product p ON p.id = v.product_id
    LEFT JOIN policy pol ON pol.id = a.policy_id`;

/** While an application is being decided, the client may send documents with it. */
const OPEN_TO_DOCUMENTS: readonly ApplicationStatus[] = ['submitted', 'referred', 'information-requested'];

async function checkUpload(file: UploadedFile | undefined): Promise<{ name: string; mediaType: string; sha256: string }> {
  if (!file) throw Problem.invalidField('file', 'is required (multipart/form-data field "file")');
  const name = checkFileName(file.originalname);
  if (file.size === 0) throw Problem.invalidField('file', 'is empty');
  const mediaType = await detectMediaType(file.buffer, name);
  return { name, mediaType, sha256: createHash('sha256').update(file.buffer).digest('hex') };
}

/** Statuses in which the decline reasons are the client's to read. */
const REASONS_SHOWN: readonly ApplicationStatus[] = ['declined'];

/** The application as its client sees it: no staff notes, no rule internals beyond the reasons of a decline, in words. */
export function clientView(a: ApplicationRow) {
  return {
    id: a.id,
    reference: a.reference,
    status: a.status,
    quoteId: a.quote_id,
    product: { code: a.product_code, name: a.product_name },
    startsOn: a.starts_on,
    currency: a.currency,
    yearlyPremiumCents: Number(a.yearly_premium_cents),
    periodPremiumCents: Number(a.period_premium_cents),
    paymentFrequency: a.payment_frequency,
    deductibleCents: Number(a.deductible_cents),
    people: a.people,
    declineReasons: REASONS_SHOWN.includes(a.status) ? [...reasonsInWords(a.reason_codes), ...(a.client_reason ? [a.client_reason] : [])] : [],
    informationRequest: a.status === 'information-requested' ? { question: a.information_request, kind: a.information_kind, due: a.information_due?.toISOString() ?? null, answered: a.information_answer !== null } : null,
    offer: a.offer_valid_until && ['offered', 'accepted', 'issued', 'expired'].includes(a.status) ? { validUntil: a.offer_valid_until.toISOString(), acceptedAt: a.accepted_at?.toISOString() ?? null } : null,
    policy: a.policy_id ? { id: a.policy_id, number: a.policy_number } : null,
    documents: a.documents,
    // The account is shown by its last four characters only, as everywhere.
    paymentAccount: a.iban ? { accountHolder: a.account_holder, accountEnding: a.iban.slice(-4), premiumsByDirectDebit: a.premiums_by_direct_debit } : null,
    createdAt: a.created_at.toISOString(),
  };
}

/**
 * Policy applications: the client applies from one of their quotes, the
 * `policy-application` process decides (rules, then an underwriter when
 * referred), the client answers a request for information and accepts the
 * offer. The portal keeps the record, medical answers included; the process
 * gets ids, the premium, and outcome and reason codes. Every change to the
 * engine follows "commit, then publish", with a sweep that publishes again
 * what the engine did not take (message ids make a repeat harmless).
 */
@Injectable()
export class ApplicationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly sweeper: RetrySweep;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
    private readonly storage: DocumentStorage,
    private readonly audit: AuditLog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.sweeper = new RetrySweep('application messages', SWEEP_EVERY_MS, () => this.publishWaiting(), logger);
  }

  onApplicationBootstrap(): void {
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  // --- the client ---

  async apply(caller: Principal, input: CreateApplicationInput) {
    const id = await this.dataSource.transaction(async (manager) => {
      const [quote] = await manager.query<{ id: string; insured: { role: string; birthDate: string; age: number }[]; valid_until: string; yearly_premium_cents: string }[]>(
        `SELECT id, insured, to_char(valid_until, 'YYYY-MM-DD') AS valid_until, yearly_premium_cents FROM quote WHERE id = $1 AND owner_subject = $2`,
        [input.quoteId, caller.subject],
      );
      if (!quote) throw Problem.unprocessable('This application names no quote of yours.', [{ name: 'quoteId', reason: 'is not one of your quotes' }]);
      const errors: InvalidParam[] = [];
      if (quote.valid_until < todayUtc()) errors.push({ name: 'quoteId', reason: `expired on ${quote.valid_until}: ask for a new quote` });
      if (input.people.length !== quote.insured.length) errors.push({ name: 'people', reason: `must list the ${quote.insured.length} people of the quote` });
      else {
        input.people.forEach((p, i) => {
          if (p.role !== quote.insured[i]!.role) errors.push({ name: `people[${i}].role`, reason: `must be ${quote.insured[i]!.role}, as on the quote` });
          if (p.birthDate !== quote.insured[i]!.birthDate) errors.push({ name: `people[${i}].birthDate`, reason: `must be ${quote.insured[i]!.birthDate}, as on the quote` });
        });
      }
      if (input.questionnaire.length !== input.people.length) errors.push({ name: 'questionnaire', reason: 'must hold one set of answers per person, in the same order' });
      const iban = input.paymentAccount ? checkedIban(input.paymentAccount.iban, 'paymentAccount.iban') : null;
      if (errors.length > 0) throw Problem.unprocessable(`This application cannot be taken: ${errors.map((e) => `${e.name} ${e.reason}`).join('; ')}.`, errors);
      const [existing] = await manager.query<{ reference: string }[]>(`SELECT reference FROM policy_application WHERE quote_id = $1`, [quote.id]);
      if (existing) throw Problem.conflict(`Quote ${quote.id} has an application already (${existing.reference}).`);
      const [row] = await manager.query<{ id: string; reference: string }[]>(
        `INSERT INTO policy_application (owner_subject, quote_id, status, people, contact, questionnaire, iban, account_holder, premiums_by_direct_debit) VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $7, $8) RETURNING id, reference`,
        [
          caller.subject,
          quote.id,
          JSON.stringify(input.people.map((p) => ({ role: p.role, fullName: p.fullName.trim(), birthDate: p.birthDate }))),
          JSON.stringify({ email: input.contact.email, ...(input.contact.phone ? { phone: input.contact.phone } : {}) }),
          JSON.stringify(input.questionnaire),
          iban,
          input.paymentAccount?.accountHolder.trim() ?? null,
          input.paymentAccount?.premiumsByDirectDebit === true,
        ],
      );
      // The audit entry names the application, never the answers.
      await this.audit.record(manager, caller, { action: 'application.submitted', entityType: 'policy-application', entityId: row!.id, details: { reference: row!.reference, quoteId: quote.id, accountEnding: iban ? iban.slice(-4) : null, premiumsByDirectDebit: input.paymentAccount?.premiumsByDirectDebit === true } });
      return row!.id;
    });
    const application = await this.read(id);
    await this.publishSubmission(application, false);
    return clientView(application);
  }

  async mine(caller: Principal) {
    const rows = await this.dataSource.query<ApplicationRow[]>(`${SELECT_APPLICATION} WHERE a.owner_subject = $1 ORDER BY a.created_at DESC LIMIT 50`, [caller.subject]);
    return { items: rows.map(clientView) };
  }

  async one(caller: Principal, id: string) {
    return clientView(await this.own(caller, id));
  }

  /** The client's answer to the underwriter's request: kept, then published to the waiting process. */
  async answer(caller: Principal, id: string, answer: string) {
    const application = await this.own(caller, id);
    await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ status: string; information_answer: string | null }[]>(`SELECT status, information_answer FROM policy_application WHERE id = $1 FOR UPDATE`, [id]);
      if (row!.status !== 'information-requested') throw Problem.conflict(`Application ${application.reference} is not waiting for information (it is ${row!.status}).`);
      if (row!.information_answer !== null) throw Problem.conflict(`Application ${application.reference} has its answer already; the underwriter is reading it.`);
      await manager.query(`UPDATE policy_application SET information_answer = $2, updated_at = now() WHERE id = $1`, [id, answer.trim()]);
      await this.audit.record(manager, caller, { action: 'application.information-provided', entityType: 'policy-application', entityId: id, details: { reference: application.reference } });
    });
    const published = await this.publishAnswer(await this.read(id));
    return { ...clientView(await this.read(id)), published };
  }

  /**
   * The client accepts the offer: recorded once (a replay answers the
   * accepted application, `replayed`), then published; the process issues
   * the policy. An offer past its validity, or declined, is 409.
   */
  async accept(caller: Principal, id: string): Promise<{ view: ReturnType<typeof clientView>; replayed: boolean }> {
    const application = await this.own(caller, id);
    const replayed = await this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ status: ApplicationStatus; offer_valid_until: Date | null }[]>(`SELECT status, offer_valid_until FROM policy_application WHERE id = $1 FOR UPDATE`, [id]);
      if (row!.status === 'accepted' || row!.status === 'issued') return true;
      if (row!.status !== 'offered') throw Problem.conflict(`Application ${application.reference} has no offer to accept (it is ${row!.status}).`);
      if (row!.offer_valid_until && row!.offer_valid_until.getTime() <= Date.now()) throw Problem.conflict(`The offer for application ${application.reference} ended on ${row!.offer_valid_until.toISOString()}.`);
      await manager.query(`UPDATE policy_application SET status = 'accepted', accepted_at = now(), updated_at = now() WHERE id = $1`, [id]);
      await this.audit.record(manager, caller, { action: 'application.offer-accepted', entityType: 'policy-application', entityId: id, details: { reference: application.reference } });
      return false;
    });
    const after = await this.read(id);
    if (after.status === 'accepted') await this.publishAcceptance(after);
    return { view: clientView(after), replayed };
  }

  /** A document sent with the application (a report, an exam's results) while it is being decided. */
  async uploadDocument(caller: Principal, id: string, file: UploadedFile | undefined) {
    const application = await this.own(caller, id);
    if (!OPEN_TO_DOCUMENTS.includes(application.status)) throw Problem.conflict(`Application ${application.reference} is ${application.status}: it takes no more documents.`);
    const { name, mediaType, sha256 } = await checkUpload(file);
    const storageKey = await this.storage.put(file!.buffer);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const [row] = await manager.query<{ id: string; created_at: Date }[]>(
          `INSERT INTO application_document (application_id, name, storage_key, media_type, size, sha256, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
          [id, name, storageKey, mediaType, file!.size, sha256, caller.username],
        );
        await this.audit.record(manager, caller, { action: 'application.document-uploaded', entityType: 'policy-application', entityId: id, details: { reference: application.reference, documentId: row!.id } });
        return { id: row!.id, name, mediaType, createdAt: row!.created_at.toISOString() };
      });
    } catch (error) {
      await this.storage.remove(storageKey);
      throw error;
    }
  }

  /** The bytes of a document of an application, for those who underwrite it; reads are audited (medical content). */
  async documentContent(reader: Principal, id: string, documentId: string): Promise<{ stream: Readable; name: string; mediaType: string; size: number }> {
    if (!isUuid(id) || !isUuid(documentId)) throw Problem.notFound('document', documentId);
    const [row] = await this.dataSource.query<{ name: string; media_type: string; size: number; storage_key: string }[]>(`SELECT name, media_type, size, storage_key FROM application_document WHERE id = $1 AND application_id = $2`, [documentId, id]);
    if (!row) throw Problem.notFound('document', documentId);
    await this.dataSource.transaction((manager) => this.audit.record(manager, reader, { action: 'application.document-read', entityType: 'policy-application', entityId: id, details: { documentId } }));
    return { stream: await this.storage.read(row.storage_key), name: row.name, mediaType: row.media_type, size: row.size };
  }

  // --- staff ---

  /** The application beside the underwriting task: people, questionnaire, the rules' outcome and reasons, the client's answer. */
  async underwriting(id: string) {
    if (!isUuid(id)) throw Problem.notFound('application', id);
    const a = await this.read(id).catch(() => undefined);
    if (!a) throw Problem.notFound('application', id);
    return {
      ...clientView(a),
      contact: a.contact,
      insured: a.people.map((p, i) => ({ ...p, age: a.insured[i]?.age ?? null, answers: a.questionnaire[i] ?? null, facts: a.questionnaire[i] ? underwritingFacts(a.questionnaire[i]) : null })),
      outcome: a.outcome,
      reasonCodes: a.reason_codes,
      reasons: reasonsInWords(a.reason_codes),
      informationRequest: a.information_request ? { question: a.information_request, kind: a.information_kind, due: a.information_due?.toISOString() ?? null, answer: a.information_answer } : null,
      decidedBy: a.decided_by,
      processInstanceKey: a.process_instance_key,
    };
  }

  // --- the job workers ---

  /** What the rules read: each person's role, age and health facts (never the free text), the premium. */
  async ruleInputs(id: string) {
    const a = await this.found(id);
    return {
      applicationId: a.id,
      reference: a.reference,
      status: a.status,
      yearlyPremiumCents: Number(a.yearly_premium_cents),
      insuredCount: a.people.length,
      people: a.people.map((p, i) => ({ role: p.role, age: a.insured[i]!.age, ...underwritingFacts(a.questionnaire[i]!) })),
    };
  }

  /**
   * What the workers need to write to the applicant (who may have no customer
   * record yet): the address they gave, the policyholder's name, and the
   * client's view of the application (decline reasons in words, never codes or
   * staff notes).
   */
  async applicantNotice(id: string) {
    const a = await this.found(id);
    const holder = a.people.find((p) => p.role === 'policyholder') ?? a.people[0];
    return { email: a.contact.email, name: holder?.fullName ?? '', application: clientView(a) };
  }

  async recordAssessment(worker: Principal, id: string, input: AssessmentInput) {
    return this.transition(worker, id, 'assessed', async (manager, a) => {
      if (a.process_instance_key && a.process_instance_key !== input.processInstanceKey) throw Problem.conflict(`Application ${a.reference} is carried by process instance ${a.process_instance_key}, not ${input.processInstanceKey}.`);
      if (a.status !== 'submitted' && a.status !== 'referred') throw Problem.conflict(`Application ${a.reference} is ${a.status}: it was assessed before.`);
      await manager.query(`UPDATE policy_application SET outcome = $2, reason_codes = $3, status = $4, process_instance_key = $5, updated_at = now() WHERE id = $1`, [id, input.outcome, input.reasonCodes, input.outcome === 'refer' ? 'referred' : 'submitted', input.processInstanceKey]);
      return { outcome: input.outcome, reasonCodes: input.reasonCodes };
    });
  }

  async requestInformation(worker: Principal, id: string, input: InformationRequestInput) {
    return this.transition(worker, id, 'information-requested', async (manager, a) => {
      if (!['referred', 'information-requested'].includes(a.status)) throw Problem.conflict(`Application ${a.reference} is ${a.status}: no underwriter is asking.`);
      // A new request after an answer starts afresh: the answer given is in the audit log and the underwriter has read it.
      // The question is the underwriter's, kept on the application when they completed their task (never a process variable).
      const [found] = await manager.query<{ question: string | null }[]>(`SELECT COALESCE($2::text, underwriter_question, CASE WHEN status = 'information-requested' THEN information_request END) AS question FROM policy_application WHERE id = $1`, [id, input.question ?? null]);
      const question = found?.question;
      if (!question) throw Problem.conflict(`Application ${a.reference}: the underwriter has written no question for the client.`);
      await manager.query(`UPDATE policy_application SET status = 'information-requested', information_request = $2, information_kind = $3, information_due = $4, information_answer = NULL, underwriter_question = NULL, decided_by = COALESCE($5, decided_by), updated_at = now() WHERE id = $1`, [id, question, input.kind, input.due, input.decidedBy ?? null]);
      return { due: input.due };
    });
  }

  async offer(worker: Principal, id: string, input: OfferInput) {
    return this.transition(worker, id, 'offered', async (manager, a) => {
      if (a.status === 'offered') return { validUntil: a.offer_valid_until!.toISOString() };
      if (!['submitted', 'referred', 'information-requested'].includes(a.status)) throw Problem.conflict(`Application ${a.reference} is ${a.status}: no offer can be made.`);
      if (a.outcome === 'decline') throw Problem.conflict(`Application ${a.reference} was declined by the rules.`);
      await manager.query(`UPDATE policy_application SET status = 'offered', offer_valid_until = $2, decided_by = COALESCE($3, decided_by), updated_at = now() WHERE id = $1`, [id, input.validUntil, input.decidedBy ?? null]);
      return { validUntil: input.validUntil };
    });
  }

  async decline(worker: Principal, id: string, input: DeclineInput) {
    return this.transition(worker, id, 'declined', async (manager, a) => {
      if (a.status === 'declined') return { reasonCodes: a.reason_codes };
      if (!['submitted', 'referred', 'information-requested'].includes(a.status)) throw Problem.conflict(`Application ${a.reference} is ${a.status}: it cannot be declined now.`);
      await manager.query(`UPDATE policy_application SET status = 'declined', reason_codes = $2, client_reason = COALESCE($3, client_reason), decided_by = COALESCE($4, decided_by), updated_at = now() WHERE id = $1`, [id, input.reasonCodes, input.clientReason?.trim() || null, input.decidedBy ?? null]);
      return { reasonCodes: input.reasonCodes };
    });
  }

  /** The offer's validity ended: expired unless the client accepted first (then `expired: false` and the process issues the policy). */
  async expire(worker: Principal, id: string) {
    return this.transition(worker, id, 'expired', async (manager, a) => {
      if (a.status === 'accepted' || a.status === 'issued') return { expired: false };
      if (a.status === 'expired') return { expired: true };
      if (a.status !== 'offered') throw Problem.conflict(`Application ${a.reference} is ${a.status}: it has no offer to expire.`);
      await manager.query(`UPDATE policy_application SET status = 'expired', updated_at = now() WHERE id = $1`, [id]);
      return { expired: true };
    });
  }

  async issue(worker: Principal, id: string): Promise<IssuedPolicy> {
    await this.found(id);
    return this.dataSource.transaction(async (manager) => {
      const issued = await issuePolicy(manager, this.storage, id);
      if (issued.issued) await this.audit.record(manager, worker, { action: 'policy.issued', entityType: 'policy', entityId: issued.policyId, details: { applicationId: id, policyNumber: issued.policyNumber } });
      return issued;
    });
  }

  // --- publication ---

  /** One pass of the sweep: publishes what was committed but not taken by the engine. */
  sweep(): Promise<void> {
    return this.sweeper.run();
  }

  private async publishWaiting(): Promise<void> {
    const waiting = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM policy_application
        WHERE updated_at < now() - make_interval(secs => $1)
          AND ((status = 'submitted' AND process_instance_key IS NULL) OR (status = 'information-requested' AND information_answer IS NOT NULL) OR status = 'accepted')
        ORDER BY updated_at LIMIT 100`,
      [SWEEP_EVERY_MS / 1000],
    );
    for (const { id } of waiting) {
      const a = await this.read(id);
      if (a.status === 'submitted') await this.publishSubmission(a, true);
      else if (a.status === 'information-requested') await this.publishAnswer(a);
      else if (a.status === 'accepted') await this.publishAcceptance(a);
    }
  }

  private publishSubmission(a: ApplicationRow, retry: boolean): Promise<boolean> {
    return this.publish(a, MESSAGES.submitted, a.id, retry ? 0 : SUBMISSION_TTL_MS, { applicationId: a.id, applicationReference: a.reference, yearlyPremiumCents: Number(a.yearly_premium_cents) });
  }

  private publishAnswer(a: ApplicationRow): Promise<boolean> {
    // One message per request: the request's deadline tells requests apart.
    return this.publish(a, MESSAGES.informationProvided, `${a.id}:answer:${a.information_due?.getTime() ?? 0}`, SUBMISSION_TTL_MS, {});
  }

  private publishAcceptance(a: ApplicationRow): Promise<boolean> {
    return this.publish(a, MESSAGES.offerAccepted, `${a.id}:accepted`, SUBMISSION_TTL_MS, {});
  }

  private async publish(a: ApplicationRow, name: string, messageId: string, timeToLive: number, variables: Record<string, unknown>): Promise<boolean> {
    try {
      await this.engine.call('POST', '/v2/messages/publication', { name, correlationKey: a.id, messageId, timeToLive, variables });
      return true;
    } catch (error) {
      // 409: the engine holds this very message already.
      if ((error as { statusCode?: number }).statusCode === 409) return true;
      this.logger.warn({ applicationId: a.id, message: name, err: error }, 'could not publish to the application process; the sweep will try again');
      return false;
    }
  }

  // --- reading ---

  private async read(id: string): Promise<ApplicationRow> {
    const [row] = await this.dataSource.query<ApplicationRow[]>(`${SELECT_APPLICATION} WHERE a.id = $1`, [id]);
    if (!row) throw Problem.notFound('application', id);
    return row;
  }

  /** The caller's own application; another's answers 404, as if absent. */
  private async own(caller: Principal, id: string): Promise<ApplicationRow> {
    if (!isUuid(id)) throw Problem.notFound('application', id);
    const row = await this.read(id);
    if (row.owner_subject !== caller.subject) throw Problem.notFound('application', id);
    return row;
  }

  private async found(id: string): Promise<ApplicationRow> {
    if (!isUuid(id)) throw Problem.notFound('application', id);
    return this.read(id);
  }

  /** A worker's change under a lock on the application, audited. */
  private async transition<T extends object>(worker: Principal, id: string, action: string, change: (manager: EntityManager, a: ApplicationRow) => Promise<T>): Promise<T & { status: ApplicationStatus }> {
    await this.found(id);
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT id FROM policy_application WHERE id = $1 FOR UPDATE`, [id]);
      const [a] = await manager.query<ApplicationRow[]>(`${SELECT_APPLICATION} WHERE a.id = $1`, [id]);
      const answer = await change(manager, a!);
      await this.audit.record(manager, worker, { action: `application.${action}`, entityType: 'policy-application', entityId: id, details: { reference: a!.reference, ...answer } });
      return answer;
    });
    const [{ status }] = (await this.dataSource.query<{ status: ApplicationStatus }[]>(`SELECT status FROM policy_application WHERE id = $1`, [id])) as [{ status: ApplicationStatus }];
    return { ...result, status };
  }
}
