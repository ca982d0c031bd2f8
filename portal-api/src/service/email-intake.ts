import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { ClaimEventsRepository } from '../claims/claim-events.repository';
import { FINAL_STATUSES, type ClaimStatus } from '../claims/claim-status';
import { insertDraft } from '../claims/draft-filing';
import { checkFileName, detectMediaType } from '../documents/content-check';
import { DocumentStorage } from '../documents/document-storage';
import { recordNewDocument } from '../documents/new-document';
import { Problem } from '../http/problem';
import { ClientMailer } from '../notifications/client-mailer';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { claimReferenceIn, parseMail, type ParsedMail } from './intake-parsing';
import { InteractionsService } from './interactions.service';
import { type InboundMail } from './mailbox';
import { senderVerified } from './sender-verification';

/** Who the audit and the timeline name for what the claims mailbox does by itself. */
export const MAILBOX_ACTOR: Pick<Principal, 'subject' | 'username'> = { subject: 'claims-mailbox', username: 'claims-mailbox' };

export type QueueReason = 'unknown-sender' | 'unverified-sender' | 'foreign-reference' | 'closed-claim' | 'no-attachment' | 'attachments-refused' | 'no-active-policy' | 'unreadable' | 'too-large';

export type IntakeOutcome =
  | { readonly kind: 'duplicate'; readonly emailId: string }
  | { readonly kind: 'draft-opened' | 'attached'; readonly emailId: string; readonly claimId: string }
  | { readonly kind: 'queued'; readonly emailId: string; readonly reason: QueueReason };

/** An attachment as checked: kept (its bytes in the document storage) or refused, with why. */
interface CheckedAttachment {
  readonly position: number;
  readonly fileName: string;
  readonly mediaType: string | null;
  readonly size: number;
  readonly sha256: string;
  readonly storageKey: string | null;
  readonly refusedReason: string | null;
}

/**
 * Mail to the claims mailbox, made into claim work. Each message is recorded
 * once by its Message-ID (`intake_email`, unique), with every attachment
 * checked as an upload is (file name, size, content by its bytes): a refused
 * attachment is kept as a line saying why, and the mail itself is never lost.
 * Then, in the same transaction:
 * Only a sender our receiving host authenticated (sender-verification.ts)
 * is taken for the customer with that address; other mail goes to the queue.
 * - a subject with a claim reference of the sender's own open claim: the
 *   accepted attachments become documents of that claim;
 * - no reference, the sender a customer with an active policy: a draft claim
 *   with the attachments, which the client completes and sends;
 * - anything else (unknown sender, another client's or no such reference, a
 *   closed claim, nothing usable attached): the agents' queue.
 * The client hears of a draft or added documents by email (a client notice,
 * sent after the commit).
 */
@Injectable()
export class EmailIntake {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: DocumentStorage,
    private readonly events: ClaimEventsRepository,
    private readonly audit: AuditLog,
    private readonly mailer: ClientMailer,
    private readonly interactions: InteractionsService,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async receive(raw: Buffer): Promise<IntakeOutcome> {
    const mail = await parseMail(raw);
    const known = await this.emailIdOf(this.dataSource.manager, mail.messageId);
    if (known) return { kind: 'duplicate', emailId: known };
    const attachments = await this.check(mail);
    const kept = attachments.flatMap((a) => (a.storageKey ? [a.storageKey] : []));
    let outcome: IntakeOutcome;
    let noticeId: string | undefined;
    try {
      ({ outcome, noticeId } = await this.dataSource.transaction(async (manager) => {
        const emailId = await this.record(manager, mail, raw.length, attachments);
        if (!emailId) return { outcome: { kind: 'duplicate', emailId: (await this.emailIdOf(manager, mail.messageId))! } as IntakeOutcome, noticeId: undefined };
        return this.route(manager, emailId, mail, attachments);
      }));
    } catch (error) {
      await this.removeBytes(kept);
      throw error;
    }
    if (outcome.kind === 'duplicate') await this.removeBytes(kept);
    if (noticeId) await this.mailer.deliver(noticeId);
    this.logger.info({ emailId: outcome.emailId, outcome: outcome.kind, reason: outcome.kind === 'queued' ? outcome.reason : undefined, attachments: attachments.length, refused: attachments.filter((a) => a.refusedReason).length }, 'claims mailbox message handled');
    return outcome;
  }

  /**
   * A message the intake does not take in (too large to download, or failing
   * every try) put in the agents' queue as what its envelope says, so it is
   * seen and the mailbox moves on. Nothing is matched or attached: the agent
   * reads the original in the mailbox. Once per Message-ID, like any mail.
   */
  async queueUnread(mail: Pick<InboundMail, 'mailboxId' | 'size' | 'envelope' | 'raw'>, reason: 'unreadable' | 'too-large'): Promise<IntakeOutcome> {
    // Text as Postgres takes it: the failure may have been a NUL byte.
    const clean = (text: string, max: number) => text.replaceAll('\0', '').slice(0, max);
    const fallbackId = mail.raw ? `${createHash('sha256').update(mail.raw).digest('hex')}@claims-intake` : `mailbox-${mail.mailboxId}@claims-intake`;
    const messageId = clean(mail.envelope.messageId.trim().replace(/^<|>$/g, ''), 998) || fallbackId;
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO intake_email (message_id, from_address, from_name, subject, size_bytes, status, queue_reason)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6) ON CONFLICT (message_id) DO NOTHING RETURNING id`,
      [messageId, clean(mail.envelope.fromAddress.trim().toLowerCase(), 320), clean(mail.envelope.fromName.trim(), 200), clean(mail.envelope.subject, 998), Math.min(mail.size, 2 ** 31 - 1), reason],
    );
    if (!row) return { kind: 'duplicate', emailId: (await this.emailIdOf(this.dataSource.manager, messageId))! };
    this.logger.warn({ emailId: row.id, mailboxId: mail.mailboxId, reason, size: mail.size }, 'claims mailbox message queued without being taken in');
    return { kind: 'queued', emailId: row.id, reason };
  }

  /**
   * An agent's decision on a queued mail: the customer it is from, and
   * optionally one of that customer's claims to add its attachments to;
   * without a claim it opens a draft for them. Locked on the mail's row, so
   * two agents cannot both act on it.
   */
  async assign(agent: Principal, team: string, emailId: string, customerId: string, claimId: string | undefined): Promise<IntakeOutcome> {
    const { outcome, noticeId } = await this.dataSource.transaction(async (manager) => {
      const email = await this.lockQueued(manager, emailId);
      const [customer] = await manager.query<{ id: string }[]>('SELECT id FROM customer WHERE id = $1', [customerId]);
      if (!customer) throw new Problem(422, 'Unprocessable', `Expected customer ${customerId} to exist, but there is no such customer.`, [{ name: 'customerId', reason: 'is not a customer' }]);
      const attachments = await this.keptAttachments(manager, email.id);
      if (attachments.length === 0) throw new Problem(422, 'Unprocessable', 'This mail has no accepted attachment to file; dismiss it with a reason instead.', [{ name: 'emailId', reason: 'has no accepted attachment' }]);
      let routed: { outcome: IntakeOutcome; noticeId: string | undefined };
      if (claimId) {
        const [claim] = await manager.query<{ id: string; customer_id: string; status: ClaimStatus }[]>('SELECT id, customer_id, status FROM claim WHERE id = $1 FOR UPDATE', [claimId]);
        if (!claim || claim.customer_id !== customer.id) throw new Problem(422, 'Unprocessable', `Expected claim ${claimId} to be a claim of customer ${customerId}, but it is not.`, [{ name: 'claimId', reason: 'is not a claim of this customer' }]);
        if (FINAL_STATUSES.has(claim.status)) throw new Problem(422, 'Unprocessable', `Claim ${claimId} is ${claim.status}; documents are not added to a closed claim.`, [{ name: 'claimId', reason: 'is closed' }]);
        routed = await this.attach(manager, email.id, customer.id, claim.id, attachments, agent);
      } else {
        const policyId = await this.activePolicy(manager, customer.id);
        if (!policyId) throw new Problem(422, 'Unprocessable', `Customer ${customerId} has no active policy to open a claim on.`, [{ name: 'customerId', reason: 'has no active policy' }]);
        routed = await this.openDraft(manager, email.id, email.subject, customer.id, policyId, attachments, agent);
      }
      await manager.query('UPDATE intake_email SET resolved_by = $2, resolved_team = $3 WHERE id = $1', [email.id, agent.username, team]);
      await this.audit.record(manager, agent, { action: 'intake.email-assigned', entityType: 'intake-email', entityId: email.id, details: { customerId: customer.id, claimId: routed.outcome.kind === 'queued' ? null : (routed.outcome as { claimId: string }).claimId, outcome: routed.outcome.kind } });
      return routed;
    });
    if (noticeId) await this.mailer.deliver(noticeId);
    this.logger.info({ emailId, outcome: outcome.kind, agent: agent.username }, 'claims mailbox message assigned');
    return outcome;
  }

  /** An agent sets a queued mail aside, saying why (spam, not for us, answered by phone…). */
  async dismiss(agent: Principal, team: string, emailId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const email = await this.lockQueued(manager, emailId);
      await manager.query(`UPDATE intake_email SET status = 'dismissed', dismiss_reason = $2, resolved_by = $3, resolved_team = $4, resolved_at = now() WHERE id = $1`, [email.id, reason, agent.username, team]);
      await this.audit.record(manager, agent, { action: 'intake.email-dismissed', entityType: 'intake-email', entityId: email.id, details: { reason } });
    });
    this.logger.info({ emailId, agent: agent.username }, 'claims mailbox message dismissed');
  }

  private async lockQueued(manager: EntityManager, emailId: string): Promise<{ id: string; subject: string }> {
    const [email] = await manager.query<{ id: string; subject: string; status: string }[]>('SELECT id, subject, status FROM intake_email WHERE id = $1 FOR UPDATE', [emailId]);
    if (!email) throw Problem.notFound('mail', emailId);
    if (email.status !== 'queued') throw Problem.conflict(`Expected mail ${emailId} to be waiting in the queue, but it was already handled (${email.status}).`);
    return email;
  }

  private async emailIdOf(manager: EntityManager, messageId: string): Promise<string | undefined> {
    const [row] = await manager.query<{ id: string }[]>('SELECT id FROM intake_email WHERE message_id = $1', [messageId]);
    return row?.id;
  }

  /** Each attachment checked as an upload is; the accepted ones' bytes stored (removed again if the mail is not recorded). */
  private async check(mail: ParsedMail): Promise<CheckedAttachment[]> {
    const checked: CheckedAttachment[] = [];
    for (const [index, attachment] of mail.attachments.entries()) {
      const sha256 = createHash('sha256').update(attachment.content).digest('hex');
      const base = { position: index + 1, fileName: attachment.fileName.slice(0, 200) || 'attachment', size: attachment.content.length, sha256 };
      try {
        if (attachment.content.length === 0) throw Problem.invalidField('file', 'is empty');
        if (attachment.content.length > this.settings.maxUploadBytes) throw new Problem(413, 'Payload too large', `"${base.fileName}" is larger than ${Math.round(this.settings.maxUploadBytes / 1024 / 1024)} MiB.`);
        const name = checkFileName(attachment.fileName);
        const mediaType = await detectMediaType(attachment.content, name);
        checked.push({ ...base, fileName: name, mediaType, storageKey: await this.storage.put(attachment.content), refusedReason: null });
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        checked.push({ ...base, mediaType: null, storageKey: null, refusedReason: error.detail ?? error.title });
      }
    }
    return checked;
  }

  /** The mail's row and its attachments' rows; undefined when another delivery of it got there first. */
  private async record(manager: EntityManager, mail: ParsedMail, size: number, attachments: readonly CheckedAttachment[]): Promise<string | undefined> {
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO intake_email (message_id, from_address, from_name, subject, body_text, size_bytes, status, queue_reason)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued', 'no-attachment') ON CONFLICT (message_id) DO NOTHING RETURNING id`,
      [mail.messageId, mail.fromAddress, mail.fromName, mail.subject, mail.text, size],
    );
    if (!row) return undefined;
    for (const a of attachments) {
      await manager.query(
        'INSERT INTO intake_attachment (email_id, position, file_name, media_type, size_bytes, sha256, storage_key, refused_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [row.id, a.position, a.fileName, a.mediaType, a.size, a.sha256, a.storageKey, a.refusedReason],
      );
    }
    return row.id;
  }

  private async route(manager: EntityManager, emailId: string, mail: ParsedMail, attachments: readonly CheckedAttachment[]): Promise<{ outcome: IntakeOutcome; noticeId: string | undefined }> {
    const queue = async (reason: QueueReason, customerId: string | null = null) => {
      await manager.query('UPDATE intake_email SET queue_reason = $2, customer_id = $3 WHERE id = $1', [emailId, reason, customerId]);
      if (customerId) await this.logContact(manager, MAILBOX_ACTOR, emailId, customerId, null, 'Waiting in the claims mailbox queue for an agent.');
      return { outcome: { kind: 'queued', emailId, reason } as IntakeOutcome, noticeId: undefined };
    };
    // A sender matches only when exactly one customer has that address.
    const customers = mail.fromAddress ? await manager.query<{ id: string }[]>('SELECT id FROM customer WHERE lower(email) = $1 LIMIT 2', [mail.fromAddress]) : [];
    const customerId = customers.length === 1 ? customers[0]!.id : null;
    const reference = claimReferenceIn(mail.subject);
    if (!customerId) return queue('unknown-sender');
    // A From header is anyone's to write: only a sender our receiving host authenticated is matched (and nothing put on the customer's timeline otherwise).
    if (!senderVerified(mail.authenticationResults, mail.fromAddress, this.settings.intake.authservId)) return queue('unverified-sender');
    const kept = attachments.filter((a) => a.storageKey);
    if (reference) {
      const [claim] = await manager.query<{ id: string; customer_id: string; status: ClaimStatus }[]>('SELECT id, customer_id, status FROM claim WHERE reference = $1 FOR UPDATE', [reference]);
      // Never onto another client's claim: a reference the sender does not own is for an agent to look at.
      if (!claim || claim.customer_id !== customerId) return queue('foreign-reference', customerId);
      if (FINAL_STATUSES.has(claim.status)) return queue('closed-claim', customerId);
      if (kept.length === 0) return queue(attachments.length > 0 ? 'attachments-refused' : 'no-attachment', customerId);
      return this.attach(manager, emailId, customerId, claim.id, kept, MAILBOX_ACTOR);
    }
    if (kept.length === 0) return queue(attachments.length > 0 ? 'attachments-refused' : 'no-attachment', customerId);
    const policyId = await this.activePolicy(manager, customerId);
    if (!policyId) return queue('no-active-policy', customerId);
    return this.openDraft(manager, emailId, mail.subject, customerId, policyId, kept, MAILBOX_ACTOR);
  }

  private async activePolicy(manager: EntityManager, customerId: string): Promise<string | undefined> {
    const [policy] = await manager.query<{ id: string }[]>(`SELECT id FROM policy WHERE customer_id = $1 AND status = 'active' ORDER BY starts_on DESC, number LIMIT 1`, [customerId]);
    return policy?.id;
  }

  private async keptAttachments(manager: EntityManager, emailId: string): Promise<CheckedAttachment[]> {
    const rows = await manager.query<{ position: number; file_name: string; media_type: string; size_bytes: number; sha256: string; storage_key: string }[]>(
      'SELECT position, file_name, media_type, size_bytes, sha256, storage_key FROM intake_attachment WHERE email_id = $1 AND storage_key IS NOT NULL AND document_id IS NULL ORDER BY position',
      [emailId],
    );
    return rows.map((r) => ({ position: r.position, fileName: r.file_name, mediaType: r.media_type, size: r.size_bytes, sha256: r.sha256, storageKey: r.storage_key, refusedReason: null }));
  }

  /** A draft claim (no care items yet: the client adds them on the extranet) holding the attachments as receipts. */
  private async openDraft(manager: EntityManager, emailId: string, subject: string, customerId: string, policyId: string, attachments: readonly CheckedAttachment[], actor: Pick<Principal, 'subject' | 'username'>) {
    const [{ seq, currency }] = await manager.query<[{ seq: string; currency: string }]>(`SELECT nextval('claim_reference_seq')::text AS seq, currency FROM policy WHERE id = $1`, [policyId]);
    const description = `Sent by email${subject ? `: ${subject}` : ''}`.slice(0, 2000);
    const { claimId } = await insertDraft(manager, {
      principal: actor,
      input: { policyId, description, items: [] },
      customerId,
      policyId,
      currency,
      seq,
      year: new Date().toISOString().slice(0, 4),
      // One draft per mail, even if this transaction's work were ever repeated.
      idempotencyKey: `email:${emailId}`,
      requestHash: createHash('sha256').update(`email:${emailId}`).digest('hex'),
    });
    await manager.query(`UPDATE claim SET intake_channel = 'email' WHERE id = $1`, [claimId]);
    await this.addDocuments(manager, emailId, claimId, attachments, actor);
    await this.logContact(manager, actor, emailId, customerId, claimId, `Draft claim opened with ${attachments.length} document(s).`);
    await manager.query(`UPDATE intake_email SET status = 'draft-opened', queue_reason = NULL, customer_id = $2, claim_id = $3, resolved_at = now() WHERE id = $1`, [emailId, customerId, claimId]);
    await this.audit.record(manager, actor, { action: 'intake.draft-opened', entityType: 'claim', entityId: claimId, details: { channel: 'email', emailId, documents: attachments.length } });
    const [{ reference }] = await manager.query<[{ reference: string }]>('SELECT reference FROM claim WHERE id = $1', [claimId]);
    const noticeId = await this.mailer.queue(manager, { customerId, claimId, template: 'claim-draft-by-email', values: { claimReference: reference, documents: String(attachments.length) } });
    return { outcome: { kind: 'draft-opened', emailId, claimId } as IntakeOutcome, noticeId };
  }

  private async attach(manager: EntityManager, emailId: string, customerId: string, claimId: string, attachments: readonly CheckedAttachment[], actor: Pick<Principal, 'subject' | 'username'>) {
    await this.addDocuments(manager, emailId, claimId, attachments, actor);
    await this.logContact(manager, actor, emailId, customerId, claimId, `${attachments.length} document(s) added to the claim.`);
    await manager.query(`UPDATE intake_email SET status = 'attached', queue_reason = NULL, customer_id = $2, claim_id = $3, resolved_at = now() WHERE id = $1`, [emailId, customerId, claimId]);
    await this.audit.record(manager, actor, { action: 'intake.documents-added', entityType: 'claim', entityId: claimId, details: { channel: 'email', emailId, documents: attachments.length } });
    const [{ reference }] = await manager.query<[{ reference: string }]>('SELECT reference FROM claim WHERE id = $1', [claimId]);
    const noticeId = await this.mailer.queue(manager, { customerId, claimId, template: 'documents-added-by-email', values: { claimReference: reference, documents: String(attachments.length) } });
    return { outcome: { kind: 'attached', emailId, claimId } as IntakeOutcome, noticeId };
  }

  /** Each accepted attachment as a receipt of the claim, its bytes those already stored at intake (the documents module's path: same rows, timeline line and audit as an upload). */
  private async addDocuments(manager: EntityManager, emailId: string, claimId: string, attachments: readonly CheckedAttachment[], actor: Pick<Principal, 'subject' | 'username'>) {
    for (const a of attachments) {
      const file = { name: a.fileName, storageKey: a.storageKey!, mediaType: a.mediaType!, size: a.size, sha256: a.sha256 };
      const documentId = await recordNewDocument(manager, { events: this.events, audit: this.audit }, actor, claimId, 'receipt', file, `Document received by email: ${a.fileName}.`);
      await manager.query('UPDATE intake_attachment SET document_id = $3 WHERE email_id = $1 AND position = $2', [emailId, a.position, documentId]);
    }
  }

  /**
   * The mail on the customer's timeline (the interaction log), in the same
   * transaction. One contact per mail: logged when the sender is first known
   * (the key names the mail), so a mail queued for a known customer and filed
   * later by an agent stays one entry, the first outcome written.
   */
  private async logContact(manager: EntityManager, actor: Pick<Principal, 'subject' | 'username'>, emailId: string, customerId: string, claimId: string | null, outcome: string): Promise<void> {
    const [mail] = await manager.query<{ subject: string; received_at: Date }[]>('SELECT subject, received_at FROM intake_email WHERE id = $1', [emailId]);
    await this.interactions.log(manager, actor, {
      customerId,
      channel: 'email',
      direction: 'in',
      summary: (mail!.subject.trim() || 'Email to the claims mailbox').slice(0, 200),
      outcome,
      claimId,
      occurredAt: mail!.received_at,
      idempotencyKey: `intake-email:${emailId}`,
    });
  }

  private async removeBytes(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.storage.remove(key).catch((error: unknown) => this.logger.error({ err: error, storageKey: key }, 'could not remove the bytes of an unrecorded mail attachment'));
  }
}
