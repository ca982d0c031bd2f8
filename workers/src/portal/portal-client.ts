import { currentClaimLogKeys } from '@claims/deploy';
import { type ServiceToken } from './service-token';
import { type CollectionOutcome } from '../payments/collection-provider';
import { type CollectionAttemptAnswer, type CollectionAttemptOpening, type CollectionChargeRequest, type CollectionNotice, type CollectionPlan } from './collection-types';
import { type RenewalOffer, type RenewalPlan } from './renewal-types';
import { type BenefitCalculationRequest, type BreakdownLine, type ClaimFile, type ClaimSummary, type ClaimUpdate, type FraudContext, type NotificationRecord, type PaymentDetails, type PayoutRecord } from './portal-types';

/** An answer of the portal API that is not a success, with its problem+json detail. */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly path: string,
  ) {
    super(`Portal API ${path} answered ${status}: ${detail}`);
  }

  /** 4xx other than 408/429 will answer the same again: retrying does not help. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

/**
 * The portal API's internal endpoints, as the job workers use them (see the
 * portal's OpenAPI document, tag "internal (workers)"). Domain data is read
 * and written only here; the process carries ids, amounts and codes.
 */
export class PortalClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: ServiceToken,
  ) {}

  claim(claimId: string): Promise<ClaimFile> {
    return this.request('GET', `/internal/claims/${encodeURIComponent(claimId)}`);
  }

  /** The claim and its items only: what a step that reports on the claim reads (no policy or coverage is assembled). */
  claimSummary(claimId: string): Promise<ClaimSummary> {
    return this.request('GET', `/internal/claims/${encodeURIComponent(claimId)}/summary`);
  }

  /** Records a step's progress; the portal is asked not to assemble the claim file in answer (`Prefer: return=minimal`). */
  async updateClaim(claimId: string, update: ClaimUpdate): Promise<void> {
    await this.request('PATCH', `/internal/claims/${encodeURIComponent(claimId)}`, update, { prefer: 'return=minimal' });
  }

  /**
   * Records the process instance that carries the claim; false when another
   * instance already does (the portal answers 409 to a second one).
   */
  async recordProcessInstance(claimId: string, processInstanceKey: string): Promise<boolean> {
    try {
      await this.request('POST', `/internal/claims/${encodeURIComponent(claimId)}/process-instance`, { processInstanceKey });
      return true;
    } catch (error) {
      if (error instanceof PortalError && error.status === 409) return false;
      throw error;
    }
  }

  fraudContext(claimId: string): Promise<FraudContext> {
    return this.request('GET', `/internal/claims/${encodeURIComponent(claimId)}/fraud-context`);
  }

  paymentDetails(claimId: string): Promise<PaymentDetails> {
    return this.request('GET', `/internal/claims/${encodeURIComponent(claimId)}/payment-details`);
  }

  /** The authoritative calculation (under a lock on the policy); stores the breakdown and reserves limits and deductible. */
  calculateBenefit(claimId: string, input: BenefitCalculationRequest): Promise<{ claimId: string; totalPayable: number; currency: string; breakdown: readonly BreakdownLine[] }> {
    return this.request('POST', `/internal/claims/${encodeURIComponent(claimId)}/benefit-calculation`, input);
  }

  /** The payout attempt to call the provider with: the claim's paid one, its open one, or a new one. Refused (422) unless `amount` is the approved total. */
  payoutIntent(claimId: string, amount: number): Promise<{ payout: PayoutRecord; replayed: boolean }> {
    return this.request('POST', `/internal/claims/${encodeURIComponent(claimId)}/payout-intents`, { amount });
  }

  recordPayout(claimId: string, payout: { attemptKey: string; amount: number; status: 'paid' | 'rejected'; providerReference?: string; rejectionReason?: string }): Promise<{ payout: PayoutRecord; replayed: boolean }> {
    return this.request('POST', `/internal/claims/${encodeURIComponent(claimId)}/payouts`, payout);
  }

  contact(customerId: string): Promise<{ id: string; fullName: string; email: string; phone: string | null }> {
    return this.request('GET', `/internal/customers/${encodeURIComponent(customerId)}/contact`);
  }

  notificationSent(dedupKey: string): Promise<{ sent: boolean }> {
    return this.request('GET', `/internal/notifications?dedupKey=${encodeURIComponent(dedupKey)}`);
  }

  recordNotification(record: NotificationRecord): Promise<{ id: string }> {
    return this.request('POST', '/internal/notifications', record);
  }

  /** Records the renewal instance watching a policy and answers its timer dates (planned false: nothing to watch). */
  renewalPlan(policyId: string, processInstanceKey: string): Promise<RenewalPlan> {
    return this.request('POST', `/internal/policies/${encodeURIComponent(policyId)}/renewal-plan`, { processInstanceKey });
  }

  /** The renewal offer for the term ending `termEndsOn`, priced once. */
  renewalOffer(policyId: string, termEndsOn: string): Promise<{ offered: boolean; renewal: RenewalOffer | null }> {
    return this.request('POST', `/internal/policies/${encodeURIComponent(policyId)}/renewal-offer`, { termEndsOn });
  }

  renew(policyId: string, termEndsOn: string): Promise<{ renewed: boolean; cancelled: boolean; endsOn: string }> {
    return this.request('POST', `/internal/policies/${encodeURIComponent(policyId)}/renewal`, { termEndsOn });
  }

  expire(policyId: string, termEndsOn: string): Promise<{ expired: boolean }> {
    return this.request('POST', `/internal/policies/${encodeURIComponent(policyId)}/expiry`, { termEndsOn });
  }

  /** The customer-follow-up endpoints (`/internal/follow-ups/{id}/…`), for the follow-up steps. */
  followUp<T>(followUpId: string, part: 'process-instance' | 'escalation' | 'closure', body: unknown): Promise<T> {
    return this.request('POST', `/internal/follow-ups/${encodeURIComponent(followUpId)}/${part}`, body);
  }

  /** Records the collection instance of an invoice and answers its dates (planned false: nothing to collect). */
  collectionPlan(invoiceId: string, processInstanceKey: string): Promise<CollectionPlan> {
    return this.request('POST', `/internal/invoices/${encodeURIComponent(invoiceId)}/collection-plan`, { processInstanceKey });
  }

  /** Opens scheduled attempt `attempt` of an invoice, or answers the one opened under its key. */
  openCollectionAttempt(invoiceId: string, attempt: number): Promise<CollectionAttemptOpening> {
    return this.request('POST', `/internal/invoices/${encodeURIComponent(invoiceId)}/collection-attempts`, { attempt });
  }

  /** The charge of an attempt the portal opened (the client's "Pay now"). */
  collectionAttempt(attemptId: string): Promise<CollectionChargeRequest> {
    return this.request('GET', `/internal/collection-attempts/${encodeURIComponent(attemptId)}`);
  }

  /** Records the provider's answer for an attempt (and the payment, once). */
  recordCollectionOutcome(attemptId: string, outcome: CollectionOutcome): Promise<CollectionAttemptAnswer> {
    const body = outcome.status === 'collected' ? { status: 'collected', providerReference: outcome.providerReference } : { status: 'declined', kind: outcome.kind, code: outcome.code, reason: outcome.reason };
    return this.request('POST', `/internal/collection-attempts/${encodeURIComponent(attemptId)}/outcome`, body);
  }

  collectionNotice(invoiceId: string): Promise<CollectionNotice> {
    return this.request('GET', `/internal/invoices/${encodeURIComponent(invoiceId)}/collection-notice`);
  }

  /** The lapse, reinstatement and write-off steps of a collection case. */
  collectionStep<T>(invoiceId: string, step: 'lapse' | 'reinstatement' | 'write-off'): Promise<T> {
    return this.request('POST', `/internal/invoices/${encodeURIComponent(invoiceId)}/${step}`);
  }

  /** The policy-application endpoints (`/internal/applications/{id}/…`), for the application steps. */
  application<T>(method: 'GET' | 'POST', applicationId: string, part: string, body?: unknown): Promise<T> {
    return this.request(method, `/internal/applications/${encodeURIComponent(applicationId)}/${part}`, body);
  }

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, retried = false): Promise<T> {
    // The job's process instance, so the portal's lines for this call carry it too (the claim is in the path).
    const { processInstanceKey } = currentClaimLogKeys();
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...headers, authorization: `Bearer ${await this.token.get()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(processInstanceKey ? { 'x-process-instance-key': processInstanceKey } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status === 401 && !retried) {
      this.token.invalidate();
      return this.request(method, path, body, headers, true);
    }
    const text = await response.text();
    if (!response.ok) throw new PortalError(response.status, problemDetail(text), `${method} ${path.split('?')[0]}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function problemDetail(text: string): string {
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string; errors?: { name: string; reason: string }[] };
    const fields = (problem.errors ?? []).map((e) => `${e.name} ${e.reason}`).join('; ');
    return [problem.detail ?? problem.title, fields].filter(Boolean).join(' ') || text.slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}
