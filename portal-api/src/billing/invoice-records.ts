import { type EntityManager } from 'typeorm';
import { type InvoiceLine } from './invoice-lines';

export type InvoiceStatus = 'open' | 'paid' | 'void' | 'written_off';

/** An invoice as the services and the client's reads answer it. */
export interface InvoiceSummary {
  id: string;
  number: string;
  policyId: string;
  periodFrom: string;
  periodTo: string;
  status: InvoiceStatus;
  issuedOn: string;
  dueOn: string;
  currency: string;
  totalCents: number;
  amountPaidCents: number;
  amountOpenCents: number;
}

/** A stored line reads back as the line `invoiceLines` computed. */
export type InvoiceLineView = InvoiceLine;

/** The columns of `InvoiceSummary`; bigint cents as float8 are exact below 2^53, which every CHECKed amount is. */
export const INVOICE_COLUMNS = `i.id, i.number, i.policy_id AS "policyId", to_char(i.period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(i.period_to, 'YYYY-MM-DD') AS "periodTo",
  i.status, to_char(i.issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(i.due_on, 'YYYY-MM-DD') AS "dueOn", i.currency,
  (i.total_cents + i.adjusted_cents)::float8 AS "totalCents", i.amount_paid_cents::float8 AS "amountPaidCents", i.amount_open_cents::float8 AS "amountOpenCents"`;

export async function invoiceById(manager: EntityManager, invoiceId: string, lock: 'FOR UPDATE' | '' = ''): Promise<InvoiceSummary | undefined> {
  const [row] = await manager.query<InvoiceSummary[]>(`SELECT ${INVOICE_COLUMNS} FROM invoice i WHERE i.id = $1 ${lock}`, [invoiceId]);
  return row;
}

export async function invoiceLinesOf(manager: EntityManager, invoiceId: string): Promise<InvoiceLineView[]> {
  return manager.query<InvoiceLineView[]>(
    `SELECT position, kind, code, insured_person_id AS "insuredPersonId", to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo", cents::float8 AS cents
       FROM invoice_line WHERE invoice_id = $1 ORDER BY position`,
    [invoiceId],
  );
}
