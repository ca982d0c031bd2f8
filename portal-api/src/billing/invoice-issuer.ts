import { type EntityManager } from 'typeorm';
import { Problem } from '../http/problem';
import { addDays } from '../products/quote-dates';
import { billingPeriod, billingPeriodIndexOn } from './billing-periods';
import { type LoadedFacts, loadBillingFacts, type ScheduleRow } from './billing-facts';
import { type InvoiceDraft, invoiceLines, type InvoiceTerms } from './invoice-lines';
import { invoiceTerms } from './invoice-terms';
import { postAll } from './ledger-store';
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

/** The invoice the schedule's next period will get, computed exactly as `issueDue` will. */
export async function previewNext(manager: EntityManager, schedule: ScheduleRow): Promise<InvoicePreview> {
  const period = periodStartingOn(schedule, schedule.nextPeriodStart);
  const { facts } = (await loadBillingFacts(manager, [schedule])).get(schedule.id)!;
  const terms = invoiceTerms(facts, period);
  return { period, terms, draft: invoiceLines(terms), inCover: period.from <= facts.cover.to && facts.cover.from <= period.to };
}

/**
 * Issues a schedule's invoice for the period starting on `periodStart`, in
 * the caller's transaction, the schedule row locked by the caller. The
 * invoice of a period is there once (unique schedule and period start):
 * asked again, it is answered. Only the schedule's next period is issued, so
 * periods are billed in order without gaps.
 */
export async function issueLocked(manager: EntityManager, schedule: ScheduleRow, periodStart: string, issuedOn: string): Promise<IssueOutcome> {
  const earlier = await issuedFor(manager, schedule.id, periodStart);
  if (earlier) return earlier;
  // A stopped schedule (cover over, or written off by collections) bills nothing more, whoever asks.
  if (schedule.status === 'stopped') throw Problem.conflict(`Billing schedule ${schedule.id} is stopped: the period from ${periodStart} is not billed.`);
  periodStartingOn(schedule, periodStart);
  if (periodStart !== schedule.nextPeriodStart) {
    throw Problem.conflict(`Billing schedule ${schedule.id} bills ${schedule.nextPeriodStart} next: the period from ${periodStart} is not next.`);
  }
  const [outcome] = await issueDue(manager, [schedule], issuedOn);
  return outcome!;
}

interface Issue {
  schedule: ScheduleRow;
  period: DayRange;
  loaded: LoadedFacts;
  terms: InvoiceTerms;
  draft: InvoiceDraft;
}

/**
 * Issues the next period of each schedule (locked by the caller, each the
 * period its `nextPeriodStart` names), in the caller's transaction: an
 * invoice, or a credit note when the period costs less than nothing, with
 * its lines, its ledger entry, the fees and adjustments it carried marked,
 * and the schedule moved on. A period after cover is over issues nothing
 * (a cancelled policy's schedule stops).
 *
 * Numbers are taken from the series rows last, in one statement per series,
 * so the row lock that keeps the series gapless is held from there to the
 * commit only, and a rollback gives the numbers back. A statement per kind
 * of row, whatever the number of schedules: the run issues batches.
 */
export async function issueDue(manager: EntityManager, schedules: readonly ScheduleRow[], issuedOn: string): Promise<IssueOutcome[]> {
  const facts = await loadBillingFacts(manager, schedules);
  const outcomes = new Map<string, IssueOutcome>();
  const issues: Issue[] = [];
  const stopped: string[] = [];
  for (const schedule of schedules) {
    const period = periodStartingOn(schedule, schedule.nextPeriodStart);
    const loaded = facts.get(schedule.id)!;
    if (period.from > loaded.facts.cover.to) {
      // Cover is over before the period: an ended policy waits on its renewal (the run does not pick it), a cancelled one stops.
      if (loaded.cancelled) stopped.push(schedule.id);
      outcomes.set(schedule.id, { outcome: 'not-in-cover', stopped: loaded.cancelled });
      continue;
    }
    const terms = invoiceTerms(loaded.facts, period);
    issues.push({ schedule, period, loaded, terms, draft: invoiceLines(terms) });
  }
  if (stopped.length > 0) await manager.query(`UPDATE billing_schedule SET status = 'stopped' WHERE id = ANY($1::uuid[])`, [stopped]);

  const invoices = issues.filter((i) => i.draft.totalCents >= 0);
  const notes = issues.filter((i) => i.draft.totalCents < 0);
  const year = issuedOn.slice(0, 4);
  const invoiceNumbers = await takeNumbers(manager, 'invoice_series', `INV-${year}`, invoices.length);
  const noteNumbers = await takeNumbers(manager, 'credit_note_series', `CN-${year}`, notes.length);
  const invoiceIds = await insertDocuments(manager, 'invoice', invoices, invoiceNumbers, issuedOn);
  const noteIds = await insertDocuments(manager, 'credit_note', notes, noteNumbers, issuedOn);
  invoices.forEach((issue, index) => outcomes.set(issue.schedule.id, { outcome: 'invoice', invoiceId: invoiceIds[index]!, number: invoiceNumbers[index]!, totalCents: issue.draft.totalCents, replayed: false }));
  // A period that gives back more than it asks: owed to the client, paid out as a refund.
  notes.forEach((issue, index) => outcomes.set(issue.schedule.id, { outcome: 'credit-note', creditNoteId: noteIds[index]!, number: noteNumbers[index]!, totalCents: -issue.draft.totalCents, replayed: false }));
  await postAll(manager, [
    ...invoices.flatMap((issue, index) => (issue.draft.totalCents > 0 ? [{ kind: 'invoice-issued' as const, key: `invoice:${invoiceIds[index]}`, reference: invoiceNumbers[index]!, cents: issue.draft.totalCents }] : [])),
    ...notes.map((issue, index) => ({ kind: 'refund-due' as const, key: `refund-due:${noteIds[index]}`, reference: noteNumbers[index]!, cents: -issue.draft.totalCents })),
  ]);
  if (notes.length > 0) {
    // What the credit note owes is money to send back: a refund to pay, by the key the payout sweep sends it with (as a cancellation's).
    await manager.query(
      `INSERT INTO premium_refund (policy_id, credit_note_id, idempotency_key, cents, currency)
       SELECT n.policy_id, n.id, 'premium-refund:' || n.id, n.cents, n.currency FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[]) AS n(policy_id, id, cents, currency)`,
      [notes.map((i) => i.schedule.policyId), noteIds, notes.map((i) => -i.draft.totalCents), notes.map((i) => i.draft.currency)],
    );
  }
  await markBilled(manager, invoices, invoiceIds, 'invoice_id', 'billed_invoice_id');
  await markBilled(manager, notes, noteIds, 'credit_note_id', 'billed_credit_note_id');
  if (issues.length > 0) {
    await manager.query(
      `UPDATE billing_schedule s SET next_period_start = n.next FROM unnest($1::uuid[], $2::date[]) AS n(id, next) WHERE s.id = n.id`,
      [issues.map((i) => i.schedule.id), issues.map((i) => addDays(i.period.to, 1))],
    );
  }
  return schedules.map((schedule) => outcomes.get(schedule.id)!);
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

/** The next `count` numbers of a gapless series (`INV-2026-000001`); the counter row stays locked until the caller commits. */
export async function takeNumbers(manager: EntityManager, table: 'invoice_series' | 'credit_note_series', series: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  const [row] = await manager.query<{ last_number: string }[]>(
    `INSERT INTO ${table} (series, last_number) VALUES ($1, $2) ON CONFLICT (series) DO UPDATE SET last_number = ${table}.last_number + $2 RETURNING last_number`,
    [series, count],
  );
  const last = Number(row!.last_number);
  return Array.from({ length: count }, (_, index) => `${series}-${String(last - count + 1 + index).padStart(6, '0')}`);
}

/** Invoices or credit notes with their lines, two statements for any number; ids in the order given. */
async function insertDocuments(manager: EntityManager, table: 'invoice' | 'credit_note', issues: readonly Issue[], numbers: readonly string[], issuedOn: string): Promise<string[]> {
  if (issues.length === 0) return [];
  const common = [numbers, issues.map((i) => i.schedule.policyId), issues.map((i) => i.schedule.id), issues.map((i) => i.period.from), issues.map((i) => i.period.to), issues.map((i) => i.draft.currency), issues.map((i) => JSON.stringify(i.terms))];
  const rows = table === 'invoice'
    ? await manager.query<{ id: string }[]>(
      // Premium is due in advance: on the period's first day, or on issue when the run comes late. A period costing nothing is paid.
      `INSERT INTO invoice (number, policy_id, schedule_id, period_from, period_to, currency, terms, total_cents, status, issued_on, due_on)
       SELECT d.number, d.policy_id, d.schedule_id, d.period_from, d.period_to, d.currency, d.terms, d.total, CASE WHEN d.total = 0 THEN 'paid' ELSE 'open' END, $9::date, greatest(d.period_from, $9::date)
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::date[], $5::date[], $6::text[], $7::jsonb[], $8::bigint[]) WITH ORDINALITY AS d(number, policy_id, schedule_id, period_from, period_to, currency, terms, total, n)
        ORDER BY d.n RETURNING id`,
      [...common, issues.map((i) => i.draft.totalCents), issuedOn],
    )
    : await manager.query<{ id: string }[]>(
      `INSERT INTO credit_note (number, policy_id, schedule_id, period_from, period_to, currency, terms, total_cents, reason, issued_on)
       SELECT d.number, d.policy_id, d.schedule_id, d.period_from, d.period_to, d.currency, d.terms, d.total, 'negative-invoice', $9::date
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::date[], $5::date[], $6::text[], $7::jsonb[], $8::bigint[]) WITH ORDINALITY AS d(number, policy_id, schedule_id, period_from, period_to, currency, terms, total, n)
        ORDER BY d.n RETURNING id`,
      [...common, issues.map((i) => -i.draft.totalCents), issuedOn],
    );
  // RETURNING keeps no promised order: match the ids by number.
  const byNumber = new Map((await manager.query<{ id: string; number: string }[]>(`SELECT id, number FROM ${table} WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)])).map((r) => [r.number, r.id]));
  const ids = numbers.map((number) => byNumber.get(number)!);
  const lines = issues.flatMap((issue, index) => issue.draft.lines.map((line) => ({ owner: ids[index]!, ...line })));
  if (lines.length > 0) {
    const owner = table === 'invoice' ? 'invoice_id' : 'credit_note_id';
    await manager.query(
      `INSERT INTO ${table}_line (${owner}, position, kind, code, insured_person_id, period_from, period_to, cents)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::bigint[])`,
      [lines.map((l) => l.owner), lines.map((l) => l.position), lines.map((l) => l.kind), lines.map((l) => l.code), lines.map((l) => l.insuredPersonId), lines.map((l) => l.periodFrom), lines.map((l) => l.periodTo), lines.map((l) => l.cents)],
    );
  }
  return ids;
}

async function markBilled(manager: EntityManager, issues: readonly Issue[], documentIds: readonly string[], feeColumn: 'invoice_id' | 'credit_note_id', adjustmentColumn: 'billed_invoice_id' | 'billed_credit_note_id'): Promise<void> {
  const pairs = (pick: (loaded: LoadedFacts) => string[]) => issues.flatMap((issue, index) => pick(issue.loaded).map((id) => [id, documentIds[index]!] as const));
  const fees = pairs((l) => l.feeIds);
  const adjustments = pairs((l) => l.adjustmentIds);
  if (fees.length > 0) await manager.query(`UPDATE pending_fee f SET ${feeColumn} = b.doc FROM unnest($1::uuid[], $2::uuid[]) AS b(id, doc) WHERE f.id = b.id`, [fees.map((p) => p[0]), fees.map((p) => p[1])]);
  if (adjustments.length > 0) {
    await manager.query(`UPDATE manual_adjustment a SET ${adjustmentColumn} = b.doc, status = 'applied' FROM unnest($1::uuid[], $2::uuid[]) AS b(id, doc) WHERE a.id = b.id`, [adjustments.map((p) => p[0]), adjustments.map((p) => p[1])]);
  }
}
