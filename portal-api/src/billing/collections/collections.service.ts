import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { type Principal } from '../../auth/principal';
import { isUuid } from '../../claims/claim-access';
import { ContractsService } from '../../contracts/contracts.service';
import { CustomersRepository } from '../../customers/customers.repository';
import { EngineClient } from '../../engine/engine-client';
import { Problem } from '../../http/problem';
import { addDays, todayUtc } from '../../products/quote-dates';
import { LOGGER } from '../../tokens';
import { attemptKey, collectionDates, collectionTerms, collectionTimers, type CollectionDates, type CollectionTerms } from './collection-plan';
import { BillingService } from '../billing.service';
import { post } from '../ledger-store';
import { collectibleInvoice, type CollectibleInvoice } from './collectible-invoice';
import { type ChargeableMethod, PaymentMethodsService } from './payment-methods.service';

export const COLLECTION_PROCESS_ID = 'premium-collection';
export const COLLECTION_START_MESSAGE = 'premium-collection-start';
export const INVOICE_PAID_MESSAGE = 'premium-invoice-paid';
export const PAY_NOW_MESSAGE = 'premium-pay-now';
const RETRY_DECISION_ID = 'collection-retry';
/** A message waits (buffered) while the case finishes a step and reaches the wait that catches it. */
const MESSAGE_TTL_MS = 3_600_000;
/** How long a SEPA direct debit can come back without question (the debtor's refund right for an authorised debit: eight weeks). */
const DIRECT_DEBIT_RETURN_DAYS = 56;
/** A pay-now attempt pending longer than this is handed to the case again when the client presses once more. */
const PAY_NOW_HANDOVER_MS = 120_000;

export type CaseStatus = 'collecting' | 'paid' | 'overdue' | 'lapsed' | 'reinstated' | 'written-off';

interface CaseRow {
  invoice_id: string;
  policy_id: string;
  process_instance_key: string | null;
  status: CaseStatus;
  due_on: string;
  grace_ends_on: string;
  lapses_on: string;
  reinstatable_until: string;
  retry_days: number[];
  round: number;
  lapsed_from: string | null;
  reinstated_on: string | null;
  written_off_on: string | null;
}

const CASE_COLUMNS = `invoice_id, policy_id, process_instance_key, status, due_on::text AS due_on, grace_ends_on::text AS grace_ends_on, lapses_on::text AS lapses_on,
  reinstatable_until::text AS reinstatable_until, retry_days, round, lapsed_from::text AS lapsed_from, reinstated_on::text AS reinstated_on, written_off_on::text AS written_off_on`;

interface AttemptRow {
  id: string;
  invoice_id: string;
  attempt: number;
  idempotency_key: string;
  payment_method_id: string;
  trigger: 'schedule' | 'pay-now';
  amount_cents: string;
  currency: string;
  outcome: 'pending' | 'collected' | 'submitted' | 'declined' | 'returned';
  provider_payment_id: string | null;
  decline_code: string | null;
  decline_kind: 'soft' | 'hard' | null;
  decline_reason: string | null;
  created_at: Date;
  decided_at: Date | null;
}

/** What the worker sends the provider for one attempt. */
export interface ChargeRequest {
  readonly attemptId: string;
  readonly idempotencyKey: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly method: ChargeableMethod;
  readonly reference: string;
}

/** An attempt opened (or opened before under this key): charge it. Settled: nothing is open any more. Busy: another charge is in flight. */
export type AttemptOpening =
  | { readonly status: 'charge'; readonly request: ChargeRequest; readonly replayed: boolean }
  | { readonly status: 'settled' }
  | { readonly status: 'busy' }
  | { readonly status: 'declined'; readonly declineKind: 'hard'; readonly declineCode: string; readonly reason: string };

export type ProviderOutcome = { readonly status: 'collected'; readonly providerReference: string } | { readonly status: 'declined'; readonly kind: 'soft' | 'hard'; readonly code: string; readonly reason: string };

const NO_METHOD_REASON = 'We have no payment method for your policy. Please choose how you want to pay on the invoice page.';

/**
 * The collection case of one invoice (bpmn/premium-collection.bpmn): its
 * plan and dates, the attempts and what the provider answered, the lapse,
 * reinstatement and write-off, and the client's "Pay now". Every step is
 * idempotent: a retried job finds the attempt by its key and the payment is
 * recorded under the provider's payment id, once.
 */
@Injectable()
export class CollectionsService {
  private readonly terms: CollectionTerms = collectionTerms();
  private retryDaysCache: readonly number[] | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: EngineClient,
    private readonly book: BillingService,
    private readonly methods: PaymentMethodsService,
    private readonly contracts: ContractsService,
    private readonly customers: CustomersRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Records the instance watching the invoice (the first wins) and answers the dates its timers use. */
  async plan(invoiceId: string, processInstanceKey: string) {
    const retryDays = await this.retryDays().catch((error: unknown) => {
      // The dates shown to the client then leave the retry days out; the process still asks the table at each decline.
      this.logger.warn({ err: error, invoiceId }, 'retry schedule not read from collection-retry');
      return [] as number[];
    });
    return this.dataSource.transaction(async (manager) => {
      const invoice = await this.invoice(manager, invoiceId, true);
      if (invoice.status !== 'open' || invoice.amountOpenCents === 0) return { planned: false as const, why: `invoice ${invoice.number} is ${invoice.status}` };
      const dates = collectionDates(invoice.dueOn, this.terms, retryDays);
      await manager.query(
        `INSERT INTO collection_case (invoice_id, policy_id, process_instance_key, due_on, grace_ends_on, lapses_on, reinstatable_until, retry_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (invoice_id) DO UPDATE SET process_instance_key = $3 WHERE collection_case.process_instance_key IS NULL`,
        [invoice.id, invoice.policyId, processInstanceKey, dates.dueOn, dates.graceEndsOn, dates.lapsesOn, dates.reinstatableUntil, dates.retryDays],
      );
      const found = (await this.caseRow(manager, invoice.id))!;
      if (found.process_instance_key !== processInstanceKey) return { planned: false as const, why: `instance ${found.process_instance_key} watches invoice ${invoice.number}` };
      const kept = datesOf(found);
      this.logger.info({ invoiceId, processInstanceKey, ...kept }, 'collection planned');
      // After a returned debit the new instance goes on counting attempts: each key stays one charge.
      const [{ last }] = (await manager.query<{ last: number }[]>(`SELECT coalesce(max(attempt), 0)::int AS last FROM collection_attempt WHERE invoice_id = $1 AND trigger = 'schedule'`, [invoice.id])) as [{ last: number }];
      return { planned: true as const, caseKey: caseKey(found), invoiceNumber: invoice.number, policyId: invoice.policyId, policyNumber: invoice.policyNumber, customerId: invoice.customerId, currency: invoice.currency, amountCents: invoice.amountOpenCents, ...kept, ...collectionTimers(kept), attempt: last + 1 };
    });
  }

  /**
   * Opens scheduled attempt `attempt` (or answers the one opened before under
   * its key, with the amount it was opened for: a key stands for one request).
   */
  async openAttempt(invoiceId: string, attempt: number): Promise<AttemptOpening> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockedCase(manager, invoiceId);
      const key = attemptKey(invoiceId, 'schedule', attempt);
      const earlier = await this.attemptByKey(manager, key);
      if (earlier) return { status: 'charge', request: await this.requestOf(manager, earlier), replayed: true };
      const invoice = await this.invoice(manager, invoiceId);
      if (invoice.status !== 'open' || invoice.amountOpenCents === 0) return { status: 'settled' };
      if (await this.pendingAttempt(manager, invoiceId)) return { status: 'busy' };
      const method = await this.methods.chargeable(manager, invoice.policyId);
      if (!method) {
        await manager.query(`UPDATE collection_case SET status = 'overdue' WHERE invoice_id = $1 AND status = 'collecting'`, [invoiceId]);
        return { status: 'declined', declineKind: 'hard', declineCode: 'no_payment_method', reason: NO_METHOD_REASON };
      }
      const row = await this.insertAttempt(manager, invoice, 'schedule', attempt, method.id);
      return { status: 'charge', request: { attemptId: row.id, idempotencyKey: key, amountCents: invoice.amountOpenCents, currency: invoice.currency, method: method.method, reference: invoice.number }, replayed: false };
    });
  }

  /** The request of an attempt opened before (the client's "Pay now"). */
  async attemptRequest(attemptId: string): Promise<ChargeRequest> {
    if (!isUuid(attemptId)) throw Problem.notFound('collection attempt', attemptId);
    const [row] = await this.dataSource.query<AttemptRow[]>(`SELECT * FROM collection_attempt WHERE id = $1`, [attemptId]);
    if (!row) throw Problem.notFound('collection attempt', attemptId);
    return this.requestOf(this.dataSource.manager, row);
  }

  /**
   * Records what the provider answered for an attempt and, for a charge, the
   * payment (key `payment:<provider payment id>`, so a replay records
   * nothing more). A direct debit is `submitted`: it may still be returned
   * by the bank. When the invoice is paid in full the case hears of it
   * (premium-invoice-paid), wherever it waits.
   */
  async recordOutcome(worker: Principal, attemptId: string, outcome: ProviderOutcome) {
    if (!isUuid(attemptId)) throw Problem.notFound('collection attempt', attemptId);
    const { row, replayed } = await this.dataSource.transaction(async (manager) => {
      const [found] = await manager.query<AttemptRow[]>(`SELECT * FROM collection_attempt WHERE id = $1 FOR UPDATE`, [attemptId]);
      if (!found) throw Problem.notFound('collection attempt', attemptId);
      if (found.outcome !== 'pending') {
        const same = outcome.status === 'collected' ? found.provider_payment_id === outcome.providerReference : found.outcome === 'declined' && found.decline_code === outcome.code;
        if (!same) throw Problem.conflict(`Attempt ${found.idempotency_key} was answered already (${found.outcome}); a different answer is not recorded.`);
        return { row: found, replayed: true };
      }
      const [method] = await manager.query<{ kind: string }[]>(`SELECT kind FROM payment_method WHERE id = $1`, [found.payment_method_id]);
      const [updated] = (await manager.query<[AttemptRow[], number]>(
        outcome.status === 'collected'
          ? `UPDATE collection_attempt SET outcome = $2, provider_payment_id = $3, decided_at = now() WHERE id = $1 RETURNING *`
          : `UPDATE collection_attempt SET outcome = 'declined', decline_kind = $2, decline_code = $3, decline_reason = $4, decided_at = now() WHERE id = $1 RETURNING *`,
        outcome.status === 'collected' ? [attemptId, method!.kind === 'sepa-direct-debit' ? 'submitted' : 'collected', outcome.providerReference] : [attemptId, outcome.kind, outcome.code, outcome.reason],
      ))[0];
      if (outcome.status === 'declined') await manager.query(`UPDATE collection_case SET status = 'overdue' WHERE invoice_id = $1 AND status = 'collecting'`, [found.invoice_id]);
      // The money is the provider's fact: it is booked with the answer, in this transaction, whatever the invoice became meanwhile.
      else {
        const invoice = await this.bookCollected(manager, updated!);
        // The last arrears paid, by whichever invoice's case: a policy lapsed for non-payment is active again.
        if (invoice.status === 'paid') await this.reinstateIfClear(manager, worker, invoice.policyId, invoice);
      }
      return { row: updated!, replayed: false };
    });
    const declined = row.outcome === 'declined';
    if (!declined) await this.paid(row);
    this.logger.info({ attemptId, invoiceId: row.invoice_id, key: row.idempotency_key, outcome: row.outcome, declineCode: row.decline_code, replayed }, 'collection attempt answered');
    return { collected: !declined, declineKind: row.decline_kind, declineCode: row.decline_code, reason: row.decline_reason, replayed };
  }

  /**
   * The bank returned a direct debit (SEPA R-transaction after settlement):
   * the payment is reversed in one transaction (the invoice is open again by
   * what the debit paid on it, the ledger posts `payment-reversed` under
   * `return:<provider payment id>`, once; an overpaid part's refund, still
   * held, is cancelled), and the case starts again in a new round: the
   * starter publishes its start, and the new instance hears only its own
   * round's messages.
   */
  async recordReturn(providerPaymentId: string, returned: { code: string; kind: 'soft' | 'hard'; reason: string }): Promise<{ reversed: boolean; invoiceId: string; cents: number }> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [attempt] = await manager.query<AttemptRow[]>(`SELECT * FROM collection_attempt WHERE provider_payment_id = $1 FOR UPDATE`, [providerPaymentId]);
      if (!attempt) throw Problem.notFound('collected payment', providerPaymentId);
      const cents = Number(attempt.amount_cents);
      if (attempt.outcome === 'returned') return { reversed: false, invoiceId: attempt.invoice_id, cents };
      if (attempt.outcome !== 'submitted') throw Problem.conflict(`Payment ${providerPaymentId} was not a direct debit (${attempt.outcome}); only a direct debit is returned by the bank.`);
      const invoice = await this.invoice(manager, attempt.invoice_id, true);
      // What the debit paid on the invoice, and what it took beyond that (refunded to the client, held while a return can come).
      const [payment] = await manager.query<{ cents: number }[]>(`SELECT cents::float8 AS cents FROM invoice_payment WHERE invoice_id = $1 AND idempotency_key = $2`, [invoice.id, providerPaymentId]);
      const applied = payment?.cents ?? 0;
      if (applied > 0 && invoice.status !== 'open' && invoice.status !== 'paid') throw Problem.conflict(`Invoice ${invoice.number} is ${invoice.status}; a return against it needs a person.`);
      const [refund] = await manager.query<{ id: string; cents: number; status: string }[]>(`SELECT id, cents::float8 AS cents, status FROM premium_refund WHERE collection_attempt_id = $1 FOR UPDATE`, [attempt.id]);
      if (applied > 0) await manager.query(`UPDATE invoice SET amount_paid_cents = amount_paid_cents - $2, status = 'open' WHERE id = $1`, [invoice.id, applied]);
      await post(manager, { kind: 'payment-reversed', key: `return:${providerPaymentId}`, reference: invoice.number, cents });
      if (refund?.status === 'pending') {
        // Not sent yet: the client is owed nothing back, the bank took it.
        await manager.query(`UPDATE premium_refund SET status = 'cancelled' WHERE id = $1`, [refund.id]);
        await post(manager, { kind: 'overpayment-refund-cancelled', key: `refund-cancelled:attempt:${attempt.id}`, reference: invoice.number, cents: refund.cents });
      } else if (refund?.status === 'paid') {
        // Refunded, then taken back by the bank: the client owes that part again, outside any invoice. A person settles it.
        this.logger.error({ providerPaymentId, invoiceId: invoice.id, refundId: refund.id, cents: refund.cents }, 'direct debit returned after its overpaid part was refunded: the client owes the refunded amount');
      }
      await manager.query(`UPDATE collection_attempt SET outcome = 'returned', decline_code = $2, decline_kind = $3, decline_reason = $4 WHERE id = $1`, [attempt.id, returned.code, returned.kind, returned.reason]);
      // Nothing of it had paid the invoice (all of it was a refunded surplus): the invoice owes no more than before, and its case does not start again.
      if (applied === 0) return { reversed: true, invoiceId: invoice.id, cents };
      // The new round runs from the return, weeks after the due date maybe: fresh grace, lapse and window, not the first round's (long past) dates.
      const found = await this.caseRow(manager, invoice.id, true);
      const fresh = collectionDates(todayUtc(), this.terms, found?.retry_days ?? []);
      await manager.query(
        `UPDATE collection_case SET status = 'overdue', process_instance_key = NULL, round = round + 1, due_on = $2, grace_ends_on = $3, lapses_on = $4, reinstatable_until = $5
          WHERE invoice_id = $1 AND status <> 'written-off'`,
        [invoice.id, fresh.dueOn, fresh.graceEndsOn, fresh.lapsesOn, fresh.reinstatableUntil],
      );
      return { reversed: true, invoiceId: invoice.id, cents };
    });
    this.logger.warn({ providerPaymentId, ...outcome, code: returned.code }, 'direct debit returned');
    return outcome;
  }

  /**
   * Lapses the policy from the case's lapse day, until further notice; not
   * when the invoice was paid meanwhile. One transaction under the invoice's
   * and the case's row locks (the order the payment paths take), so a payment
   * landing now is either seen here or waits for the lapse to commit.
   */
  async lapse(worker: Principal, invoiceId: string): Promise<{ lapsed: boolean; lapsesOn: string }> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const invoice = await this.invoice(manager, invoiceId, true);
      const found = await this.lockedCase(manager, invoiceId);
      if (found.status === 'lapsed' || found.status === 'written-off') return { lapsed: true, lapsesOn: found.lapses_on, changed: false, policyId: found.policy_id };
      if (invoice.status !== 'open') return { lapsed: false, lapsesOn: found.lapses_on, changed: false, policyId: found.policy_id };
      // A cancelled policy is not lapsed (its state does not change again): nothing to do, not an incident.
      if (await this.cancelled(manager, found.policy_id)) return { lapsed: false, lapsesOn: found.lapses_on, changed: false, policyId: found.policy_id };
      await this.contracts.changeStatus(worker, found.policy_id, { status: 'lapsed', effectiveFrom: found.lapses_on, reason: `Invoice ${invoice.number} unpaid after the grace period (due ${invoice.dueOn})` }, manager);
      await manager.query(`UPDATE collection_case SET status = 'lapsed', lapsed_from = lapses_on WHERE invoice_id = $1 AND status IN ('collecting', 'overdue')`, [invoiceId]);
      return { lapsed: true, lapsesOn: found.lapses_on, changed: true, policyId: found.policy_id };
    });
    if (outcome.changed) this.logger.info({ invoiceId, policyId: outcome.policyId, lapsesOn: outcome.lapsesOn }, 'policy lapsed for non-payment');
    return { lapsed: outcome.lapsed, lapsesOn: outcome.lapsesOn };
  }

  /**
   * Active again from the day the arrears were paid (the lapse before it stays
   * uncovered: the client paid for no cover in those days), once nothing else
   * of the policy is overdue; another unpaid invoice keeps it lapsed until it
   * is paid (its payment reinstates the policy: `reinstateIfClear`).
   */
  async reinstate(worker: Principal, invoiceId: string): Promise<{ reinstated: boolean; reinstatedOn: string | null }> {
    return this.dataSource.transaction(async (manager) => {
      const invoice = await this.invoice(manager, invoiceId, true);
      const found = await this.lockedCase(manager, invoiceId);
      if (found.status === 'reinstated') return { reinstated: true, reinstatedOn: found.reinstated_on };
      if (invoice.status !== 'paid') throw Problem.conflict(`Invoice ${invoice.number} is ${invoice.status}; the policy is reinstated once it is paid.`);
      const reinstatedOn = await this.reinstateIfClear(manager, worker, found.policy_id, invoice);
      return { reinstated: reinstatedOn !== null, reinstatedOn };
    });
  }

  /**
   * When the policy is lapsed for non-payment (a case of it lapsed) and
   * nothing of it is overdue any more, reinstates it from the day of its
   * latest payment (not before the latest lapse day) and marks its lapsed cases reinstated; answers the
   * day, or null when it stays lapsed. The policy row is locked first, so two
   * invoices paid at once do not both see the other still open.
   */
  private async reinstateIfClear(manager: EntityManager, worker: Principal, policyId: string, paid: { id: string; number: string }): Promise<string | null> {
    await manager.query(`SELECT id FROM policy WHERE id = $1 FOR UPDATE`, [policyId]);
    const lapsed = await manager.query<{ lapses_on: string }[]>(`SELECT lapses_on::text AS lapses_on FROM collection_case WHERE policy_id = $1 AND status = 'lapsed' ORDER BY lapses_on`, [policyId]);
    if (lapsed.length === 0) return null;
    const arrears = await this.book.arrears(policyId, { manager });
    if (arrears.cents > 0) return null;
    // The day the last arrears were paid (this invoice's or a lapsed case's latest payment), not the day a late or retried job runs.
    const [{ paidOn }] = (await manager.query<{ paidOn: string | null }[]>(
      `SELECT max(p.recorded_at AT TIME ZONE 'UTC')::date::text AS "paidOn" FROM invoice_payment p
        WHERE p.invoice_id = $2 OR p.invoice_id IN (SELECT invoice_id FROM collection_case WHERE policy_id = $1 AND status = 'lapsed')`,
      [policyId, paid.id],
    )) as [{ paidOn: string | null }];
    const clearedOn = paidOn ?? todayUtc();
    const latestLapse = lapsed.at(-1)!.lapses_on;
    const reinstatedOn = clearedOn < latestLapse ? latestLapse : clearedOn;
    await this.contracts.changeStatus(worker, policyId, { status: 'active', effectiveFrom: reinstatedOn, reason: `Arrears paid (invoice ${paid.number})` }, manager);
    await manager.query(`UPDATE collection_case SET status = 'reinstated', reinstated_on = $2 WHERE policy_id = $1 AND status = 'lapsed'`, [policyId, reinstatedOn]);
    this.logger.info({ policyId, paidInvoice: paid.number, reinstatedOn, lapsedCases: lapsed.length }, 'policy reinstated');
    return reinstatedOn;
  }

  /**
   * The window closed unpaid: what is open is written off (once, by key) and
   * the policy's billing schedule stops (no more invoices for a policy left
   * lapsed), in one transaction under the invoice's and the case's locks; the
   * policy stays lapsed. An invoice closed otherwise meanwhile (paid, or void
   * by a credit) answers writtenOff false: nothing to tell the client.
   */
  async writeOff(invoiceId: string): Promise<{ writtenOff: boolean }> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const invoice = await this.invoice(manager, invoiceId, true);
      await this.lockedCase(manager, invoiceId);
      if (invoice.status !== 'open' && invoice.status !== 'written_off') return { writtenOff: false, openCents: 0 };
      if (invoice.status === 'open') await this.book.writeOff(invoiceId, `write-off:${invoiceId}`, manager);
      await manager.query(`UPDATE billing_schedule SET status = 'stopped' WHERE policy_id = $1 AND status = 'active'`, [invoice.policyId]);
      await manager.query(`UPDATE collection_case SET status = 'written-off', written_off_on = $2 WHERE invoice_id = $1 AND status <> 'written-off'`, [invoiceId, todayUtc()]);
      return { writtenOff: true, openCents: invoice.amountOpenCents };
    });
    if (outcome.writtenOff) this.logger.info({ invoiceId, openCents: outcome.openCents }, 'invoice written off');
    return { writtenOff: outcome.writtenOff };
  }

  /** What the messages to the client say: amounts, dates, the last decline's reason. */
  async notice(invoiceId: string) {
    const invoice = await this.invoice(this.dataSource.manager, invoiceId);
    const found = await this.caseRow(this.dataSource.manager, invoiceId);
    if (!found) throw Problem.notFound('collection case', invoiceId);
    const [last] = await this.dataSource.query<{ decline_reason: string | null }[]>(`SELECT decline_reason FROM collection_attempt WHERE invoice_id = $1 AND outcome = 'declined' ORDER BY decided_at DESC LIMIT 1`, [invoiceId]);
    return {
      invoiceNumber: invoice.number,
      policyId: invoice.policyId,
      policyNumber: invoice.policyNumber,
      customerId: invoice.customerId,
      currency: invoice.currency,
      openCents: invoice.amountOpenCents,
      totalCents: invoice.totalCents,
      reason: last?.decline_reason ?? NO_METHOD_REASON,
      ...datesOf(found),
      reinstatedOn: found.reinstated_on,
    };
  }

  /**
   * The client's "Pay now": opens one attempt on the policy's current default
   * method and hands it to the case (premium-pay-now); one in flight at a time,
   * so a second press answers the first. Refused (409) when nothing is owed or
   * no case runs (the invoice is not due yet: it is collected on its due date).
   */
  async payNow(caller: Principal, invoiceId: string): Promise<{ attemptId: string; status: 'pending'; replayed: boolean }> {
    await this.ownInvoice(caller, invoiceId);
    const opened = await this.dataSource.transaction(async (manager) => {
      const found = await this.caseRow(manager, invoiceId, true);
      const invoice = await this.invoice(manager, invoiceId);
      if (invoice.status !== 'open' || invoice.amountOpenCents === 0) throw Problem.conflict(`Invoice ${invoice.number} is ${invoice.status === 'open' ? 'paid' : invoice.status.replace('_', ' ')}; nothing is left to pay.`);
      if (!found || !['collecting', 'overdue', 'lapsed'].includes(found.status)) throw Problem.conflict(`Invoice ${invoice.number} is collected on its due date, ${invoice.dueOn}.`);
      const pending = await this.pendingAttempt(manager, invoiceId);
      if (pending) return { row: pending, replayed: true, handOverAgain: pending.trigger === 'pay-now' && Date.now() - new Date(pending.created_at).getTime() > PAY_NOW_HANDOVER_MS };
      const method = await this.methods.chargeable(manager, invoice.policyId);
      if (!method) throw Problem.unprocessable('Choose how you want to pay first.', [{ name: 'paymentMethod', reason: 'is missing: add a card or a direct-debit mandate for this policy' }]);
      const [{ n }] = (await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM collection_attempt WHERE invoice_id = $1 AND trigger = 'pay-now'`, [invoiceId])) as [{ n: number }];
      return { row: await this.insertAttempt(manager, invoice, 'pay-now', n + 1, method.id), replayed: false, handOverAgain: false };
    });
    const handOver = () => this.engine.call('POST', '/v2/messages/publication', { name: PAY_NOW_MESSAGE, correlationKey: invoiceId, timeToLive: MESSAGE_TTL_MS, messageId: opened.row.idempotency_key, variables: { payNowAttemptId: opened.row.id } });
    if (!opened.replayed) {
      try {
        await handOver();
      } catch (error) {
        // Not handed to the case: take the attempt back so it blocks no other charge, and let the client try again.
        await this.dataSource.query(`DELETE FROM collection_attempt WHERE id = $1 AND outcome = 'pending'`, [opened.row.id]);
        this.logger.error({ err: error, invoiceId }, 'pay now not handed to the collection case');
        throw new Problem(503, 'Service unavailable', 'Your payment could not be started just now; nothing was charged. Please try again in a minute.');
      }
    } else if (opened.handOverAgain) {
      // Still pending long after the press: the portal may have stopped
      // between committing the attempt and handing it over, so the case never
      // heard of it and every later press would answer this attempt for good.
      // Handing it over again is safe: the same message id is refused while
      // the first is kept (then it was handed over), and a second job for the
      // attempt charges under its key, which the provider takes once.
      await handOver().then(
        () => this.logger.warn({ invoiceId, attemptId: opened.row.id }, 'pay now handed to the collection case again'),
        (error: { statusCode?: number }) => {
          if (error.statusCode !== 409) this.logger.error({ err: error, invoiceId, attemptId: opened.row.id }, 'pay now not handed to the collection case again');
        },
      );
    }
    return { attemptId: opened.row.id, status: 'pending', replayed: opened.replayed };
  }

  /** The client's view of an invoice's collection: state, dates of the plan (real ones once the case runs), attempts, the method it charges. */
  async clientView(caller: Principal, invoiceId: string) {
    const invoice = await this.ownInvoice(caller, invoiceId);
    const found = await this.caseRow(this.dataSource.manager, invoiceId);
    const dates = found ? datesOf(found) : collectionDates(invoice.dueOn, this.terms, await this.retryDays().catch(() => []));
    const attempts = await this.dataSource.query<AttemptRow[]>(`SELECT * FROM collection_attempt WHERE invoice_id = $1 ORDER BY created_at`, [invoiceId]);
    const method = await this.methods.defaultView(this.dataSource.manager, invoice.policyId);
    const status = invoice.status === 'paid' ? 'paid' : invoice.status === 'written_off' ? 'written-off' : (found?.status ?? 'scheduled');
    return {
      invoiceId,
      invoiceNumber: invoice.number,
      policyId: invoice.policyId,
      status,
      currency: invoice.currency,
      totalCents: invoice.totalCents,
      openCents: invoice.amountOpenCents,
      paymentMethod: method,
      canPayNow: invoice.status === 'open' && found !== undefined && ['collecting', 'overdue', 'lapsed'].includes(found.status),
      // Only while something is owed: a charge that lands on a settled invoice is kept as unapplied cash, not "in progress" for the client.
      paymentInProgress: invoice.status === 'open' && attempts.some((a) => a.outcome === 'pending'),
      ...dates,
      retryOn: dates.retryDays.map((d) => addDays(dates.dueOn, d)),
      lastReminderOn: collectionTimers(dates).lastReminderAt.slice(0, 10),
      lapsedFrom: found?.lapsed_from ?? null,
      reinstatedOn: found?.reinstated_on ?? null,
      attempts: attempts.map((a) => ({
        id: a.id,
        trigger: a.trigger,
        attempt: a.attempt,
        at: new Date(a.created_at).toISOString(),
        amountCents: Number(a.amount_cents),
        outcome: a.outcome,
        declineKind: a.decline_kind,
        reason: a.decline_reason,
      })),
    };
  }

  /** Open invoices due by `day` with no case yet (the starter publishes their start). */
  async dueWithoutCase(day: string, limit = 500): Promise<{ invoiceId: string; policyId: string }[]> {
    const rows = await this.dataSource.query<{ id: string; policy_id: string }[]>(
      `SELECT i.id, i.policy_id FROM invoice i WHERE i.status = 'open' AND i.due_on <= $1 AND NOT EXISTS (SELECT 1 FROM collection_case c WHERE c.invoice_id = i.id AND c.process_instance_key IS NOT NULL) ORDER BY i.due_on LIMIT $2`,
      [day, limit],
    );
    return rows.map((r) => ({ invoiceId: r.id, policyId: r.policy_id }));
  }

  /** The days after the due date the deployed retry table retries a soft decline on (attempt 1, 2, … until it says no). */
  private async retryDays(): Promise<readonly number[]> {
    if (this.retryDaysCache) return this.retryDaysCache;
    const days: number[] = [];
    for (let attempt = 1; attempt <= 10; attempt++) {
      const answer = await this.engine.call<{ output: string; failureMessage?: string }>('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: RETRY_DECISION_ID, variables: { attempt, declineKind: 'soft' } });
      const output = JSON.parse(answer.output || 'null') as { retry?: boolean; retryDayAfterDue?: number } | null;
      if (!output?.retry || typeof output.retryDayAfterDue !== 'number') break;
      days.push(output.retryDayAfterDue);
    }
    this.retryDaysCache = days;
    return days;
  }

  /**
   * Books what the provider took for an attempt, in the answer's transaction:
   * what is open on the invoice now is paid (`payment:<provider payment id>`);
   * what the attempt took beyond it (the invoice was lowered, credited or
   * closed while the charge was in flight) is the client's: posted
   * `payment-received` under `payment:<provider payment id>:unapplied` (the
   * cash is in the ledger), moved at once to refunds payable
   * (`overpayment-refund-due`) and owed as a premium refund for the attempt
   * (`premium-refund:attempt:<attempt id>`), which the refund payout sweep
   * sends like a credit note's. The attempt row is locked, so this runs once
   * per answer; the keys make a replay post nothing twice.
   */
  private async bookCollected(manager: EntityManager, row: AttemptRow): Promise<CollectibleInvoice> {
    const taken = Number(row.amount_cents);
    const invoice = await this.invoice(manager, row.invoice_id, true);
    const applied = invoice.status === 'open' ? Math.min(taken, invoice.amountOpenCents) : 0;
    if (applied > 0) await this.book.recordPayment(row.invoice_id, applied, row.provider_payment_id!, manager);
    const unapplied = taken - applied;
    if (unapplied === 0) return this.invoice(manager, row.invoice_id);
    await post(manager, { kind: 'payment-received', key: `payment:${row.provider_payment_id!}:unapplied`, reference: invoice.number, cents: unapplied });
    await post(manager, { kind: 'overpayment-refund-due', key: `refund-due:attempt:${row.id}`, reference: invoice.number, cents: unapplied });
    await manager.query(
      // A direct debit can still be returned by the client's bank: its refund waits out that time (a return meanwhile cancels it).
      `INSERT INTO premium_refund (policy_id, collection_attempt_id, idempotency_key, cents, currency, send_after)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(days => $6)) ON CONFLICT (collection_attempt_id) DO NOTHING`,
      [invoice.policyId, row.id, `premium-refund:attempt:${row.id}`, unapplied, invoice.currency, row.outcome === 'submitted' ? DIRECT_DEBIT_RETURN_DAYS : 0],
    );
    this.logger.warn({ invoiceId: row.invoice_id, attemptId: row.id, providerPaymentId: row.provider_payment_id, takenCents: taken, appliedCents: applied, unappliedCents: unapplied, invoiceStatus: invoice.status }, 'collected more than is open: the rest is refunded to the client');
    return this.invoice(manager, row.invoice_id);
  }

  /** After a charge was booked: when the invoice is paid in full, the case is told (a replayed answer tells it again, once by message id). */
  private async paid(row: AttemptRow): Promise<void> {
    const invoice = await this.invoice(this.dataSource.manager, row.invoice_id);
    if (invoice.status !== 'paid') return;
    await this.dataSource.query(`UPDATE collection_case SET status = 'paid' WHERE invoice_id = $1 AND status IN ('collecting', 'overdue')`, [row.invoice_id]);
    const found = (await this.caseRow(this.dataSource.manager, row.invoice_id))!;
    try {
      await this.engine.call('POST', '/v2/messages/publication', { name: INVOICE_PAID_MESSAGE, correlationKey: caseKey(found), timeToLive: MESSAGE_TTL_MS, messageId: `paid:${row.idempotency_key}`, variables: { paidBy: row.idempotency_key } });
    } catch (error) {
      // Published before by a replay of this step: the engine keeps one message per id.
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
  }

  private async insertAttempt(manager: EntityManager, invoice: CollectibleInvoice, trigger: 'schedule' | 'pay-now', attempt: number, methodId: string): Promise<AttemptRow> {
    const [row] = await manager.query<AttemptRow[]>(
      `INSERT INTO collection_attempt (invoice_id, attempt, idempotency_key, payment_method_id, trigger, amount_cents, currency) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [invoice.id, attempt, attemptKey(invoice.id, trigger, attempt), methodId, trigger, invoice.amountOpenCents, invoice.currency],
    );
    return row!;
  }

  private async requestOf(manager: EntityManager, row: AttemptRow): Promise<ChargeRequest> {
    const [method] = await manager.query<{ kind: string; iban: string | null; account_holder: string | null; mandate_reference: string | null; card_token: string | null }[]>(
      `SELECT kind, iban, account_holder, mandate_reference, card_token FROM payment_method WHERE id = $1`,
      [row.payment_method_id],
    );
    const [invoice] = await manager.query<{ number: string }[]>(`SELECT number FROM invoice WHERE id = $1`, [row.invoice_id]);
    const chargeable: ChargeableMethod = method!.kind === 'card' ? { kind: 'card', token: method!.card_token! } : { kind: 'sepa-direct-debit', iban: method!.iban!, accountHolder: method!.account_holder!, mandateReference: method!.mandate_reference! };
    return { attemptId: row.id, idempotencyKey: row.idempotency_key, amountCents: Number(row.amount_cents), currency: row.currency.trim(), method: chargeable, reference: invoice!.number };
  }

  private async cancelled(manager: EntityManager, policyId: string): Promise<boolean> {
    return (await manager.query<unknown[]>(`SELECT 1 FROM policy_status_period WHERE policy_id = $1 AND status = 'cancelled' LIMIT 1`, [policyId])).length > 0;
  }

  private async attemptByKey(manager: EntityManager, key: string): Promise<AttemptRow | undefined> {
    return (await manager.query<AttemptRow[]>(`SELECT * FROM collection_attempt WHERE idempotency_key = $1`, [key]))[0];
  }

  private async pendingAttempt(manager: EntityManager, invoiceId: string): Promise<AttemptRow | undefined> {
    return (await manager.query<AttemptRow[]>(`SELECT * FROM collection_attempt WHERE invoice_id = $1 AND outcome = 'pending'`, [invoiceId]))[0];
  }

  private async lockedCase(manager: EntityManager, invoiceId: string, lock = true): Promise<CaseRow> {
    if (!isUuid(invoiceId)) throw Problem.notFound('invoice', invoiceId);
    const found = await this.caseRow(manager, invoiceId, lock);
    if (found) return found;
    await this.invoice(manager, invoiceId);
    throw Problem.conflict(`Invoice ${invoiceId} has no collection case; its process plans one first.`);
  }

  private async caseRow(manager: EntityManager, invoiceId: string, lock = false): Promise<CaseRow | undefined> {
    return (await manager.query<CaseRow[]>(`SELECT ${CASE_COLUMNS} FROM collection_case WHERE invoice_id = $1${lock ? ' FOR UPDATE' : ''}`, [invoiceId]))[0];
  }

  private async invoice(manager: EntityManager, invoiceId: string, lock = false): Promise<CollectibleInvoice> {
    const invoice = isUuid(invoiceId) ? await collectibleInvoice(manager, invoiceId, lock) : null;
    if (!invoice) throw Problem.notFound('invoice', invoiceId);
    return invoice;
  }

  /** The caller's own invoice; another's answers 404 as if absent. */
  private async ownInvoice(caller: Principal, invoiceId: string): Promise<CollectibleInvoice> {
    const customer = await this.customers.bySubject(caller.subject);
    const invoice = isUuid(invoiceId) ? await collectibleInvoice(this.dataSource.manager, invoiceId) : null;
    if (!customer || !invoice || invoice.customerId !== customer.id) throw Problem.notFound('invoice', invoiceId);
    return invoice;
  }
}

/** What the case's messages correlate on: the invoice and the round (a returned debit starts a new one). */
function caseKey(row: CaseRow): string {
  return `${row.invoice_id}:${row.round}`;
}

function datesOf(row: CaseRow): CollectionDates {
  return { dueOn: row.due_on, graceEndsOn: row.grace_ends_on, lapsesOn: row.lapses_on, reinstatableUntil: row.reinstatable_until, retryDays: row.retry_days };
}

