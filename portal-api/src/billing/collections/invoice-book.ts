import { type EntityManager } from 'typeorm';

/**
 * The invoice calls collections makes on billing (portal-api/src/billing,
 * README "Calls the collections work will make"). Billing binds its service
 * to this token, so collections depends on the calls, not on how invoices
 * are stored.
 */
export abstract class InvoiceBook {
  /** Locks the invoice, refuses more than is open, raises what is paid (paid when full) and posts `payment-received`; a replayed key answers the first result. */
  abstract recordPayment(invoiceId: string, cents: number, idempotencyKey: string): Promise<unknown>;
  /** Posts `invoice-written-off` for what is open and marks the invoice written off; once per key. */
  abstract writeOff(invoiceId: string, idempotencyKey: string): Promise<unknown>;
  /** The sum of open amounts past their due date and the oldest due date. */
  abstract arrears(policyId: string): Promise<{ cents: number; oldestDueOn: string | null }>;
}

/** An invoice as collections reads it: what is open, when it fell due, whose it is. */
export interface CollectibleInvoice {
  readonly id: string;
  readonly number: string;
  readonly policyId: string;
  readonly policyNumber: string;
  readonly customerId: string;
  readonly status: 'open' | 'paid' | 'void' | 'written_off';
  readonly dueOn: string;
  readonly totalCents: number;
  readonly paidCents: number;
  readonly openCents: number;
  readonly currency: string;
}

export async function collectibleInvoice(manager: EntityManager, invoiceId: string, lock = false): Promise<CollectibleInvoice | null> {
  const [row] = await manager.query<{ id: string; number: string; policy_id: string; policy_number: string; customer_id: string; status: CollectibleInvoice['status']; due_on: string; total_cents: string; amount_paid_cents: string; currency: string }[]>(
    `SELECT i.id, i.number, i.policy_id, p.number AS policy_number, p.customer_id, i.status, i.due_on::text AS due_on, i.total_cents, i.amount_paid_cents, i.currency
     FROM invoice i JOIN policy p ON p.id = i.policy_id WHERE i.id = $1${lock ? ' FOR UPDATE OF i' : ''}`,
    [invoiceId],
  );
  if (!row) return null;
  const totalCents = Number(row.total_cents);
  const paidCents = Number(row.amount_paid_cents);
  return { id: row.id, number: row.number, policyId: row.policy_id, policyNumber: row.policy_number, customerId: row.customer_id, status: row.status, dueOn: row.due_on, totalCents, paidCents, openCents: row.status === 'open' ? totalCents - paidCents : 0, currency: row.currency.trim() };
}
