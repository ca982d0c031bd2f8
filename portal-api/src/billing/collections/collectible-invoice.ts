import { type EntityManager } from 'typeorm';
import { invoiceById, type InvoiceSummary } from '../invoice-records';

/** An invoice as collections reads it: billing's summary and whose it is. */
export interface CollectibleInvoice extends InvoiceSummary {
  readonly policyNumber: string;
  readonly customerId: string;
}

export async function collectibleInvoice(manager: EntityManager, invoiceId: string, lock = false): Promise<CollectibleInvoice | null> {
  const invoice = await invoiceById(manager, invoiceId, lock ? 'FOR UPDATE' : '');
  if (!invoice) return null;
  const [policy] = await manager.query<{ number: string; customer_id: string }[]>(`SELECT number, customer_id FROM policy WHERE id = $1`, [invoice.policyId]);
  return { ...invoice, currency: invoice.currency.trim(), policyNumber: policy!.number, customerId: policy!.customer_id };
}
