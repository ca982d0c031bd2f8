import { type EntityManager } from 'typeorm';
import { addDays } from '../products/quote-dates';

/**
 * The daily reconciliation: the ledger says one thing, the operational tables
 * (invoices, payments recorded, refunds and claim payouts paid) another, and
 * they must agree to the cent. Flows are compared for the day (what moved
 * between its midnights, UTC); the receivable is compared as it stands when
 * the report runs, since open amounts are kept as they are now, not per day.
 * The refunds payable and the write-offs are compared like the receivable.
 * A claim payout counts on the day it was recorded paid (its `payout.paid`
 * audit entry, written in the same transaction and never changed), not on
 * its row's last update, which a later change would move to another day.
 * Any difference is flagged with which figure differs and by how much, and
 * every entry posted that day must balance on its own.
 */

export const RECONCILIATION_CHECKS = ['receivable', 'cash-in', 'cash-out', 'refunds-payable', 'write-offs'] as const;
export type ReconciliationCheckName = (typeof RECONCILIATION_CHECKS)[number];

export interface ReconciliationCheck {
  check: ReconciliationCheckName;
  /** What the check compares, for the reader of the report. */
  description: string;
  ledgerCents: number;
  operationalCents: number;
  /** ledger − operational. */
  differenceCents: number;
  ok: boolean;
}

export interface UnbalancedEntry {
  idempotencyKey: string;
  kind: string;
  postings: number;
  /** debits − credits. */
  differenceCents: number;
}

export interface ReconciliationReport {
  day: string;
  ok: boolean;
  checks: ReconciliationCheck[];
  unbalancedEntries: UnbalancedEntry[];
  runAt: string;
}

export type ReconciliationFigures = Record<ReconciliationCheckName, { ledgerCents: number; operationalCents: number }>;

const DESCRIPTIONS: Record<ReconciliationCheckName, string> = {
  receivable: 'Premiums receivable in the ledger against the open amounts of all invoices, as the report ran.',
  'cash-in': 'Cash debited for payments received that day against the payments recorded on invoices that day, and what charges took beyond the open amount (owed back as refunds).',
  'cash-out': 'Cash credited for refunds and claim payouts that day against the refunds and claim payouts paid that day (each at the moment it was recorded paid).',
  'refunds-payable': 'Refunds payable in the ledger against the refunds not yet paid, as the report ran.',
  'write-offs': 'Write-offs in the ledger against the amounts written off on invoices, as the report ran.',
};

/** The report from the figures: pure, so what counts as a difference is tested apart from the SQL. */
export function reconcile(day: string, figures: ReconciliationFigures, unbalancedEntries: readonly UnbalancedEntry[], runAt: Date): ReconciliationReport {
  const checks = RECONCILIATION_CHECKS.map((check): ReconciliationCheck => {
    const { ledgerCents, operationalCents } = figures[check];
    const differenceCents = ledgerCents - operationalCents;
    return { check, description: DESCRIPTIONS[check], ledgerCents, operationalCents, differenceCents, ok: differenceCents === 0 };
  });
  return { day, ok: checks.every((c) => c.ok) && unbalancedEntries.length === 0, checks, unbalancedEntries: [...unbalancedEntries], runAt: runAt.toISOString() };
}

/** The figures of one day, read in the caller's (repeatable-read) transaction so they are one snapshot. */
export async function readFigures(manager: EntityManager, day: string): Promise<{ figures: ReconciliationFigures; unbalanced: UnbalancedEntry[] }> {
  const range = [`${day}T00:00:00Z`, `${addDays(day, 1)}T00:00:00Z`];
  const [row] = await manager.query<Record<string, string>[]>(
    `SELECT
       (SELECT coalesce(sum(CASE p.side WHEN 'debit' THEN p.cents ELSE -p.cents END), 0) FROM journal_posting p WHERE p.account = 'premiums_receivable') AS ledger_receivable,
       (SELECT coalesce(sum(amount_open_cents), 0) FROM invoice) AS open_invoices,
       (SELECT coalesce(sum(p.cents), 0) FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id
         WHERE e.kind = 'payment-received' AND p.account = 'cash' AND p.side = 'debit' AND e.posted_at >= $1 AND e.posted_at < $2) AS ledger_cash_in,
       (SELECT coalesce(sum(cents), 0) FROM invoice_payment WHERE recorded_at >= $1 AND recorded_at < $2)
       -- What a charge took beyond the open amount is cash in too, owed back as the attempt's refund (booked in the same transaction).
       + (SELECT coalesce(sum(cents), 0) FROM premium_refund WHERE collection_attempt_id IS NOT NULL AND created_at >= $1 AND created_at < $2) AS payments,
       (SELECT coalesce(sum(CASE p.side WHEN 'credit' THEN p.cents ELSE -p.cents END), 0) FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id
         WHERE e.kind IN ('refund-paid', 'claim-paid') AND p.account = 'cash' AND e.posted_at >= $1 AND e.posted_at < $2) AS ledger_cash_out,
       (SELECT coalesce(sum(cents), 0) FROM premium_refund WHERE status = 'paid' AND paid_at >= $1 AND paid_at < $2)
       + (SELECT coalesce(sum(round(o.amount * 100)), 0)::bigint FROM payout o
           WHERE o.status = 'paid' AND EXISTS (SELECT 1 FROM audit_entry a WHERE a.action = 'payout.paid' AND a.entity_type = 'claim' AND a.entity_id = o.claim_id::text
                                                AND a.details->>'payoutId' = o.id::text AND a.at >= $1 AND a.at < $2)) AS paid_out,
       (SELECT coalesce(sum(CASE p.side WHEN 'credit' THEN p.cents ELSE -p.cents END), 0) FROM journal_posting p WHERE p.account = 'refunds_payable') AS ledger_refunds_payable,
       (SELECT coalesce(sum(cents), 0) FROM premium_refund WHERE status = 'pending') AS pending_refunds,
       (SELECT coalesce(sum(CASE p.side WHEN 'debit' THEN p.cents ELSE -p.cents END), 0) FROM journal_posting p WHERE p.account = 'write_offs') AS ledger_write_offs,
       (SELECT coalesce(sum(written_off_cents), 0) FROM invoice) AS written_off`,
    range,
  );
  const unbalanced = await manager.query<{ idempotency_key: string; kind: string; postings: string; difference: string }[]>(
    `SELECT e.idempotency_key, e.kind, count(p.id) AS postings, coalesce(sum(CASE p.side WHEN 'debit' THEN p.cents ELSE -p.cents END), 0) AS difference
       FROM journal_entry e LEFT JOIN journal_posting p ON p.entry_id = e.id
      WHERE e.posted_at >= $1 AND e.posted_at < $2
      GROUP BY e.id HAVING count(p.id) < 2 OR coalesce(sum(CASE p.side WHEN 'debit' THEN p.cents ELSE -p.cents END), 0) <> 0
      ORDER BY e.id LIMIT 100`,
    range,
  );
  const cents = (name: string) => wholeCents(row![name]!);
  return {
    figures: {
      receivable: { ledgerCents: cents('ledger_receivable'), operationalCents: cents('open_invoices') },
      'cash-in': { ledgerCents: cents('ledger_cash_in'), operationalCents: cents('payments') },
      'cash-out': { ledgerCents: cents('ledger_cash_out'), operationalCents: cents('paid_out') },
      'refunds-payable': { ledgerCents: cents('ledger_refunds_payable'), operationalCents: cents('pending_refunds') },
      'write-offs': { ledgerCents: cents('ledger_write_offs'), operationalCents: cents('written_off') },
    },
    unbalanced: unbalanced.map((e) => ({ idempotencyKey: e.idempotency_key, kind: e.kind, postings: Number(e.postings), differenceCents: wholeCents(e.difference) })),
  };
}

function wholeCents(value: string): number {
  const cents = Number(value);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Expected whole cents, but the database gave ${value}.`);
  return cents;
}
