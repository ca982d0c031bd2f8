import { Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
import { AUDIT_ENTRY_COLUMNS, AuditLog, auditEntryValues, chainedEntry, lastHashSql, streamLockSql, streamOf } from '../audit/audit-log';
import { toCents } from '../benefits/cents';
import { type Principal } from '../auth/principal';
import { bindClaimLog, isUuid } from '../claims/claim-access';
import { ClaimItem } from '../claims/claim-item.entity';
import { type ClaimRoute, type ClaimStatus, FINAL_STATUSES, routeAfter, STATUS_WORDING } from '../claims/claim-status';
import { documentView } from '../claims/claim-views';
import { Claim } from '../claims/claim.entity';
import { Customer } from '../customers/customer.entity';
import { policyYearOf } from '../customers/coverage';
import { CustomersRepository } from '../customers/customers.repository';
import { policyView } from '../customers/policy-view';
import { policyWithTermsOn } from '../contracts/contract-records';
import { Problem } from '../http/problem';
import { NotificationRecord } from '../notifications/notification.entity';
import { NOT_CLAIMED_AGAIN, sameProvider } from './duplicate-claims';
import { readClaimFileContext } from './claim-file-context';
import { type ClaimUpdateInput, type NotificationInput } from './internal.dto';

/**
 * What the job workers read and write, so that only this API opens the
 * domain database. Every write is audited under the worker's service account.
 */
@Injectable()
export class InternalService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly audit: AuditLog,
  ) {}

  /** The claim and its items as the file shows them, without what a step that only reports on the claim does not read (policy, coverage, documents). */
  async summary(claimId: string) {
    return claimAndItems(await this.find(claimId));
  }

  /** The claim with its items, documents, policy and the coverage left for it. */
  async claim(claimId: string) {
    return this.fileOf(await this.find(claimId));
  }

  private async fileOf(claim: Claim) {
    // Independent reads, each on a connection of its own: the step waits for the slower, not their sum.
    const [issued, context] = await Promise.all([this.customers.policy(claim.policyId), readClaimFileContext(this.dataSource.manager, claim)]);
    const firstService = [...claim.items].map((i) => i.serviceDate).sort()[0] ?? new Date().toISOString().slice(0, 10);
    // The terms in force on the first care date (a mid-term change of deductible applies from its day), as the calculation uses.
    const policy = issued && policyWithTermsOn(issued, context.versions, firstService);
    // A claim may span two policy years: each item is checked against the coverage of its own.
    const years = policy ? [...new Set(claim.items.map((i) => policyYearOf(policy, i.serviceDate).from))].sort() : [];
    const coverageByYear = policy ? await Promise.all(years.map((from) => this.customers.coverage(policy, from))) : [];
    if (!context.customer) throw new Error(`claim ${claim.id} names customer ${claim.customerId}, which does not exist`);
    return {
      ...claimAndItems(claim),
      documents: context.documents.map(documentView),
      policy: policy && {
        ...policyView(policy),
        benefits: policy.benefits.map((b) => ({ careCode: b.careCode, label: b.label, perItemLimit: b.perItemLimit, annualLimit: b.annualLimit, waitingPeriodDays: b.waitingPeriodDays, requiredDocuments: b.requiredDocuments })),
        // The first service's year is the first of the items' years (read once); without items, today's.
        coverage: years[0] !== undefined && years[0] === policyYearOf(policy, firstService).from ? coverageByYear[0]! : await this.customers.coverage(policy, firstService),
        coverageByYear,
        // The state history, so validation can tell whether the policy covered each care date (contracts/policy-standing.ts).
        statusPeriods: context.statusPeriods,
      },
      customer: context.customer,
    };
  }

  /**
   * What fraud screening needs, with the claim file (`file`): earlier claims,
   * the same receipt or invoice elsewhere, usual amounts. A receipt or
   * invoice counts as claimed again only on a claim that still stands: not a
   * draft (never sent), not declined,
   * not abandoned (a client refiling a closed claim is not claiming twice).
   * An invoice number matches only from the same provider: the same provider
   * id, or, where either item has none, the same provider name normalised.
   */
  async fraudContext(claimId: string) {
    const claim = await this.find(claimId);
    // The claim file and the facts at once: one read of the claim for both.
    const [facts, file] = await Promise.all([this.fraudFacts(claim), this.fileOf(claim)]);
    return { ...facts, file };
  }

  /** The facts in one statement (earlier claims, this policy's start, usual amounts, receipts claimed elsewhere) and invoices claimed elsewhere when the claim names any. */
  private async fraudFacts(claim: Claim) {
    const [facts] = await this.dataSource.query<[{ earlier_claims: { last30Days: number; last365Days: number }; policy_starts_on: string | null; usual: { careCode: string; averageAmount: number; samples: number }[]; duplicate_receipts: { sha256: string; claimReference: string; claimId: string; claimStatus: string }[] }]>(
      `SELECT
         (SELECT json_build_object('last30Days', count(*) FILTER (WHERE submitted_at > now() - interval '30 days'), 'last365Days', count(*) FILTER (WHERE submitted_at > now() - interval '365 days'))
            FROM claim WHERE customer_id = $1 AND id <> $2 AND status <> 'draft') AS earlier_claims,
         (SELECT to_char(starts_on, 'YYYY-MM-DD') FROM policy WHERE id = $3) AS policy_starts_on,
         (SELECT coalesce(json_agg(u), '[]') FROM (
            SELECT i.care_code AS "careCode", avg(i.amount)::float AS "averageAmount", count(*)::int AS samples FROM claim_item i JOIN claim c ON c.id = i.claim_id
             WHERE i.care_code = ANY($4) AND i.claim_id <> $2 AND c.status <> 'draft' GROUP BY i.care_code) u) AS usual,
         (SELECT coalesce(json_agg(r), '[]') FROM (
            SELECT DISTINCT v.sha256, c.reference AS "claimReference", c.id AS "claimId", c.status AS "claimStatus"
              FROM document_version v JOIN document d ON d.id = v.document_id JOIN claim c ON c.id = d.claim_id
             WHERE v.sha256 IN (SELECT mv.sha256 FROM document_version mv JOIN document md ON md.id = mv.document_id WHERE md.claim_id = $2)
               AND d.claim_id <> $2 AND NOT (c.status = ANY($5))) r) AS duplicate_receipts`,
      [claim.customerId, claim.id, claim.policyId, [...new Set(claim.items.map((i) => i.careCode))], [...NOT_CLAIMED_AGAIN]],
    );
    const invoiced = claim.items.filter((i) => i.invoiceNumber);
    const duplicateInvoices =
      invoiced.length === 0
        ? []
        : (await this.dataSource.getRepository(ClaimItem).find({ where: { invoiceNumber: In(invoiced.map((i) => i.invoiceNumber!)), claimId: Not(claim.id) }, relations: { claim: true } }))
            .filter((other) => !NOT_CLAIMED_AGAIN.has(other.claim.status))
            .filter((other) => invoiced.some((mine) => mine.invoiceNumber === other.invoiceNumber && sameProvider(mine, other)))
            .map((i) => ({ invoiceNumber: i.invoiceNumber, providerName: i.providerName, providerId: i.providerId, claimId: i.claimId, claimReference: i.claim.reference, claimStatus: i.claim.status }));
    return { claimId: claim.id, policyStartsOn: facts.policy_starts_on, earlierClaims: facts.earlier_claims, duplicateReceipts: facts.duplicate_receipts, duplicateInvoices, usualAmounts: facts.usual };
  }

  /**
   * Records a step's progress; the controller answers the claim file after it
   * unless asked not to. Plain SQL, three statements between BEGIN and COMMIT
   * (it was eight, with a read before): the claim's row and its audit stream's
   * lock, the stream's last hash, then every write in one statement. The
   * checks judge the row held, so a concurrent step cannot slip between them.
   */
  async update(worker: Principal, claimId: string, input: ClaimUpdateInput): Promise<void> {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    const stream = streamOf({ entityType: 'claim', entityId: claimId });
    await this.dataSource.transaction(async (manager) => {
      // The claim's row first, then its audit stream's lock (the order every claim write takes them in).
      const [claim] = await manager.query<{ reference: string; status: ClaimStatus; route: ClaimRoute | null; total_approved: string | null; process_instance_key: string | null; item_ids: string[] }[]>(
        `WITH held AS MATERIALIZED (SELECT c.reference, c.status, c.route, c.total_approved::text, c.process_instance_key,
                                           (SELECT coalesce(array_agg(i.id::text), '{}') FROM claim_item i WHERE i.claim_id = c.id) AS item_ids
                                      FROM claim c WHERE c.id = $1 FOR UPDATE OF c)
         SELECT held.*, ${streamLockSql(2)} FROM held`,
        [claimId, stream],
      );
      if (!claim) throw Problem.notFound('claim', claimId);
      bindClaimLog({ id: claimId, processInstanceKey: claim.process_instance_key });
      if (FINAL_STATUSES.has(claim.status) && input.status && input.status !== claim.status) {
        throw Problem.conflict(`Expected claim ${claim.reference} to be open, but it is ${claim.status}; a closed claim does not move again.`);
      }
      // What a claim pays is written only by the benefit calculation, under its lock on the policy.
      if (input.totalApproved !== undefined && input.totalApproved !== 0) throw Problem.invalidField('totalApproved', 'can only be cleared to 0 (a decline) by an update; the benefit calculation sets it');
      if (input.status === 'closed-nothing-payable' && claim.status !== input.status && (claim.total_approved === null || toCents(Number(claim.total_approved)) !== 0)) {
        throw Problem.conflict(`Claim ${claim.reference} cannot be closed with nothing payable: its approved total is ${claim.total_approved === null ? 'not calculated' : Number(claim.total_approved)}.`);
      }
      const itemIds = new Set(claim.item_ids);
      const foreign = (input.items ?? []).findIndex((i) => !itemIds.has(i.id));
      if (foreign >= 0) throw Problem.invalidField(`items[${foreign}].id`, 'is not an item of this claim');

      const route = input.status ? routeAfter(claim.route, input.status) : claim.route;
      // Each column with whether the update names it: a field left out keeps its value, one given as null is cleared.
      const fields: [column: string, given: boolean, value: unknown, cast: string][] = [
        ['status', Boolean(input.status), input.status ?? null, 'text'],
        ['route', route !== claim.route, route, 'text'],
        ['fraud_score', input.fraudScore !== undefined, input.fraudScore ?? null, 'integer'],
        ['fraud_flags', Boolean(input.fraudFlags), input.fraudFlags ? JSON.stringify(input.fraudFlags) : null, 'jsonb'],
        ['total_approved', input.totalApproved !== undefined, input.totalApproved ?? null, 'numeric'],
        ['information_requested', input.informationRequested !== undefined, input.informationRequested ?? null, 'text'],
        ['information_due', input.informationDue !== undefined, input.informationDue ? new Date(input.informationDue) : null, 'timestamptz'],
        ['decision_note', input.decisionNote !== undefined, input.decisionNote ?? null, 'text'],
      ];
      const changed = fields.filter(([, given]) => given);
      const [{ last_hash: lastHash }] = await manager.query<[{ last_hash: string | null }]>(`SELECT ${lastHashSql(1)} AS last_hash`, [stream]);
      const message = input.message ?? (input.status ? STATUS_WORDING[input.status] : undefined);
      const audit = auditEntryValues(chainedEntry(worker, { action: 'claim.updated', entityType: 'claim', entityId: claimId, details: { fields: Object.keys(input), status: input.status ?? null } }, lastHash), 8 + changed.length);
      const items = (input.items ?? []).map((item) => ({ id: item.id, status: item.status, reason_code: item.reasonCode ?? null, approved_amount: item.approvedAmount ?? null }));
      // One statement: the claim's fields (its version moves only when one changes), the items'
      // decisions, the timeline entry (the trigger on claim_event tells live views) and the audit entry.
      await manager.query(
        `WITH ${changed.length > 0 ? `updated AS (UPDATE claim SET ${changed.map(([column, , , cast], n) => `${column} = $${8 + n}::${cast}`).join(', ')}, version = version + 1, updated_at = now() WHERE id = $1),` : ''}
              decided AS (UPDATE claim_item i SET status = d.status, reason_code = d.reason_code, approved_amount = d.approved_amount
                             FROM jsonb_to_recordset($2::jsonb) AS d(id uuid, status text, reason_code text, approved_amount numeric)
                            WHERE i.id = d.id AND i.claim_id = $1),
              timeline AS (INSERT INTO claim_event (claim_id, kind, status, message, visible_to_client, actor)
                           SELECT $1, CASE WHEN $3::text IS NULL THEN 'note' ELSE 'status-changed' END, $3, $4, $5, $6 WHERE $7::boolean)
         INSERT INTO audit_entry (${AUDIT_ENTRY_COLUMNS}) VALUES (${audit.placeholders})`,
        [claimId, JSON.stringify(items), input.status ?? null, message ?? null, input.visibleToClient ?? true, worker.username, Boolean(message), ...changed.map(([, , value]) => value), ...audit.params],
      );
    });
  }

  /** Bank details for the payment step only; each read is audited. */
  async paymentDetails(worker: Principal, claimId: string) {
    const claim = await this.find(claimId);
    const customer = await this.dataSource.getRepository(Customer).findOneByOrFail({ id: claim.customerId });
    await this.audit.recordAlone(worker, { action: 'payment-details.read', entityType: 'customer', entityId: customer.id, details: { claimId: claim.id } });
    return { accountHolder: customer.accountHolder, iban: customer.iban };
  }

  async contact(customerId: string) {
    if (!isUuid(customerId)) throw Problem.notFound('customer', customerId);
    const customer = await this.dataSource.getRepository(Customer).findOneBy({ id: customerId });
    if (!customer) throw Problem.notFound('customer', customerId);
    return { id: customer.id, fullName: customer.fullName, email: customer.email, phone: customer.phone };
  }

  /**
   * Records a sent notification once per dedup key; a repeat answers the first
   * record. One statement on the usual path (it was three, with a read of the
   * claim before): the record inserted, or the one already there for the key,
   * or word that the claim named does not exist.
   */
  async recordNotification(input: NotificationInput) {
    const attempt = () =>
      this.dataSource.query<{ id: string | null; dedup_key: string | null; sent_at: Date | null; claim_known: boolean }[]>(
        `WITH named AS (SELECT $2::uuid IS NULL OR EXISTS (SELECT 1 FROM claim WHERE id = $2::uuid) AS claim_known),
              inserted AS (INSERT INTO notification (claim_id, dedup_key, channel, recipient, template, subject, provider_message_id)
                           SELECT $2, $1, $3, $4, $5, $6, $7 FROM named WHERE claim_known
                           ON CONFLICT (dedup_key) DO NOTHING RETURNING id, dedup_key, sent_at)
         SELECT id, dedup_key, sent_at, true AS claim_known FROM inserted
         UNION ALL SELECT n.id, n.dedup_key, n.sent_at, true FROM notification n WHERE n.dedup_key = $1 AND NOT EXISTS (SELECT 1 FROM inserted)
         UNION ALL SELECT NULL, NULL, NULL, false FROM named WHERE NOT claim_known`,
        [input.dedupKey, input.claimId ?? null, input.channel, input.recipient, input.template, input.subject ?? null, input.providerMessageId ?? null],
      );
    // Empty only when another request recorded the key while this one ran: the record is committed by the time it is read again.
    let [row] = await attempt();
    if (!row) [row] = await attempt();
    if (row && !row.claim_known) throw Problem.notFound('claim', input.claimId!);
    if (!row?.id) throw new Error(`notification ${input.dedupKey} was neither recorded nor found`);
    return { id: row.id, dedupKey: row.dedup_key!, sentAt: row.sent_at!.toISOString() };
  }

  /** Whether a notification with this key was sent already (the worker checks before sending). */
  async notificationSent(dedupKey: string) {
    const record = await this.dataSource.getRepository(NotificationRecord).findOneBy({ dedupKey });
    return { sent: Boolean(record), sentAt: record?.sentAt.toISOString() ?? null };
  }

  private async find(claimId: string): Promise<Claim> {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    // One statement (a find with relations sends two).
    const claim = await this.dataSource.getRepository(Claim).createQueryBuilder('c').leftJoinAndSelect('c.items', 'i').where('c.id = :claimId', { claimId }).orderBy('i.line_number', 'ASC').getOne();
    if (!claim) throw Problem.notFound('claim', claimId);
    bindClaimLog(claim);
    return claim;
  }
}

/** The claim and its items, items in line order: the head of the claim file and its summary. */
function claimAndItems(claim: Claim) {
  return {
    claim: { id: claim.id, reference: claim.reference, status: claim.status, currency: claim.currency, totalClaimed: claim.totalClaimed, totalApproved: claim.totalApproved, submittedAt: claim.submittedAt.toISOString(), fraudScore: claim.fraudScore, processInstanceKey: claim.processInstanceKey, breakdown: claim.breakdown, decisionNote: claim.decisionNote },
    items: [...claim.items].sort((a, b) => a.lineNumber - b.lineNumber).map((i) => ({ id: i.id, lineNumber: i.lineNumber, serviceDate: i.serviceDate, providerName: i.providerName, providerId: i.providerId, careCode: i.careCode, description: i.description, invoiceNumber: i.invoiceNumber, amount: i.amount, status: i.status, reasonCode: i.reasonCode, approvedAmount: i.approvedAmount })),
  };
}
