import { Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { toCents } from '../benefits/cents';
import { type Principal } from '../auth/principal';
import { bindClaimLog, isUuid } from '../claims/claim-access';
import { ClaimEventsRepository } from '../claims/claim-events.repository';
import { ClaimItem } from '../claims/claim-item.entity';
import { FINAL_STATUSES, routeAfter, STATUS_WORDING } from '../claims/claim-status';
import { documentView } from '../claims/claim-views';
import { Claim } from '../claims/claim.entity';
import { Customer } from '../customers/customer.entity';
import { policyYearOf } from '../customers/coverage';
import { CustomersRepository } from '../customers/customers.repository';
import { Policy } from '../customers/policy.entity';
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
    private readonly events: ClaimEventsRepository,
    private readonly audit: AuditLog,
  ) {}

  /** The claim with its items, documents, policy and the coverage left for it. */
  async claim(claimId: string) {
    const claim = await this.find(claimId);
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
      claim: { id: claim.id, reference: claim.reference, status: claim.status, currency: claim.currency, totalClaimed: claim.totalClaimed, totalApproved: claim.totalApproved, submittedAt: claim.submittedAt.toISOString(), fraudScore: claim.fraudScore, processInstanceKey: claim.processInstanceKey, breakdown: claim.breakdown, decisionNote: claim.decisionNote },
      items: [...claim.items].sort((a, b) => a.lineNumber - b.lineNumber).map((i) => ({ id: i.id, lineNumber: i.lineNumber, serviceDate: i.serviceDate, providerName: i.providerName, providerId: i.providerId, careCode: i.careCode, description: i.description, invoiceNumber: i.invoiceNumber, amount: i.amount, status: i.status, reasonCode: i.reasonCode, approvedAmount: i.approvedAmount })),
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

  /** Facts the fraud rules weigh: earlier claims, the same receipt or invoice elsewhere, usual amounts. */
  /**
   * What fraud screening needs. A receipt or invoice counts as claimed again
   * only on a claim that still stands: not a draft (never sent), not declined,
   * not abandoned (a client refiling a closed claim is not claiming twice).
   * An invoice number matches only from the same provider: the same provider
   * id, or, where either item has none, the same provider name normalised.
   */
  async fraudContext(claimId: string) {
    const claim = await this.find(claimId);
    const hashes = await this.dataSource.query<{ sha256: string }[]>(`SELECT DISTINCT v.sha256 FROM document_version v JOIN document d ON d.id = v.document_id WHERE d.claim_id = $1`, [claim.id]);
    const duplicateReceipts =
      hashes.length === 0
        ? []
        : await this.dataSource.query<{ sha256: string; claimReference: string; claimId: string; claimStatus: string }[]>(
            `SELECT DISTINCT v.sha256, c.reference AS "claimReference", c.id AS "claimId", c.status AS "claimStatus" FROM document_version v JOIN document d ON d.id = v.document_id JOIN claim c ON c.id = d.claim_id
              WHERE v.sha256 = ANY($1) AND d.claim_id <> $2 AND NOT (c.status = ANY($3))`,
            [hashes.map((h) => h.sha256), claim.id, [...NOT_CLAIMED_AGAIN]],
          );
    const invoiced = claim.items.filter((i) => i.invoiceNumber);
    const duplicateInvoices =
      invoiced.length === 0
        ? []
        : (await this.dataSource.getRepository(ClaimItem).find({ where: { invoiceNumber: In(invoiced.map((i) => i.invoiceNumber!)), claimId: Not(claim.id) }, relations: { claim: true } }))
            .filter((other) => !NOT_CLAIMED_AGAIN.has(other.claim.status))
            .filter((other) => invoiced.some((mine) => mine.invoiceNumber === other.invoiceNumber && sameProvider(mine, other)))
            .map((i) => ({ invoiceNumber: i.invoiceNumber, providerName: i.providerName, providerId: i.providerId, claimId: i.claimId, claimReference: i.claim.reference, claimStatus: i.claim.status }));
    const [frequency] = await this.dataSource.query<[{ last30Days: number; last365Days: number }]>(
      `SELECT count(*) FILTER (WHERE submitted_at > now() - interval '30 days')::int AS "last30Days", count(*) FILTER (WHERE submitted_at > now() - interval '365 days')::int AS "last365Days"
         FROM claim WHERE customer_id = $1 AND id <> $2 AND status <> 'draft'`,
      [claim.customerId, claim.id],
    );
    const careCodes = [...new Set(claim.items.map((i) => i.careCode))];
    const usual = await this.dataSource.query<{ careCode: string; averageAmount: number; samples: number }[]>(
      `SELECT i.care_code AS "careCode", avg(i.amount)::float AS "averageAmount", count(*)::int AS samples FROM claim_item i JOIN claim c ON c.id = i.claim_id
        WHERE i.care_code = ANY($1) AND i.claim_id <> $2 AND c.status <> 'draft' GROUP BY i.care_code`,
      [careCodes, claim.id],
    );
    const policy = await this.dataSource.getRepository(Policy).findOneBy({ id: claim.policyId });
    return { claimId: claim.id, policyStartsOn: policy?.startsOn ?? null, earlierClaims: frequency, duplicateReceipts, duplicateInvoices, usualAmounts: usual };
  }

  /** Records a step's progress; the controller answers the claim file after it unless asked not to. */
  async update(worker: Principal, claimId: string, input: ClaimUpdateInput): Promise<void> {
    const claim = await this.find(claimId);
    if (FINAL_STATUSES.has(claim.status) && input.status && input.status !== claim.status) {
      throw Problem.conflict(`Expected claim ${claim.reference} to be open, but it is ${claim.status}; a closed claim does not move again.`);
    }
    // What a claim pays is written only by the benefit calculation, under its lock on the policy.
    if (input.totalApproved !== undefined && input.totalApproved !== 0) throw Problem.invalidField('totalApproved', 'can only be cleared to 0 (a decline) by an update; the benefit calculation sets it');
    if (input.status === 'closed-nothing-payable' && claim.status !== input.status && (claim.totalApproved === null || toCents(claim.totalApproved) !== 0)) {
      throw Problem.conflict(`Claim ${claim.reference} cannot be closed with nothing payable: its approved total is ${claim.totalApproved ?? 'not calculated'}.`);
    }
    const itemIds = new Set(claim.items.map((i) => i.id));
    const foreign = (input.items ?? []).findIndex((i) => !itemIds.has(i.id));
    if (foreign >= 0) throw Problem.invalidField(`items[${foreign}].id`, 'is not an item of this claim');
    await this.dataSource.transaction(async (manager) => {
      const changes: Partial<Claim> = {};
      if (input.status) {
        changes.status = input.status;
        const route = routeAfter(claim.route, input.status);
        if (route !== claim.route) changes.route = route;
      }
      if (input.fraudScore !== undefined) changes.fraudScore = input.fraudScore;
      if (input.fraudFlags) changes.fraudFlags = input.fraudFlags;
      if (input.totalApproved !== undefined) changes.totalApproved = input.totalApproved;
      if (input.informationRequested !== undefined) changes.informationRequested = input.informationRequested;
      if (input.informationDue !== undefined) changes.informationDue = input.informationDue ? new Date(input.informationDue) : null;
      if (input.decisionNote !== undefined) changes.decisionNote = input.decisionNote;
      if (Object.keys(changes).length > 0) await manager.getRepository(Claim).update({ id: claim.id }, changes);
      for (const item of input.items ?? []) {
        await manager.getRepository(ClaimItem).update({ id: item.id, claimId: claim.id }, { status: item.status, reasonCode: item.reasonCode ?? null, approvedAmount: item.approvedAmount ?? null });
      }
      const message = input.message ?? (input.status ? STATUS_WORDING[input.status] : undefined);
      if (message) await this.events.append(manager, claim.id, { kind: input.status ? 'status-changed' : 'note', status: input.status ?? null, message, visibleToClient: input.visibleToClient ?? true, actor: worker.username });
      await this.audit.record(manager, worker, { action: 'claim.updated', entityType: 'claim', entityId: claim.id, details: { fields: Object.keys(input), status: input.status ?? null } });
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

  /** Records a sent notification once per dedup key; a repeat answers the first record. */
  async recordNotification(input: NotificationInput) {
    const repository = this.dataSource.getRepository(NotificationRecord);
    if (input.claimId) await this.find(input.claimId);
    await repository.createQueryBuilder().insert().values({ ...input, claimId: input.claimId ?? null, subject: input.subject ?? null, providerMessageId: input.providerMessageId ?? null }).orIgnore().execute();
    const record = await repository.findOneByOrFail({ dedupKey: input.dedupKey });
    return { id: record.id, dedupKey: record.dedupKey, sentAt: record.sentAt.toISOString() };
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
