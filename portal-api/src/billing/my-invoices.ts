import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { Problem } from '../http/problem';
import { scheduleById } from './billing-facts';
import { previewNext } from './invoice-issuer';
import { INVOICE_COLUMNS, invoiceLinesOf, type InvoiceSummary } from './invoice-records';

/**
 * A client's invoices and the preview of their next one. Only the caller's
 * own: another client's invoice or policy is "not found", as elsewhere.
 */
@Injectable()
export class MyInvoices {
  constructor(private readonly dataSource: DataSource) {}

  async list(caller: Principal): Promise<{ items: InvoiceSummary[] }> {
    const items = await this.dataSource.query<InvoiceSummary[]>(
      `SELECT ${INVOICE_COLUMNS} FROM invoice i JOIN policy p ON p.id = i.policy_id JOIN customer c ON c.id = p.customer_id
        WHERE c.subject = $1 ORDER BY i.period_from DESC, i.number DESC LIMIT 500`,
      [caller.subject],
    );
    return { items };
  }

  async one(caller: Principal, invoiceId: string) {
    const [invoice] = isUuid(invoiceId)
      ? await this.dataSource.query<InvoiceSummary[]>(
        `SELECT ${INVOICE_COLUMNS} FROM invoice i JOIN policy p ON p.id = i.policy_id JOIN customer c ON c.id = p.customer_id WHERE i.id = $1 AND c.subject = $2`,
        [invoiceId, caller.subject],
      )
      : [];
    if (!invoice) throw Problem.notFound('invoice', invoiceId);
    return { ...invoice, lines: await invoiceLinesOf(this.dataSource.manager, invoice.id) };
  }

  /**
   * What the next invoice of the policy will say, computed by the terms
   * builder and `invoiceLines` the billing run uses: the run issues these
   * lines, unless the policy's records change before it.
   */
  async preview(caller: Principal, policyId: string) {
    const [own] = isUuid(policyId)
      ? await this.dataSource.query<{ id: string }[]>(
        `SELECT s.id FROM billing_schedule s JOIN policy p ON p.id = s.policy_id JOIN customer c ON c.id = p.customer_id WHERE s.policy_id = $1 AND c.subject = $2`,
        [policyId, caller.subject],
      )
      : [];
    const schedule = own ? await scheduleById(this.dataSource.manager, own.id) : undefined;
    if (!schedule) throw Problem.notFound('policy', policyId);
    const { period, draft, inCover } = await previewNext(this.dataSource.manager, schedule);
    if (schedule.status !== 'active' || !inCover) return { policyId, next: null };
    return {
      policyId,
      next: {
        kind: draft.totalCents < 0 ? 'credit-note' : 'invoice',
        periodFrom: period.from,
        periodTo: period.to,
        currency: draft.currency,
        lines: draft.lines,
        premiumCents: draft.premiumCents,
        discountCents: draft.discountCents,
        feeCents: draft.feeCents,
        adjustmentCents: draft.adjustmentCents,
        totalCents: draft.totalCents,
      },
    };
  }
}
