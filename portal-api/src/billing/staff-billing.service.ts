import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { CustomersRepository } from '../customers/customers.repository';
import { Problem } from '../http/problem';
import { todayUtc } from '../products/quote-dates';
import { type PortalSettings } from '../settings';
import { PORTAL_SETTINGS } from '../tokens';
import { AdjustmentsService, type AdjustmentView } from './adjustments.service';
import { type InvoiceDocument, invoicePdf } from './invoice-pdf';
import { INVOICE_COLUMNS, invoiceLinesOf, type InvoiceSummary } from './invoice-records';

export interface ArrearsRow {
  policyId: string;
  policyNumber: string;
  customerId: string;
  customerName: string;
  currency: string;
  cents: number;
  oldestDueOn: string;
  invoices: number;
}

export interface CollectionCaseView {
  invoiceId: string;
  invoiceNumber: string;
  status: string;
  dueOn: string;
  graceEndsOn: string;
  lapsesOn: string;
  reinstatableUntil: string;
  lapsedFrom: string | null;
  reinstatedOn: string | null;
  writtenOffOn: string | null;
  attempts: { id: string; trigger: 'schedule' | 'pay-now'; attempt: number; at: string; cents: number; outcome: string; declineKind: 'soft' | 'hard' | null; declineCode: string | null; reason: string | null }[];
}

export interface CustomerBilling {
  customer: { id: string; fullName: string };
  policies: {
    id: string;
    number: string;
    status: string;
    currency: string;
    invoices: (InvoiceSummary & { creditedCents: number })[];
    payments: { id: string; invoiceId: string; invoiceNumber: string; cents: number; recordedAt: string }[];
    creditNotes: { id: string; number: string; invoiceId: string | null; reason: string; issuedOn: string; totalCents: number }[];
    /** For a credit note (its number), or for a charge that took more than was open (the invoice's number). */
    /** `sendAfter`: a direct debit's overpaid part waits until the bank can no longer return the debit; a return cancels it. */
    refunds: { id: string; forNumber: string; cause: 'credit-note' | 'overpayment'; cents: number; status: 'pending' | 'paid' | 'cancelled'; sendAfter: string; paidAt: string | null }[];
    arrears: { cents: number; oldestDueOn: string | null };
    /** How the policy pays now, masked as the client sees it (null: none chosen). */
    paymentMethod: { kind: 'sepa-direct-debit' | 'card'; label: string; mandateReference: string | null; since: string } | null;
    /** Each invoice's collection case: where it stands, its dates, and every charge tried with its outcome and the reason given to the client. */
    collections: CollectionCaseView[];
  }[];
  adjustments: AdjustmentView[];
  /** The ledger for this customer's documents: what they owe (receivable) and what is owed to them (refunds payable), in cents. */
  ledger: { receivableCents: number; refundsPayableCents: number };
}

/**
 * Billing as staff read it: one customer's invoices, payments, credit notes,
 * refunds, arrears and ledger balance; the arrears of all policies; and an
 * invoice as PDF (the client reads their own). Reads only: what moves money
 * is in the billing, adjustment and cancellation services.
 */
@Injectable()
export class StaffBillingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly adjustments: AdjustmentsService,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
  ) {}

  async customerBilling(customerId: string, today = todayUtc()): Promise<CustomerBilling> {
    const db = this.dataSource.manager;
    const [customer] = isUuid(customerId) ? await db.query<{ id: string; fullName: string }[]>(`SELECT id, full_name AS "fullName" FROM customer WHERE id = $1`, [customerId]) : [];
    if (!customer) throw Problem.notFound('customer', customerId);
    const policies = await db.query<{ id: string; number: string; status: string; currency: string }[]>(`SELECT id, number, status, currency FROM policy WHERE customer_id = $1 ORDER BY starts_on, number`, [customerId]);
    const ids = policies.map((p) => p.id);
    const invoices = await db.query<(InvoiceSummary & { creditedCents: number })[]>(
      `SELECT ${INVOICE_COLUMNS}, i.credited_cents::float8 AS "creditedCents" FROM invoice i WHERE i.policy_id = ANY($1::uuid[]) ORDER BY i.period_from DESC, i.number DESC`,
      [ids],
    );
    const payments = await db.query<{ id: string; policyId: string; invoiceId: string; invoiceNumber: string; cents: number; recordedAt: Date }[]>(
      `SELECT pay.id, i.policy_id AS "policyId", i.id AS "invoiceId", i.number AS "invoiceNumber", pay.cents::float8 AS cents, pay.recorded_at AS "recordedAt"
         FROM invoice_payment pay JOIN invoice i ON i.id = pay.invoice_id WHERE i.policy_id = ANY($1::uuid[]) ORDER BY pay.recorded_at DESC`,
      [ids],
    );
    const notes = await db.query<{ id: string; policyId: string; number: string; invoiceId: string | null; reason: string; issuedOn: string; totalCents: number }[]>(
      `SELECT id, policy_id AS "policyId", number, invoice_id AS "invoiceId", reason, to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn", total_cents::float8 AS "totalCents"
         FROM credit_note WHERE policy_id = ANY($1::uuid[]) ORDER BY issued_on DESC, number DESC`,
      [ids],
    );
    const refunds = await db.query<{ id: string; policyId: string; forNumber: string; cause: 'credit-note' | 'overpayment'; cents: number; status: 'pending' | 'paid' | 'cancelled'; sendAfter: Date; paidAt: Date | null }[]>(
      `SELECT r.id, r.policy_id AS "policyId", coalesce(n.number, ai.number) AS "forNumber", CASE WHEN r.credit_note_id IS NULL THEN 'overpayment' ELSE 'credit-note' END AS cause,
              r.cents::float8 AS cents, r.status, r.send_after AS "sendAfter", r.paid_at AS "paidAt"
         FROM premium_refund r LEFT JOIN credit_note n ON n.id = r.credit_note_id LEFT JOIN collection_attempt a ON a.id = r.collection_attempt_id LEFT JOIN invoice ai ON ai.id = a.invoice_id WHERE r.policy_id = ANY($1::uuid[]) ORDER BY r.created_at DESC`,
      [ids],
    );
    const methods = await db.query<{ policyId: string; kind: 'sepa-direct-debit' | 'card'; ibanMasked: string | null; cardBrand: string | null; cardLast4: string | null; mandateReference: string | null; since: Date }[]>(
      `SELECT policy_id AS "policyId", kind, iban_masked AS "ibanMasked", card_brand AS "cardBrand", card_last4 AS "cardLast4", mandate_reference AS "mandateReference", created_at AS since
         FROM payment_method WHERE policy_id = ANY($1::uuid[]) AND is_default`,
      [ids],
    );
    const cases = await this.collectionCases(ids);
    // Entries name the invoice or credit note they are for: the customer's balance is the sum of theirs.
    const references = [...invoices.map((i) => i.number), ...notes.map((n) => n.number)];
    const [ledger] = await db.query<{ receivable: number; payable: number }[]>(
      `SELECT coalesce(sum(CASE WHEN p.account = 'premiums_receivable' THEN (CASE p.side WHEN 'debit' THEN p.cents ELSE -p.cents END) END), 0)::float8 AS receivable,
              coalesce(sum(CASE WHEN p.account = 'refunds_payable' THEN (CASE p.side WHEN 'credit' THEN p.cents ELSE -p.cents END) END), 0)::float8 AS payable
         FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id WHERE e.reference = ANY($1::text[])`,
      [references],
    );
    return {
      customer,
      policies: policies.map((policy) => {
        const own = invoices.filter((i) => i.policyId === policy.id);
        const overdue = own.filter((i) => i.status === 'open' && i.dueOn < today).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
        return {
          ...policy,
          invoices: own,
          payments: payments.filter((p) => p.policyId === policy.id).map(({ policyId: _policy, recordedAt, ...rest }) => ({ ...rest, recordedAt: new Date(recordedAt).toISOString() })),
          creditNotes: notes.filter((n) => n.policyId === policy.id).map(({ policyId: _policy, ...rest }) => rest),
          refunds: refunds.filter((r) => r.policyId === policy.id).map(({ policyId: _policy, paidAt, sendAfter, ...rest }) => ({ ...rest, sendAfter: new Date(sendAfter).toISOString(), paidAt: paidAt && new Date(paidAt).toISOString() })),
          arrears: { cents: overdue.reduce((sum, i) => sum + i.amountOpenCents, 0), oldestDueOn: overdue[0]?.dueOn ?? null },
          paymentMethod: methodView(methods.find((m) => m.policyId === policy.id)),
          collections: cases.filter((c) => c.policyId === policy.id).map(({ policyId: _policy, ...rest }) => rest),
        };
      }),
      adjustments: ids.length === 0 ? [] : await this.adjustments.list(undefined, ids),
      ledger: { receivableCents: ledger?.receivable ?? 0, refundsPayableCents: ledger?.payable ?? 0 },
    };
  }

  /** The collection cases of these policies, newest due first, each with its attempts in order. */
  private async collectionCases(policyIds: string[]): Promise<(CollectionCaseView & { policyId: string })[]> {
    if (policyIds.length === 0) return [];
    const day = (column: string, as: string) => `to_char(k.${column}, 'YYYY-MM-DD') AS "${as}"`;
    const cases = await this.dataSource.query<(Omit<CollectionCaseView, 'attempts'> & { policyId: string })[]>(
      `SELECT k.invoice_id AS "invoiceId", i.number AS "invoiceNumber", k.policy_id AS "policyId", k.status,
              ${day('due_on', 'dueOn')}, ${day('grace_ends_on', 'graceEndsOn')}, ${day('lapses_on', 'lapsesOn')}, ${day('reinstatable_until', 'reinstatableUntil')},
              ${day('lapsed_from', 'lapsedFrom')}, ${day('reinstated_on', 'reinstatedOn')}, ${day('written_off_on', 'writtenOffOn')}
         FROM collection_case k JOIN invoice i ON i.id = k.invoice_id WHERE k.policy_id = ANY($1::uuid[]) ORDER BY k.due_on DESC, i.number DESC`,
      [policyIds],
    );
    const attempts = await this.dataSource.query<(CollectionCaseView['attempts'][number] & { invoiceId: string; atTime: Date })[]>(
      `SELECT a.id, a.invoice_id AS "invoiceId", a.trigger, a.attempt, a.created_at AS "atTime", a.amount_cents::float8 AS cents, a.outcome,
              a.decline_kind AS "declineKind", a.decline_code AS "declineCode", a.decline_reason AS reason
         FROM collection_attempt a WHERE a.invoice_id = ANY($1::uuid[]) ORDER BY a.created_at, a.attempt`,
      [cases.map((c) => c.invoiceId)],
    );
    return cases.map((c) => ({
      ...c,
      attempts: attempts.filter((a) => a.invoiceId === c.invoiceId).map(({ invoiceId: _invoice, atTime, ...rest }) => ({ ...rest, at: new Date(atTime).toISOString() })),
    }));
  }

  /** Every policy with open invoices past their due date, the oldest first. */
  async arrears(today = todayUtc()): Promise<ArrearsRow[]> {
    return this.dataSource.query<ArrearsRow[]>(
      `SELECT p.id AS "policyId", p.number AS "policyNumber", c.id AS "customerId", c.full_name AS "customerName", p.currency,
              sum(i.amount_open_cents)::float8 AS cents, to_char(min(i.due_on), 'YYYY-MM-DD') AS "oldestDueOn", count(*)::int AS invoices
         FROM invoice i JOIN policy p ON p.id = i.policy_id JOIN customer c ON c.id = p.customer_id
        WHERE i.status = 'open' AND i.due_on < $1
        GROUP BY p.id, c.id ORDER BY min(i.due_on), p.number LIMIT 500`,
      [today],
    );
  }

  async staffInvoicePdf(invoiceId: string): Promise<{ number: string; pdf: Buffer }> {
    return this.pdfOf(this.dataSource.manager, invoiceId, null);
  }

  /** The client's own invoice; another's answers 404 as if absent. */
  async clientInvoicePdf(caller: Principal, invoiceId: string): Promise<{ number: string; pdf: Buffer }> {
    const customer = await this.customers.bySubject(caller.subject);
    if (!customer) throw Problem.notFound('invoice', invoiceId);
    return this.pdfOf(this.dataSource.manager, invoiceId, customer.id);
  }

  private async pdfOf(manager: EntityManager, invoiceId: string, ownerId: string | null): Promise<{ number: string; pdf: Buffer }> {
    const [invoice] = isUuid(invoiceId)
      ? await manager.query<(InvoiceSummary & { linesCents: number; adjustedCents: number; creditedCents: number; policyNumber: string; holder: string; customerId: string })[]>(
        `SELECT ${INVOICE_COLUMNS}, i.total_cents::float8 AS "linesCents", i.adjusted_cents::float8 AS "adjustedCents", i.credited_cents::float8 AS "creditedCents", p.number AS "policyNumber", c.full_name AS holder, c.id AS "customerId"
           FROM invoice i JOIN policy p ON p.id = i.policy_id JOIN customer c ON c.id = p.customer_id WHERE i.id = $1`,
        [invoiceId],
      )
      : [];
    if (!invoice || (ownerId !== null && invoice.customerId !== ownerId)) throw Problem.notFound('invoice', invoiceId);
    const lines = await invoiceLinesOf(manager, invoice.id);
    // Lines name the holder by the customer id and dependants by their member row.
    const members = await manager.query<{ id: string; fullName: string }[]>(`SELECT id::text, full_name AS "fullName" FROM policy_member WHERE policy_id = $1`, [invoice.policyId]);
    const document: InvoiceDocument = {
      number: invoice.number,
      issuedOn: invoice.issuedOn,
      dueOn: invoice.dueOn,
      period: { from: invoice.periodFrom, to: invoice.periodTo },
      policyNumber: invoice.policyNumber,
      holder: invoice.holder,
      currency: invoice.currency,
      lines,
      totalCents: invoice.linesCents,
      adjustedCents: invoice.adjustedCents,
      paidCents: invoice.amountPaidCents,
      creditedCents: invoice.creditedCents,
      insuredNames: Object.fromEntries<string>([[invoice.customerId, invoice.holder], ...members.map((m): [string, string] => [m.id, m.fullName])]),
      // Collection by mandate or card is the payment methods' part; until a policy has one, the invoice asks for a transfer.
      payment: { kind: 'transfer' },
      payee: this.settings.billingPayee,
    };
    return { number: invoice.number, pdf: await invoicePdf(document) };
  }
}

function methodView(row: { kind: 'sepa-direct-debit' | 'card'; ibanMasked: string | null; cardBrand: string | null; cardLast4: string | null; mandateReference: string | null; since: Date } | undefined): CustomerBilling['policies'][number]['paymentMethod'] {
  if (!row) return null;
  const label = row.kind === 'card' ? `${row.cardBrand ? `${row.cardBrand} ` : ''}card ending ${row.cardLast4}` : `direct debit from ${row.ibanMasked}`;
  return { kind: row.kind, label, mandateReference: row.mandateReference, since: new Date(row.since).toISOString() };
}
