import { createLogger } from '@claims/deploy';
import { Problem } from '../http/problem';
import { runBilling } from './billing-run';
import { type BillingDatabase, seedPolicy, startBillingDatabase } from './testing/billing-database';
import { balances, post } from './ledger-store';
import { LedgerKeyConflict } from './ledger-model';

/** The billing service on a real PostgreSQL: issuing, paying, writing off, exactly once. */
describe('billing service', () => {
  let db: BillingDatabase;

  beforeAll(async () => {
    db = await startBillingDatabase('billing-service');
  });

  afterAll(() => db?.stop());

  const problemOf = async (promise: Promise<unknown>): Promise<Problem> => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Problem);
    return error as Problem;
  };

  test('issues a period once, numbered in its series, posts it to the ledger and moves the schedule on', async () => {
    const { scheduleId, policyId, customerId } = await seedPolicy(db.dataSource, { startsOn: '2026-03-01', periodPremiumCents: 12_345 });
    const before = await balances(db.dataSource.manager);
    const first = await db.billing.issueInvoiceFor(scheduleId, '2026-03-01', { issuedOn: '2026-02-20' });
    expect(first).toMatchObject({ outcome: 'invoice', totalCents: 12_345, replayed: false });
    const again = await db.billing.issueInvoiceFor(scheduleId, '2026-03-01', { issuedOn: '2026-02-21' });
    expect(again).toEqual({ ...first, replayed: true });
    const [invoice] = await db.dataSource.query(`SELECT number, status, to_char(due_on, 'YYYY-MM-DD') AS due_on, to_char(period_to, 'YYYY-MM-DD') AS period_to FROM invoice WHERE schedule_id = $1`, [scheduleId]);
    expect(invoice).toMatchObject({ status: 'open', due_on: '2026-03-01', period_to: '2026-03-31' });
    expect(invoice.number).toMatch(/^INV-2026-\d{6}$/);
    const lines = await db.dataSource.query(`SELECT kind, code, insured_person_id, cents::int FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.schedule_id = $1`, [scheduleId]);
    expect(lines).toEqual([{ kind: 'premium', code: 'premium', insured_person_id: customerId, cents: 12_345 }]);
    const after = await balances(db.dataSource.manager);
    expect(after.premiums_receivable - before.premiums_receivable).toBe(12_345);
    expect(after.premium_income - before.premium_income).toBe(-12_345);
    // Only the next period is issued: skipping one, or going back, is refused.
    expect((await problemOf(db.billing.issueInvoiceFor(scheduleId, '2026-05-01'))).getStatus()).toBe(409);
    expect((await problemOf(db.billing.issueInvoiceFor(scheduleId, '2026-04-02'))).getStatus()).toBe(422);
    const second = await db.billing.issueInvoiceFor(scheduleId, '2026-04-01', { issuedOn: '2026-04-05' });
    expect(second).toMatchObject({ outcome: 'invoice', totalCents: 12_345 });
    const numbers = (await db.dataSource.query<{ number: string; due_on: string }[]>(`SELECT number, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM invoice WHERE policy_id = $1 ORDER BY period_from`, [policyId]));
    expect(Number(numbers[1]!.number.slice(-6))).toBeGreaterThan(Number(numbers[0]!.number.slice(-6)));
    // Issued after the period began: due on issue.
    expect(numbers[1]!.due_on).toBe('2026-04-05');
  });

  test('records payments up to what is open, once per key, and answers a replay with the first result', async () => {
    const { scheduleId, policyId } = await seedPolicy(db.dataSource, { startsOn: '2026-01-10', periodPremiumCents: 10_000 });
    const issued = await db.billing.issueInvoiceFor(scheduleId, '2026-01-10', { issuedOn: '2026-01-01' });
    if (issued.outcome !== 'invoice') throw new Error('expected an invoice');
    const before = await balances(db.dataSource.manager);
    const part = await db.billing.recordPayment(issued.invoiceId, 4_000, `pay-${policyId}-1`);
    expect(part).toMatchObject({ cents: 4_000, amountOpenCents: 6_000, status: 'open', replayed: false });
    // More than open is refused, naming the field.
    const tooMuch = await problemOf(db.billing.recordPayment(issued.invoiceId, 6_001, `pay-${policyId}-2`));
    expect(tooMuch.getStatus()).toBe(422);
    expect(tooMuch.errors).toEqual([expect.objectContaining({ name: 'cents' })]);
    const rest = await db.billing.recordPayment(issued.invoiceId, 6_000, `pay-${policyId}-2`);
    expect(rest).toMatchObject({ amountOpenCents: 0, status: 'paid', replayed: false });
    // The first key again: its first answer, though the invoice is paid now.
    expect(await db.billing.recordPayment(issued.invoiceId, 4_000, `pay-${policyId}-1`)).toEqual({ ...part, replayed: true });
    // The key for another amount or invoice: refused.
    expect((await problemOf(db.billing.recordPayment(issued.invoiceId, 4_001, `pay-${policyId}-1`))).getStatus()).toBe(409);
    // A new key on a paid invoice: nothing open.
    expect((await problemOf(db.billing.recordPayment(issued.invoiceId, 1, `pay-${policyId}-3`))).getStatus()).toBe(409);
    const after = await balances(db.dataSource.manager);
    expect(after.cash - before.cash).toBe(10_000);
    expect(after.premiums_receivable - before.premiums_receivable).toBe(-10_000);
    expect(await db.billing.openInvoices(policyId)).toEqual([]);
  });

  test('concurrent payments: the same key moves money once, different keys never beyond what is open', async () => {
    const { scheduleId, policyId } = await seedPolicy(db.dataSource, { startsOn: '2026-02-01', periodPremiumCents: 9_000 });
    const issued = await db.billing.issueInvoiceFor(scheduleId, '2026-02-01', { issuedOn: '2026-01-25' });
    if (issued.outcome !== 'invoice') throw new Error('expected an invoice');
    const same = await Promise.all(Array.from({ length: 6 }, () => db.billing.recordPayment(issued.invoiceId, 2_000, `same-${policyId}`)));
    expect(same.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(same.map((r) => r.paymentId)).size).toBe(1);
    // 5 payments of 2,000 against 7,000 open: three go through, two are refused.
    const settled = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => db.billing.recordPayment(issued.invoiceId, 2_000, `other-${policyId}-${i}`)));
    expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const [invoice] = await db.dataSource.query(`SELECT amount_paid_cents::int AS paid, amount_open_cents::int AS open FROM invoice WHERE id = $1`, [issued.invoiceId]);
    expect(invoice).toEqual({ paid: 8_000, open: 1_000 });
    const [{ cash }] = await db.dataSource.query(`SELECT coalesce(sum(p.cents), 0)::int AS cash FROM journal_posting p JOIN journal_entry e ON e.id = p.entry_id WHERE e.reference = $1 AND p.account = 'cash'`, [issued.number]);
    expect(cash).toBe(8_000);
  });

  test('writes off what is open once, and counts arrears past their due date', async () => {
    const { scheduleId, policyId } = await seedPolicy(db.dataSource, { startsOn: '2026-05-15', periodPremiumCents: 5_000, frequency: 'monthly' });
    const may = await db.billing.issueInvoiceFor(scheduleId, '2026-05-15', { issuedOn: '2026-05-01' });
    const june = await db.billing.issueInvoiceFor(scheduleId, '2026-06-15', { issuedOn: '2026-06-01' });
    if (may.outcome !== 'invoice' || june.outcome !== 'invoice') throw new Error('expected invoices');
    await db.billing.recordPayment(may.invoiceId, 1_500, `wo-${policyId}`);
    expect((await db.billing.openInvoices(policyId)).map((i) => [i.id, i.amountOpenCents])).toEqual([[may.invoiceId, 3_500], [june.invoiceId, 5_000]]);
    expect(await db.billing.arrears(policyId, { asOf: '2026-05-15' })).toEqual({ policyId, cents: 0, oldestDueOn: null, invoiceIds: [] });
    expect(await db.billing.arrears(policyId, { asOf: '2026-06-16' })).toEqual({ policyId, cents: 8_500, oldestDueOn: '2026-05-15', invoiceIds: [may.invoiceId, june.invoiceId] });
    const before = await balances(db.dataSource.manager);
    const first = await db.billing.writeOff(may.invoiceId, `write-off-${may.invoiceId}`);
    expect(first).toEqual({ invoiceId: may.invoiceId, writtenOffCents: 3_500, replayed: false });
    expect(await db.billing.writeOff(may.invoiceId, `write-off-${may.invoiceId}`)).toEqual({ ...first, replayed: true });
    // The same key for another invoice is refused.
    expect((await problemOf(db.billing.writeOff(june.invoiceId, `write-off-${may.invoiceId}`))).getStatus()).toBe(409);
    const after = await balances(db.dataSource.manager);
    expect(after.write_offs - before.write_offs).toBe(3_500);
    expect(after.premiums_receivable - before.premiums_receivable).toBe(-3_500);
    expect(await db.billing.arrears(policyId, { asOf: '2026-06-16' })).toMatchObject({ cents: 5_000, oldestDueOn: '2026-06-15' });
  });

  test('a stopped schedule is never invoiced again, by the run or by a call, and stopping twice answers the first stop', async () => {
    const { scheduleId, policyId } = await seedPolicy(db.dataSource, { startsOn: '2026-07-01', periodPremiumCents: 6_000, frequency: 'monthly' });
    const july = await db.billing.issueInvoiceFor(scheduleId, '2026-07-01', { issuedOn: '2026-07-01' });
    expect(july).toMatchObject({ outcome: 'invoice' });
    const stopped = await db.billing.stopSchedule(policyId);
    expect(stopped).toEqual({ scheduleId, policyId, replayed: false });
    expect(await db.dataSource.transaction((manager) => db.billing.stopSchedule(policyId, manager))).toEqual({ ...stopped, replayed: true });
    // August on: refused by a call, skipped by the run; July's invoice is still answered.
    expect((await problemOf(db.billing.issueInvoiceFor(scheduleId, '2026-08-01'))).getStatus()).toBe(409);
    expect(await db.billing.issueInvoiceFor(scheduleId, '2026-07-01')).toEqual({ ...july, replayed: true });
    await runBilling(db.dataSource, createLogger('test-billing-service', { LOG_LEVEL: 'silent' }), '2026-11-30', 14);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM invoice WHERE schedule_id = $1`, [scheduleId]);
    expect(n).toBe(1);
    expect((await problemOf(db.billing.stopSchedule('3f0a4c1e-0000-4000-8000-000000000000'))).getStatus()).toBe(404);
  });

  test('the ledger posts a key once, refuses it for something else, and the database refuses unbalanced or edited entries', async () => {
    const operation = { kind: 'claim-paid', key: `claim:test:${Date.now()}`, reference: 'CLM-1', cents: 700 } as const;
    const first = await db.dataSource.transaction((m) => post(m, operation));
    expect(first.replayed).toBe(false);
    const again = await db.dataSource.transaction((m) => post(m, operation));
    expect(again).toEqual({ ...first, replayed: true });
    await expect(db.dataSource.transaction((m) => post(m, { ...operation, cents: 701 }))).rejects.toBeInstanceOf(LedgerKeyConflict);
    const all = await balances(db.dataSource.manager);
    expect(Object.values(all).reduce((a, b) => a + b, 0)).toBe(0);
    // Written around the store: an entry of one posting fails at commit.
    await expect(db.dataSource.transaction(async (m) => {
      const [entry] = await m.query(`INSERT INTO journal_entry (idempotency_key, kind, reference) VALUES ('forged', 'claim-paid', 'X') RETURNING id`);
      await m.query(`INSERT INTO journal_posting (entry_id, position, account, side, cents) VALUES ($1, 1, 'cash', 'credit', 5)`, [entry.id]);
    })).rejects.toThrow(/not balanced/);
    await expect(db.dataSource.transaction((m) => m.query(`INSERT INTO journal_entry (idempotency_key, kind, reference) VALUES ('empty', 'claim-paid', 'X')`))).rejects.toThrow(/no postings/);
    await expect(db.dataSource.query(`UPDATE journal_posting SET cents = cents + 1 WHERE entry_id = $1`, [first.entryId])).rejects.toThrow(/append-only/);
  });
});
