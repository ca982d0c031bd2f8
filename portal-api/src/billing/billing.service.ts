import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '../claims/claim-access';
import { Problem } from '../http/problem';
import { todayUtc } from '../products/quote-dates';
import { LOGGER } from '../tokens';
import { scheduleById } from './billing-facts';
import { type IssueOutcome, issueLocked } from './invoice-issuer';
import { invoiceById, INVOICE_COLUMNS, type InvoiceSummary } from './invoice-records';
import { post } from './ledger-store';

export interface PaymentResult {
  paymentId: string;
  invoiceId: string;
  cents: number;
  /** What is still open on the invoice right after this payment. */
  amountOpenCents: number;
  status: 'open' | 'paid';
  /** True when the key had been recorded before: this is the first answer again, nothing moved. */
  replayed: boolean;
}

export interface WriteOffResult {
  invoiceId: string;
  writtenOffCents: number;
  replayed: boolean;
}

export interface StoppedSchedule {
  scheduleId: string;
  policyId: string;
  /** True when it was stopped before: nothing changed. */
  replayed: boolean;
}

export interface Arrears {
  policyId: string;
  /** The sum of what is open on invoices past their due date. */
  cents: number;
  /** The earliest due date among them (null without arrears). */
  oldestDueOn: string | null;
  invoiceIds: string[];
}

/** Postgres' unique violation: a concurrent transaction recorded the same key first. */
const UNIQUE_VIOLATION = '23505';

/**
 * Premium invoices and what is paid on them, exactly once: the calls the
 * billing run and the collections process make. Each runs in a transaction
 * of its own, or in the caller's when given one; each locks the invoice (or
 * schedule) row first, so that concurrent calls queue, and each remembers its
 * idempotency key with its first answer, so a replay gets that answer again.
 */
@Injectable()
export class BillingService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Issues the schedule's invoice (or credit note) for the period starting on `periodStart`; again asked, the same answer. */
  async issueInvoiceFor(scheduleId: string, periodStart: string, options: { issuedOn?: string; manager?: EntityManager } = {}): Promise<IssueOutcome> {
    return this.within(options.manager, async (manager) => {
      if (!isUuid(scheduleId)) throw Problem.notFound('billing schedule', scheduleId);
      // The policy first, as a change or cancellation locks it, then the schedule: cover cannot change under the issue.
      await manager.query(`SELECT p.id FROM policy p JOIN billing_schedule s ON s.policy_id = p.id WHERE s.id = $1 FOR SHARE OF p`, [scheduleId]);
      const schedule = await scheduleById(manager, scheduleId, 'FOR UPDATE');
      if (!schedule) throw Problem.notFound('billing schedule', scheduleId);
      const outcome = await issueLocked(manager, schedule, periodStart, options.issuedOn ?? todayUtc());
      if (outcome.outcome !== 'not-in-cover' && !outcome.replayed) this.logger.info({ scheduleId, policyId: schedule.policyId, periodStart, ...outcome }, 'premium invoice issued');
      return outcome;
    });
  }

  /**
   * Stops the policy's billing schedule for good: no run and no call issues
   * another period of it (collections calls this when it writes the policy
   * off). Invoices already issued stay as they are. Stopped twice, it
   * answers the first stop. The policy row first, then the schedule's, as the
   * run and the contract changes lock them, so a run in progress finishes
   * its batch before the stop and none starts after it.
   */
  async stopSchedule(policyId: string, manager?: EntityManager): Promise<StoppedSchedule> {
    return this.within(manager, async (tx) => {
      if (!isUuid(policyId)) throw Problem.notFound('policy', policyId);
      await tx.query(`SELECT id FROM policy WHERE id = $1 FOR SHARE`, [policyId]);
      const [schedule] = await tx.query<{ id: string; status: 'active' | 'stopped' }[]>(`SELECT id, status FROM billing_schedule WHERE policy_id = $1 FOR UPDATE`, [policyId]);
      if (!schedule) throw Problem.notFound('billing schedule of policy', policyId);
      if (schedule.status === 'stopped') return { scheduleId: schedule.id, policyId, replayed: true };
      await tx.query(`UPDATE billing_schedule SET status = 'stopped' WHERE id = $1`, [schedule.id]);
      this.logger.info({ scheduleId: schedule.id, policyId }, 'billing schedule stopped');
      return { scheduleId: schedule.id, policyId, replayed: false };
    });
  }

  /**
   * Records a payment of `cents` against an invoice: refuses more than is
   * open, raises what is paid, marks the invoice paid when nothing is open,
   * and posts `payment-received` (key `payment:<idempotency key>`). The key
   * stands for the whole payment: replayed with the same invoice and amount
   * it answers the first result; with another, it is refused (409).
   */
  async recordPayment(invoiceId: string, cents: number, idempotencyKey: string, manager?: EntityManager): Promise<PaymentResult> {
    if (!Number.isSafeInteger(cents) || cents <= 0) throw Problem.invalidField('cents', 'must be whole cents, more than 0');
    if (idempotencyKey.trim() === '' || idempotencyKey.length > 200) throw Problem.invalidField('idempotencyKey', 'must be 1 to 200 characters');
    return this.retryingDuplicate(manager, async (tx) => {
      const first = await this.paymentByKey(tx, idempotencyKey);
      if (first) return this.replayOf(first, invoiceId, cents);
      if (!isUuid(invoiceId)) throw Problem.notFound('invoice', invoiceId);
      const invoice = await invoiceById(tx, invoiceId, 'FOR UPDATE');
      if (!invoice) throw Problem.notFound('invoice', invoiceId);
      // A concurrent replay of the key waited on the lock: it finds the payment now.
      const raced = await this.paymentByKey(tx, idempotencyKey);
      if (raced) return this.replayOf(raced, invoiceId, cents);
      if (invoice.status !== 'open') throw Problem.conflict(`Invoice ${invoice.number} is ${invoice.status}: nothing is open to pay.`);
      if (cents > invoice.amountOpenCents) {
        throw Problem.unprocessable(`A payment of ${cents} cents is more than the ${invoice.amountOpenCents} cents open on invoice ${invoice.number}.`, [{ name: 'cents', reason: `must be at most the ${invoice.amountOpenCents} cents open` }]);
      }
      const openAfter = invoice.amountOpenCents - cents;
      const statusAfter = openAfter === 0 ? 'paid' : 'open';
      await tx.query(`UPDATE invoice SET amount_paid_cents = amount_paid_cents + $2, status = $3 WHERE id = $1`, [invoice.id, cents, statusAfter]);
      const [payment] = await tx.query<{ id: string }[]>(
        `INSERT INTO invoice_payment (invoice_id, idempotency_key, cents, open_after_cents, status_after) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [invoice.id, idempotencyKey, cents, openAfter, statusAfter],
      );
      await post(tx, { kind: 'payment-received', key: `payment:${idempotencyKey}`, reference: invoice.number, cents });
      this.logger.info({ invoiceId: invoice.id, policyId: invoice.policyId, cents, amountOpenCents: openAfter }, 'premium payment recorded');
      return { paymentId: payment!.id, invoiceId: invoice.id, cents, amountOpenCents: openAfter, status: statusAfter, replayed: false };
    });
  }

  /**
   * Writes off what is open on an invoice (posting `invoice-written-off`, key
   * `write-off:<invoice id>`) and marks it written off. An invoice is written
   * off once: asked again (with any key) it answers the first write-off; a key
   * already used for another invoice is refused.
   */
  async writeOff(invoiceId: string, idempotencyKey: string, manager?: EntityManager): Promise<WriteOffResult> {
    if (idempotencyKey.trim() === '' || idempotencyKey.length > 200) throw Problem.invalidField('idempotencyKey', 'must be 1 to 200 characters');
    return this.retryingDuplicate(manager, async (tx) => {
      if (!isUuid(invoiceId)) throw Problem.notFound('invoice', invoiceId);
      const invoice = await invoiceById(tx, invoiceId, 'FOR UPDATE');
      if (!invoice) throw Problem.notFound('invoice', invoiceId);
      const [keyed] = await tx.query<{ id: string }[]>(`SELECT id FROM invoice WHERE write_off_key = $1`, [idempotencyKey]);
      if (keyed && keyed.id !== invoice.id) throw Problem.conflict(`Write-off key ${idempotencyKey} was used for another invoice.`);
      if (invoice.status === 'written_off') {
        const [row] = await tx.query<{ cents: number }[]>(`SELECT written_off_cents::float8 AS cents FROM invoice WHERE id = $1`, [invoice.id]);
        return { invoiceId: invoice.id, writtenOffCents: row!.cents, replayed: true };
      }
      if (invoice.status !== 'open') throw Problem.conflict(`Invoice ${invoice.number} is ${invoice.status}: nothing is open to write off.`);
      const cents = invoice.amountOpenCents;
      await tx.query(`UPDATE invoice SET written_off_cents = written_off_cents + $2, status = 'written_off', write_off_key = $3 WHERE id = $1`, [invoice.id, cents, idempotencyKey]);
      await post(tx, { kind: 'invoice-written-off', key: `write-off:${invoice.id}`, reference: invoice.number, cents });
      this.logger.info({ invoiceId: invoice.id, policyId: invoice.policyId, cents }, 'premium invoice written off');
      return { invoiceId: invoice.id, writtenOffCents: cents, replayed: false };
    });
  }

  /** A policy's invoices with something open, the oldest due first. */
  async openInvoices(policyId: string, manager: EntityManager = this.dataSource.manager): Promise<InvoiceSummary[]> {
    if (!isUuid(policyId)) return [];
    return manager.query<InvoiceSummary[]>(`SELECT ${INVOICE_COLUMNS} FROM invoice i WHERE i.policy_id = $1 AND i.status = 'open' ORDER BY i.due_on, i.period_from`, [policyId]);
  }

  /** What a policy owes past due on `asOf` (today by default): the sum open and the oldest due date. */
  async arrears(policyId: string, options: { asOf?: string; manager?: EntityManager } = {}): Promise<Arrears> {
    const asOf = options.asOf ?? todayUtc();
    const overdue = (await this.openInvoices(policyId, options.manager)).filter((invoice) => invoice.dueOn < asOf);
    return {
      policyId,
      cents: overdue.reduce((sum, invoice) => sum + invoice.amountOpenCents, 0),
      oldestDueOn: overdue[0]?.dueOn ?? null,
      invoiceIds: overdue.map((invoice) => invoice.id),
    };
  }

  private async paymentByKey(manager: EntityManager, key: string) {
    const [row] = await manager.query<{ id: string; invoice_id: string; cents: number; open_after_cents: number; status_after: 'open' | 'paid' }[]>(
      `SELECT id, invoice_id, cents::float8 AS cents, open_after_cents::float8 AS open_after_cents, status_after FROM invoice_payment WHERE idempotency_key = $1`,
      [key],
    );
    return row;
  }

  private replayOf(first: NonNullable<Awaited<ReturnType<BillingService['paymentByKey']>>>, invoiceId: string, cents: number): PaymentResult {
    if (first.invoice_id !== invoiceId || first.cents !== cents) {
      throw Problem.conflict(`Payment key was recorded for ${first.cents} cents on invoice ${first.invoice_id}: it does not stand for ${cents} cents on ${invoiceId}.`);
    }
    return { paymentId: first.id, invoiceId, cents, amountOpenCents: first.open_after_cents, status: first.status_after, replayed: true };
  }

  private within<T>(manager: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  /**
   * In a transaction of its own, a unique violation means a concurrent call
   * recorded the same key first: once that one committed, running again
   * answers it. In the caller's transaction the error is theirs to handle.
   */
  private async retryingDuplicate<T>(manager: EntityManager | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (manager) return work(manager);
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      return this.dataSource.transaction(work);
    }
  }
}
