import { type EntityManager } from 'typeorm';
import { takeNumbers } from './invoice-issuer';
import { post } from './ledger-store';
import { cancellationRefund, type CancellationRefund, type InvoicedPeriod, type RefundRule } from './refund-calculation';

/** The invoices a cancellation may credit: not void, not written off. */
export interface CancellableInvoice extends InvoicedPeriod {
  number: string;
  currency: string;
}

export interface CancellationCredit {
  rule: RefundRule;
  calculation: CancellationRefund;
  creditNotes: { id: string; number: string; invoiceId: string; cents: number; refundCents: number }[];
  refunds: { id: string; idempotencyKey: string; cents: number }[];
}

/**
 * The policy's invoices that could give something back, locked until the
 * caller commits (a payment recorded meanwhile would change what is open),
 * with the premium of each: its premium, proration and discount lines, each
 * with the days it is for.
 */
export async function cancellableInvoices(manager: EntityManager, policyId: string): Promise<CancellableInvoice[]> {
  const rows = await manager.query<{ id: string; number: string; currency: string; period_from: string; period_to: string; total: string; paid: string; credited: string; premium: string; lines: { from: string; to: string; cents: string }[] }[]>(
    `SELECT i.id, i.number, i.currency, i.period_from::text, i.period_to::text,
            (i.total_cents + i.adjusted_cents)::text AS total, i.amount_paid_cents::text AS paid, i.credited_cents::text AS credited,
            greatest(0, (SELECT coalesce(sum(l.cents), 0) FROM invoice_line l WHERE l.invoice_id = i.id AND l.kind IN ('premium', 'proration', 'discount')))::text AS premium,
            (SELECT coalesce(json_agg(json_build_object('from', l.period_from::text, 'to', l.period_to::text, 'cents', l.cents::text) ORDER BY l.position), '[]')
               FROM invoice_line l WHERE l.invoice_id = i.id AND l.kind IN ('premium', 'proration', 'discount')) AS lines
       FROM invoice i WHERE i.policy_id = $1 AND i.status IN ('open', 'paid') ORDER BY i.period_from FOR UPDATE OF i`,
    [policyId],
  );
  return rows.map((row) => ({
    invoiceId: row.id,
    number: row.number,
    currency: row.currency,
    period: { from: row.period_from, to: row.period_to },
    premiumCents: Number(row.premium),
    // Each line over its own days: a price change inside the period is given back at the price of the unused days.
    premiumLines: row.lines.map((line) => ({ period: { from: line.from, to: line.to }, cents: Number(line.cents) })),
    totalCents: Number(row.total),
    paidCents: Number(row.paid),
    creditedCents: Number(row.credited),
  }));
}

/**
 * Credits a cancelled policy's invoices for the premium it no longer owes,
 * in the cancellation's transaction: per invoice a credit note of the
 * `CN-YYYY` series (gapless: `takeNumbers`); the part that was still open lowers the invoice
 * (`credit-note-issued`), the part already paid is owed back
 * (`refund-due`) and becomes a refund to pay, one per credit note with the
 * idempotency key `premium-refund:<credit note id>`. An invoice is credited for a
 * cancellation once (a unique index): a second call finds it credited and
 * gives nothing more.
 */
export async function creditCancellation(manager: EntityManager, policyId: string, cancelledFrom: string, issuedOn: string, rule: RefundRule): Promise<CancellationCredit> {
  const invoices = (await cancellableInvoices(manager, policyId));
  const [already] = await manager.query<{ invoice_ids: string[] }[]>(`SELECT coalesce(array_agg(invoice_id), '{}') AS invoice_ids FROM credit_note WHERE policy_id = $1 AND reason = 'cancellation'`, [policyId]);
  const credited = new Set(already?.invoice_ids ?? []);
  const open = invoices.filter((invoice) => !credited.has(invoice.invoiceId));
  const calculation = cancellationRefund(open, cancelledFrom, rule);
  const result: CancellationCredit = { rule, calculation, creditNotes: [], refunds: [] };
  // All numbers in one statement: the series row stays locked from here to the commit, and a rollback gives them back.
  const numbers = calculation.invoices.length === 0 ? [] : await takeNumbers(manager, 'credit_note_series', `CN-${issuedOn.slice(0, 4)}`, calculation.invoices.length);
  for (const [index, refund] of calculation.invoices.entries()) {
    const invoice = open.find((i) => i.invoiceId === refund.invoiceId)!;
    const number = numbers[index]!;
    const [note] = await manager.query<{ id: string }[]>(
      `INSERT INTO credit_note (number, policy_id, invoice_id, reason, issued_on, currency, total_cents, terms)
       VALUES ($1, $2, $3, 'cancellation', $4, $5, $6, $7) RETURNING id`,
      [number, policyId, invoice.invoiceId, issuedOn, invoice.currency, refund.creditCents, JSON.stringify({ rule, cancelledFrom, calculation: refund })],
    );
    await manager.query(
      `INSERT INTO credit_note_line (credit_note_id, position, kind, code, insured_person_id, period_from, period_to, cents)
       VALUES ($1, 1, 'refund', $2, NULL, $3, $4, $5)`,
      [note!.id, `cancellation-${rule.method}`, refund.unusedFrom <= invoice.period.to ? refund.unusedFrom : invoice.period.from, invoice.period.to, -refund.creditCents],
    );
    // Only the open part lowers the invoice (its open amount is what the receivable holds); the paid part goes back as a refund.
    if (refund.creditOpenCents > 0) {
      await manager.query(
        `UPDATE invoice SET credited_cents = credited_cents + $2,
                status = CASE WHEN total_cents + adjusted_cents - credited_cents - $2 - amount_paid_cents - written_off_cents > 0 THEN status
                              WHEN amount_paid_cents = 0 THEN 'void' ELSE 'paid' END
          WHERE id = $1`,
        [invoice.invoiceId, refund.creditOpenCents],
      );
    }
    if (refund.creditOpenCents > 0) await post(manager, { kind: 'credit-note-issued', key: `credit-note:${note!.id}`, reference: number, cents: refund.creditOpenCents });
    if (refund.refundCents > 0) {
      await post(manager, { kind: 'refund-due', key: `refund-due:${note!.id}`, reference: number, cents: refund.refundCents });
      const key = `premium-refund:${note!.id}`;
      const [intent] = await manager.query<{ id: string }[]>(
        `INSERT INTO premium_refund (policy_id, credit_note_id, idempotency_key, cents, currency) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [policyId, note!.id, key, refund.refundCents, invoice.currency],
      );
      result.refunds.push({ id: intent!.id, idempotencyKey: key, cents: refund.refundCents });
    }
    result.creditNotes.push({ id: note!.id, number, invoiceId: invoice.invoiceId, cents: refund.creditCents, refundCents: refund.refundCents });
  }
  return result;
}
