import { type EntityManager } from 'typeorm';
import { Problem } from '../http/problem';
import { addDays } from '../products/quote-dates';
import { billingPeriod, billingPeriodIndexOn } from './billing-periods';
import { loadBillingFacts, type ScheduleRow } from './billing-facts';
import { type InvoiceDraft, invoiceLines, type InvoiceLine, type InvoiceTerms } from './invoice-lines';
import { invoiceTerms } from './invoice-terms';
import { post } from './ledger-store';
import { type DayRange } from './proration';

export type IssueOutcome =
  | { outcome: 'invoice'; invoiceId: string; number: string; totalCents: number; replayed: boolean }
  | { outcome: 'credit-note'; creditNoteId: string; number: string; totalCents: number; replayed: boolean }
  /** The period starts after cover ends: nothing billed; a cancelled policy's schedule stops. */
  | { outcome: 'not-in-cover'; stopped: boolean };

/** What the next invoice of a schedule will say: the terms, their lines, and the period. */
export interface InvoicePreview {
  period: DayRange;
  terms: InvoiceTerms;
  draft: InvoiceDraft;
  inCover: boolean;
}

/** The schedule's period that starts on `periodStart`, or a refusal naming the field. */
export function periodStartingOn(schedule: ScheduleRow, periodStart: string): DayRange {
  const period = periodStart < schedule.anchorDate ? null : billingPeriod(schedule.anchorDate, schedule.frequency, billingPeriodIndexOn(schedule.anchorDate, schedule.frequency, periodStart));
  if (!period || period.from !== periodStart) throw Problem.unprocessable(`Expected a day a period of billing schedule ${schedule.id} starts on, but ${periodStart} is not one.`, [{ name: 'periodStart', reason: 'is not the first day of a billing period' }]);
  return period;
}

/** The invoice the schedule's next period will get, computed exactly as `issueLocked` will. */
export async function previewNext(manager: EntityManager, schedule: ScheduleRow): Promise<InvoicePreview> {
  const period = periodStartingOn(schedule, schedule.nextPeriodStart);
  const { facts } = await loadBillingFacts(manager, schedule);
  const terms = invoiceTerms(facts, period);
  return { period, terms, draft: invoiceLines(terms), inCover: period.from <= facts.cover.to && facts.cover.from <= period.to };
}

/**
 * Issues a schedule's invoice for the period starting on `periodStart`, in
 * the caller's transaction, the schedule row locked by the caller. The
 * invoice of a period is there once (unique schedule and period start):
 * asked again, it is answered. Only the schedule's next period is issued, so
 * periods are billed in order without gaps. A period that costs less than
 * nothing gets a credit note instead.
 *
 * The number is taken from the series row in this transaction, so a
 * rollback gives it back and the series keeps no gap; the ledger entry, the
 * billed fees and adjustments and the move of the schedule commit with it.
 */
export async function issueLocked(manager: EntityManager, schedule: ScheduleRow, periodStart: string, issuedOn: string): Promise<IssueOutcome> {
  const earlier = await issuedFor(manager, schedule.id, periodStart);
  if (earlier) return earlier;
  const period = periodStartingOn(schedule, periodStart);
  if (periodStart !== schedule.nextPeriodStart) {
    throw Problem.conflict(`Billing schedule ${schedule.id} bills ${schedule.nextPeriodStart} next: the period from ${periodStart} is not next.`);
  }
  const loaded = await loadBillingFacts(manager, schedule);
  if (period.from > loaded.facts.cover.to) {
    // Cover is over before the period: an ended policy waits on its renewal (the run does not pick it), a cancelled one stops.
    if (loaded.cancelled) await manager.query(`UPDATE billing_schedule SET status = 'stopped' WHERE id = $1`, [schedule.id]);
    return { outcome: 'not-in-cover', stopped: loaded.cancelled };
  }
  const terms = invoiceTerms(loaded.facts, period);
  const draft = invoiceLines(terms);
  const year = issuedOn.slice(0, 4);
  let outcome: IssueOutcome;
  if (draft.totalCents >= 0) {
    const number = await nextNumber(manager, 'invoice_series', `INV-${year}`);
    // Premium is due in advance: on the period's first day, or on issue when the run comes late.
    const dueOn = period.from > issuedOn ? period.from : issuedOn;
    const [invoice] = await manager.query<{ id: string }[]>(
      `INSERT INTO invoice (number, policy_id, schedule_id, period_from, period_to, status, issued_on, due_on, currency, total_cents, amount_paid_cents, terms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11) RETURNING id`,
      [number, schedule.policyId, schedule.id, period.from, period.to, draft.totalCents === 0 ? 'paid' : 'open', issuedOn, dueOn, draft.currency, draft.totalCents, JSON.stringify(terms)],
    );
    await insertLines(manager, 'invoice_line', 'invoice_id', invoice!.id, draft.lines);
    if (draft.totalCents > 0) await post(manager, { kind: 'invoice-issued', key: `invoice:${invoice!.id}`, reference: number, cents: draft.totalCents });
    await markBilled(manager, loaded, 'invoice_id', 'billed_invoice_id', invoice!.id);
    outcome = { outcome: 'invoice', invoiceId: invoice!.id, number, totalCents: draft.totalCents, replayed: false };
  } else {
    const number = await nextNumber(manager, 'credit_note_series', `CN-${year}`);
    const [note] = await manager.query<{ id: string }[]>(
      `INSERT INTO credit_note (number, policy_id, schedule_id, period_from, period_to, reason, issued_on, currency, total_cents, terms)
       VALUES ($1, $2, $3, $4, $5, 'negative-invoice', $6, $7, $8, $9) RETURNING id`,
      [number, schedule.policyId, schedule.id, period.from, period.to, issuedOn, draft.currency, -draft.totalCents, JSON.stringify(terms)],
    );
    await insertLines(manager, 'credit_note_line', 'credit_note_id', note!.id, draft.lines);
    // The period gives back more than it asks: owed to the client, paid out as a refund.
    await post(manager, { kind: 'refund-due', key: `refund-due:${note!.id}`, reference: number, cents: -draft.totalCents });
    await markBilled(manager, loaded, 'credit_note_id', 'billed_credit_note_id', note!.id);
    outcome = { outcome: 'credit-note', creditNoteId: note!.id, number, totalCents: -draft.totalCents, replayed: false };
  }
  await manager.query(`UPDATE billing_schedule SET next_period_start = $2 WHERE id = $1`, [schedule.id, addDays(period.to, 1)]);
  return outcome;
}

async function issuedFor(manager: EntityManager, scheduleId: string, periodStart: string): Promise<IssueOutcome | null> {
  const [invoice] = await manager.query<{ id: string; number: string; total_cents: number }[]>(
    `SELECT id, number, total_cents::float8 AS total_cents FROM invoice WHERE schedule_id = $1 AND period_from = $2`,
    [scheduleId, periodStart],
  );
  if (invoice) return { outcome: 'invoice', invoiceId: invoice.id, number: invoice.number, totalCents: invoice.total_cents, replayed: true };
  const [note] = await manager.query<{ id: string; number: string; total_cents: number }[]>(
    `SELECT id, number, total_cents::float8 AS total_cents FROM credit_note WHERE schedule_id = $1 AND period_from = $2`,
    [scheduleId, periodStart],
  );
  if (note) return { outcome: 'credit-note', creditNoteId: note.id, number: note.number, totalCents: note.total_cents, replayed: true };
  return null;
}

/** The next number of a gapless series (`INV-2026-000001`); the counter row stays locked until the caller commits. */
export async function nextNumber(manager: EntityManager, table: 'invoice_series' | 'credit_note_series', series: string): Promise<string> {
  const [row] = await manager.query<{ last_number: string }[]>(
    `INSERT INTO ${table} (series, last_number) VALUES ($1, 1) ON CONFLICT (series) DO UPDATE SET last_number = ${table}.last_number + 1 RETURNING last_number`,
    [series],
  );
  return `${series}-${row!.last_number.padStart(6, '0')}`;
}

async function insertLines(manager: EntityManager, table: 'invoice_line' | 'credit_note_line', owner: 'invoice_id' | 'credit_note_id', ownerId: string, lines: readonly InvoiceLine[]): Promise<void> {
  if (lines.length === 0) return;
  await manager.query(
    `INSERT INTO ${table} (${owner}, position, kind, code, insured_person_id, period_from, period_to, cents)
     SELECT $1, l.position, l.kind, l.code, l.person, l.period_from, l.period_to, l.cents
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::bigint[]) AS l(position, kind, code, person, period_from, period_to, cents)`,
    [ownerId, lines.map((l) => l.position), lines.map((l) => l.kind), lines.map((l) => l.code), lines.map((l) => l.insuredPersonId), lines.map((l) => l.periodFrom), lines.map((l) => l.periodTo), lines.map((l) => l.cents)],
  );
}

async function markBilled(manager: EntityManager, loaded: { feeIds: string[]; adjustmentIds: string[] }, feeColumn: 'invoice_id' | 'credit_note_id', adjustmentColumn: 'billed_invoice_id' | 'billed_credit_note_id', documentId: string): Promise<void> {
  if (loaded.feeIds.length > 0) await manager.query(`UPDATE pending_fee SET ${feeColumn} = $2 WHERE id = ANY($1::uuid[])`, [loaded.feeIds, documentId]);
  if (loaded.adjustmentIds.length > 0) await manager.query(`UPDATE manual_adjustment SET ${adjustmentColumn} = $2, status = 'applied' WHERE id = ANY($1::uuid[])`, [loaded.adjustmentIds, documentId]);
}
