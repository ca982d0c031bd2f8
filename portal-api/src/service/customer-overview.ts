import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { hasRole, type Principal } from '../auth/principal';
import { CLAIM_PURPOSES, isUuid } from '../claims/claim-access';
import { STATUS_WORDING, type ClaimStatus } from '../claims/claim-status';
import { coverageDate } from '../customers/coverage';
import { CustomersRepository } from '../customers/customers.repository';
import { policyView } from '../customers/policy-view';
import { EngineClient } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { LOGGER } from '../tokens';
import { timelinePage } from './customer-timeline';
import { FollowUpsService } from './follow-ups.service';
import { InteractionsService } from './interactions.service';

/** A draft as staff read it (the client's wording tells them what to do next). */
const DRAFT_WORDING = 'Draft: not sent yet';

/**
 * The customer on one page, for customer service (the "360" view): profile
 * and contact details, policies with the coverage left this policy year,
 * claims with their status (drafts included, marked as such), documents (kind and date; file names only for
 * staff who may read documents, contents never: those stay behind the
 * document endpoints and their access rules), interactions, open tasks and
 * follow-ups, and the first page of the timeline joining all of them.
 */
@Injectable()
export class CustomerOverview {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly interactions: InteractionsService,
    private readonly followUps: FollowUpsService,
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async overview(principal: Principal, customerId: string, timelineLimit = 20) {
    const customer = isUuid(customerId) ? await this.customers.byId(customerId) : null;
    if (!customer) throw Problem.notFound('customer', customerId);
    const seesDocumentNames = hasRole(principal, ...CLAIM_PURPOSES.documents);
    const [policies, claims, documents, interactions, followUps, timeline] = await Promise.all([
      this.customers.policiesOf(customer.id),
      this.dataSource.query<{ id: string; reference: string; status: ClaimStatus; policy_id: string; currency: string; total_claimed: string; total_paid: string | null; submitted_at: Date; intake_channel: string; filed_by_agent: string | null; process_instance_key: string | null }[]>(
        `SELECT id, reference, status, policy_id, currency, total_claimed, total_paid, submitted_at, intake_channel, filed_by_agent, process_instance_key
           FROM claim WHERE customer_id = $1 ORDER BY submitted_at DESC, id LIMIT 100`,
        [customer.id],
      ),
      this.dataSource.query<{ id: string; claim_id: string; reference: string; type: string; name: string; created_at: Date }[]>(
        `SELECT d.id, d.claim_id, c.reference, d.type, d.name, d.created_at FROM document d JOIN claim c ON c.id = d.claim_id WHERE c.customer_id = $1 ORDER BY d.created_at DESC, d.id LIMIT 100`,
        [customer.id],
      ),
      this.interactions.current(this.dataSource.manager, customer.id),
      this.followUps.ofCustomer(customer.id),
      timelinePage(this.dataSource.manager, customer.id, { limit: timelineLimit }),
    ]);
    const openTasks = await this.openTasks(claims.map((c) => c.process_instance_key).concat(followUps.map((f) => f.processInstanceKey)).filter((key): key is string => key !== null));
    return {
      customer: { id: customer.id, number: customer.number, fullName: customer.fullName, email: customer.email, phone: customer.phone, customerSince: customer.createdAt.toISOString() },
      policies: await Promise.all(policies.map(async (policy) => ({ ...policyView(policy), coverage: await this.customers.coverage(policy, coverageDate(policy)) }))),
      // Drafts too (a receipt mailed in opens one, a client may leave one unsent): marked, with no sending date.
      claims: claims.map((c) => ({
        id: c.id,
        reference: c.reference,
        status: c.status,
        draft: c.status === 'draft',
        statusText: c.status === 'draft' ? DRAFT_WORDING : STATUS_WORDING[c.status],
        policyId: c.policy_id,
        currency: c.currency,
        totalClaimed: Number(c.total_claimed),
        totalPaid: c.total_paid === null ? null : Number(c.total_paid),
        submittedAt: c.status === 'draft' ? null : new Date(c.submitted_at).toISOString(),
        intakeChannel: c.intake_channel,
        filedByAgent: c.filed_by_agent,
      })),
      documents: documents.map((d) => ({ id: d.id, claimId: d.claim_id, claimReference: d.reference, kind: d.type, ...(seesDocumentNames ? { name: d.name } : {}), receivedAt: new Date(d.created_at).toISOString() })),
      interactions: interactions.slice(0, 50).map((i) => ({ ...i, occurredAt: i.occurredAt.toISOString(), createdAt: i.createdAt.toISOString() })),
      followUps,
      openTasks: openTasks.items,
      openTasksUnavailable: openTasks.unavailable,
      // Invoices and arrears join here (and on the timeline) once billing's tables are merged: see CustomerTimelineSource.
      billing: null,
      timeline,
    };
  }

  /** The open user tasks of the customer's claims and follow-ups, from the engine; the page still shows without them if it is down. */
  private async openTasks(processInstanceKeys: readonly string[]): Promise<{ items: { userTaskKey: string; name: string; elementId: string; processInstanceKey: string; assignee: string | null; candidateGroups: string[]; dueDate: string | null }[]; unavailable: boolean }> {
    if (processInstanceKeys.length === 0) return { items: [], unavailable: false };
    try {
      const found = await this.engine.call<{ items: { userTaskKey: string; name?: string; elementId: string; processInstanceKey: string; assignee?: string; candidateGroups?: string[]; dueDate?: string }[] }>('POST', '/v2/user-tasks/search', {
        filter: { state: 'CREATED', processInstanceKey: { $in: processInstanceKeys.slice(0, 100) } },
        page: { from: 0, limit: 100 },
      });
      return { items: found.items.map((t) => ({ userTaskKey: t.userTaskKey, name: t.name || t.elementId, elementId: t.elementId, processInstanceKey: t.processInstanceKey, assignee: t.assignee ?? null, candidateGroups: t.candidateGroups ?? [], dueDate: t.dueDate ?? null })), unavailable: false };
    } catch (error) {
      this.logger.warn({ err: error }, 'open tasks of a customer could not be read from the engine');
      return { items: [], unavailable: true };
    }
  }
}
