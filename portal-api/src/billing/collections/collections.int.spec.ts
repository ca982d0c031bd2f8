/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { PortalFixture } from '../../testing/portal-fixture';
import { BillingService } from '../billing.service';
import { createLogger } from '@claims/deploy';
import { LedgerPaymentProvider } from '@claims/workers/src/payments/ledger-provider';
import { post } from '../ledger-store';
import { readFigures, reconcile } from '../reconciliation';
import { payPendingRefunds } from '../refund-payouts';

/**
 * The collection endpoints under concurrency, as retried and duplicated jobs
 * call them (no workers here: the test calls as the worker would): one
 * attempt per key, one payment per provider answer, one charge in flight.
 */
let portal: PortalFixture;
let policyId: string;
const logger = createLogger('test-collections-api', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });

beforeAll(async () => {
  portal = await PortalFixture.start('collections-api');
  policyId = (await portal.call('bruno', 'GET', '/me/policies')).body.items[0].id;
  expect((await portal.call('bruno', 'PUT', `/me/payment-methods/${policyId}`, { json: { kind: 'card', cardToken: 'tok_visa', cardLast4: '4242' } })).status).toBe(200);
});

afterAll(() => portal?.stop());

async function plannedInvoice(ofPolicy = policyId): Promise<{ id: string; number: string; totalCents: number }> {
  const [schedule] = await portal.portal.dataSource.query<{ id: string; next: string }[]>(`SELECT id, to_char(next_period_start, 'YYYY-MM-DD') AS next FROM billing_schedule WHERE policy_id = $1`, [ofPolicy]);
  const issued = await portal.portal.app.get(BillingService).issueInvoiceFor(schedule!.id, schedule!.next);
  if (issued.outcome !== 'invoice') throw new Error(`expected an invoice, got ${issued.outcome}`);
  expect((await portal.call('worker', 'POST', `/internal/invoices/${issued.invoiceId}/collection-plan`, { json: { processInstanceKey: '42' } })).body.planned).toBe(true);
  return { id: issued.invoiceId, number: issued.number, totalCents: issued.totalCents };
}

/** Today's reconciliation report, read as the daily job reads it. */
const report = () =>
  portal.portal.dataSource.transaction('REPEATABLE READ', async (manager) => {
    const today = new Date().toISOString().slice(0, 10);
    const { figures, unbalanced } = await readFigures(manager, today);
    return reconcile(today, figures, unbalanced, new Date());
  });

/** Lowers an invoice by `cents` through a staff adjustment, as while a charge is in flight. */
const lower = (invoice: { id: string; number: string }, cents: number) =>
  portal.portal.dataSource.transaction(async (manager) => {
    await manager.query(`UPDATE invoice SET adjusted_cents = adjusted_cents - $2 WHERE id = $1`, [invoice.id, cents]);
    await post(manager, { kind: 'invoice-adjusted', key: `adjustment:test-${invoice.id}`, reference: invoice.number, cents: -cents });
  });

const payments = async (number: string) => (await portal.portal.dataSource.query<{ n: number; cents: number }[]>(`SELECT count(*)::int AS n, coalesce(sum(p.cents), 0)::float8 AS cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id AND p.side = 'debit' WHERE e.reference = $1 AND e.kind = 'payment-received'`, [number]))[0]!;

it('eight parallel openings of one attempt open it once; eight parallel answers record one payment; another answer is refused', async () => {
  const invoice = await plannedInvoice();
  const openings = await Promise.all(Array.from({ length: 8 }, () => portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 1 } })));
  expect(openings.map((o) => o.body.status)).toEqual(Array(8).fill('charge'));
  expect(new Set(openings.map((o) => o.body.request.attemptId)).size).toBe(1);
  expect(openings.map((o) => o.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
  const { request } = openings[0]!.body;
  expect(request).toEqual(expect.objectContaining({ idempotencyKey: `invoice:${invoice.id}:collection:1`, amountCents: invoice.totalCents, method: { kind: 'card', token: 'tok_visa' } }));

  const answers = await Promise.all(Array.from({ length: 8 }, () => portal.call('worker', 'POST', `/internal/collection-attempts/${request.attemptId}/outcome`, { json: { status: 'collected', providerReference: 'ch_parallel_1' } })));
  expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
  expect(answers.filter((a) => !a.body.replayed)).toHaveLength(1);
  expect(await payments(invoice.number)).toEqual({ n: 1, cents: invoice.totalCents });
  const [row] = await portal.portal.dataSource.query<{ status: string; paid: number }[]>(`SELECT status, amount_paid_cents::float8 AS paid FROM invoice WHERE id = $1`, [invoice.id]);
  expect(row).toEqual({ status: 'paid', paid: invoice.totalCents });
  expect((await portal.call('worker', 'POST', `/internal/collection-attempts/${request.attemptId}/outcome`, { json: { status: 'collected', providerReference: 'ch_other' } })).status).toBe(409);
  // Paid: the next attempt is settled without a charge, and "Pay now" has nothing to take.
  expect((await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 2 } })).body).toEqual({ status: 'settled' });
  expect((await portal.call('bruno', 'POST', `/me/invoices/${invoice.id}/payment`)).status).toBe(409);
});

it('a pay-now in flight keeps the scheduled attempt from charging too, and parallel presses open one', async () => {
  const invoice = await plannedInvoice();
  const presses = await Promise.all(Array.from({ length: 6 }, () => portal.call('bruno', 'POST', `/me/invoices/${invoice.id}/payment`)));
  expect(presses.map((p) => p.status)).toEqual(Array(6).fill(202));
  expect(new Set(presses.map((p) => p.body.attemptId)).size).toBe(1);
  expect((await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 1 } })).body).toEqual({ status: 'busy' });
  const attemptId = presses[0]!.body.attemptId as string;
  const declined = await portal.call('worker', 'POST', `/internal/collection-attempts/${attemptId}/outcome`, { json: { status: 'declined', kind: 'soft', code: 'insufficient_funds', reason: 'Not enough money.' } });
  expect(declined.body).toEqual(expect.objectContaining({ collected: false, declineKind: 'soft', declineCode: 'insufficient_funds' }));
  // Declined: the schedule may charge now, once.
  expect((await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 1 } })).body.status).toBe('charge');
  const view = (await portal.call('bruno', 'GET', `/me/invoices/${invoice.id}/collection`)).body;
  expect(view).toEqual(expect.objectContaining({ status: 'overdue', canPayNow: true, paymentInProgress: true }));
  expect(view.attempts.map((a: any) => [a.trigger, a.outcome])).toEqual([['pay-now', 'declined'], ['schedule', 'pending']]);
  expect(await payments(invoice.number)).toEqual({ n: 0, cents: 0 });
});

it('a pay-now attempt the portal committed but never handed over (it stopped in between) is handed over on the next press, once', async () => {
  const invoice = await plannedInvoice();
  const db = portal.portal.dataSource;
  // What a portal killed right after the commit leaves: a pending pay-now attempt, ten minutes old, that no case heard of.
  const [left] = await db.query<{ id: string; idempotency_key: string }[]>(
    `INSERT INTO collection_attempt (invoice_id, attempt, idempotency_key, payment_method_id, trigger, amount_cents, currency, created_at)
     SELECT i.id, 1, 'invoice:' || i.id || ':pay-now:1', m.id, 'pay-now', i.amount_open_cents, i.currency, now() - interval '10 minutes'
       FROM invoice i JOIN payment_method m ON m.policy_id = i.policy_id AND m.is_default WHERE i.id = $1 RETURNING id, idempotency_key`,
    [invoice.id],
  );
  const press = await portal.call('bruno', 'POST', `/me/invoices/${invoice.id}/payment`);
  expect(press.status).toBe(202);
  expect(press.body).toEqual(expect.objectContaining({ attemptId: left!.id, replayed: true }));
  // The case has it now: the engine keeps the message under the attempt's key and refuses it again.
  const again = await portal.engine.http('POST', '/v2/messages/publication', { name: 'premium-pay-now', correlationKey: invoice.id, timeToLive: 60_000, messageId: left!.idempotency_key, variables: { payNowAttemptId: left!.id } });
  expect(again.status).toBe(409);
  // Pressed again: the same attempt, handed over already, nothing new.
  const third = await portal.call('bruno', 'POST', `/me/invoices/${invoice.id}/payment`);
  expect([third.status, third.body.attemptId]).toEqual([202, left!.id]);
  expect((await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM collection_attempt WHERE invoice_id = $1`, [invoice.id]))[0]!.n).toBe(1);
  // Paid meanwhile by another way: the client is not told a payment is still in progress.
  await portal.portal.app.get(BillingService).recordPayment(invoice.id, invoice.totalCents, `test:paid-otherwise:${invoice.id}`);
  expect((await portal.call('bruno', 'GET', `/me/invoices/${invoice.id}/collection`)).body).toEqual(expect.objectContaining({ status: 'paid', paymentInProgress: false }));
});

it('an invoice lowered while its charge is in flight: the open part is paid, the rest is refunded to the client once, and the books reconcile', async () => {
  const invoice = await plannedInvoice();
  const opening = (await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 1 } })).body;
  expect(opening.request.amountCents).toBe(invoice.totalCents);
  // A staff adjustment lowers the invoice by 500 cents while the provider charges the amount the attempt opened for.
  await lower(invoice, 500);
  const answer = await portal.call('worker', 'POST', `/internal/collection-attempts/${opening.request.attemptId}/outcome`, { json: { status: 'collected', providerReference: 'ch_lowered_1' } });
  expect(answer.status).toBe(200);
  expect(answer.body.collected).toBe(true);
  const [row] = await portal.portal.dataSource.query<{ status: string; paid: number; open: number }[]>(`SELECT status, amount_paid_cents::float8 AS paid, amount_open_cents::float8 AS open FROM invoice WHERE id = $1`, [invoice.id]);
  expect(row).toEqual({ status: 'paid', paid: invoice.totalCents - 500, open: 0 });
  // All the provider took is cash in the ledger: the open part against the invoice, the surplus unapplied.
  expect(await payments(invoice.number)).toEqual({ n: 2, cents: invoice.totalCents });
  const [unapplied] = await portal.portal.dataSource.query<{ cents: number }[]>(`SELECT p.cents::float8 AS cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id AND p.side = 'debit' AND p.account = 'cash' WHERE e.idempotency_key = 'payment:ch_lowered_1:unapplied'`);
  expect(unapplied).toEqual({ cents: 500 });
  const [balance] = await portal.portal.dataSource.query<{ difference: number }[]>(`SELECT coalesce(sum(CASE side WHEN 'debit' THEN cents ELSE -cents END), 0)::float8 AS difference FROM journal_posting`);
  expect(balance!.difference).toBe(0);
  // A replayed answer books nothing more.
  expect((await portal.call('worker', 'POST', `/internal/collection-attempts/${opening.request.attemptId}/outcome`, { json: { status: 'collected', providerReference: 'ch_lowered_1' } })).body.replayed).toBe(true);
  expect(await payments(invoice.number)).toEqual({ n: 2, cents: invoice.totalCents });
  // The surplus is the client's: one refund for the attempt, owed in the ledger, whatever the replays.
  const refundsOf = () => portal.portal.dataSource.query<{ id: string; cents: number; status: string }[]>(`SELECT id, cents::float8 AS cents, status FROM premium_refund WHERE collection_attempt_id = $1`, [opening.request.attemptId]);
  expect(await refundsOf()).toEqual([{ id: expect.any(String), cents: 500, status: 'pending' }]);
  const owed = await portal.portal.dataSource.query(`SELECT e.kind, p.account, p.cents::float8 AS cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id AND p.side = 'credit' WHERE e.idempotency_key = $1`, [`refund-due:attempt:${opening.request.attemptId}`]);
  expect(owed).toEqual([{ kind: 'overpayment-refund-due', account: 'refunds_payable', cents: 500 }]);
  expect((await report()).checks.filter((c) => !c.ok)).toEqual([]);
  // The refund sweep sends it to the client's account once, and the books still reconcile.
  const bank = new LedgerPaymentProvider();
  const [refund] = await refundsOf();
  const sent = await payPendingRefunds(portal.portal.dataSource, bank, logger);
  expect(sent.filter((o) => o.refundId === refund!.id)).toEqual([expect.objectContaining({ status: 'paid' })]);
  expect(await payPendingRefunds(portal.portal.dataSource, bank, logger)).toEqual([]);
  expect((await refundsOf())[0]!.status).toBe('paid');
  expect((await report()).checks.filter((c) => !c.ok)).toEqual([]);
});

it('an overpaying direct debit holds its refund while the bank may return it; a return cancels the refund and reopens the invoice by what it paid', async () => {
  // Alice's policy pays by direct debit (the demo's mandate).
  const alicePolicy = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
  const invoice = await plannedInvoice(alicePolicy);
  const opening = (await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 1 } })).body;
  expect(opening.request.method.kind).toBe('sepa-direct-debit');
  await lower(invoice, 700);
  expect((await portal.call('worker', 'POST', `/internal/collection-attempts/${opening.request.attemptId}/outcome`, { json: { status: 'collected', providerReference: 'pi_sepa_over_1' } })).status).toBe(200);
  const refundOf = async () => (await portal.portal.dataSource.query<{ id: string; cents: number; status: string; held_days: number }[]>(
    `SELECT id, cents::float8 AS cents, status, round(extract(epoch FROM send_after - created_at) / 86400)::int AS held_days FROM premium_refund WHERE collection_attempt_id = $1`,
    [opening.request.attemptId],
  ))[0];
  expect(await refundOf()).toEqual({ id: expect.any(String), cents: 700, status: 'pending', held_days: 56 });
  // The sweep leaves it alone while the bank may still take the debit back.
  const held = await refundOf();
  expect((await payPendingRefunds(portal.portal.dataSource, new LedgerPaymentProvider(), logger)).filter((o) => o.refundId === held!.id)).toEqual([]);

  // The bank returns the debit, reported twice.
  const returned = { providerPaymentId: 'pi_sepa_over_1', code: 'MD06', kind: 'hard', reason: 'You asked your bank to return this direct debit.' };
  const answers = await Promise.all([1, 2].map(() => portal.call('worker', 'POST', '/internal/collection-returns', { json: returned })));
  expect(answers.map((a) => a.body.reversed).sort()).toEqual([false, true]);
  expect((await refundOf())!.status).toBe('cancelled');
  const [row] = await portal.portal.dataSource.query<{ status: string; paid: number; open: number }[]>(`SELECT status, amount_paid_cents::float8 AS paid, amount_open_cents::float8 AS open FROM invoice WHERE id = $1`, [invoice.id]);
  expect(row).toEqual({ status: 'open', paid: 0, open: invoice.totalCents - 700 });
  const kinds = await portal.portal.dataSource.query<{ kind: string; cents: number }[]>(
    `SELECT e.kind, p.cents::float8 AS cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id AND p.side = 'debit' WHERE e.reference = $1 AND e.kind NOT IN ('invoice-issued', 'invoice-adjusted') ORDER BY e.id`,
    [invoice.number],
  );
  expect(kinds).toEqual([
    { kind: 'payment-received', cents: invoice.totalCents - 700 },
    { kind: 'payment-received', cents: 700 },
    { kind: 'overpayment-refund-due', cents: 700 },
    { kind: 'payment-reversed', cents: invoice.totalCents },
    { kind: 'overpayment-refund-cancelled', cents: 700 },
  ]);
  expect((await report()).checks.filter((c) => !c.ok)).toEqual([]);
});

it('an invoice written off while its charge is in flight: the whole charge is cash in, owed back to the client, not lost', async () => {
  const invoice = await plannedInvoice();
  const opening = (await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 1 } })).body;
  await portal.portal.app.get(BillingService).writeOff(invoice.id, `write-off:${invoice.id}`);
  const answer = await portal.call('worker', 'POST', `/internal/collection-attempts/${opening.request.attemptId}/outcome`, { json: { status: 'collected', providerReference: 'ch_written_off_1' } });
  expect(answer.status).toBe(200);
  expect(await payments(invoice.number)).toEqual({ n: 1, cents: invoice.totalCents });
  expect(await portal.portal.dataSource.query(`SELECT cents::float8 AS cents FROM premium_refund WHERE collection_attempt_id = $1`, [opening.request.attemptId])).toEqual([{ cents: invoice.totalCents }]);
});

it('a lapse racing the payment that clears the invoice never leaves the policy lapsed with nothing owed', async () => {
  for (let round = 0; round < 4; round++) {
    const invoice = await plannedInvoice();
    const opening = (await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/collection-attempts`, { json: { attempt: 1 } })).body;
    const [lapse, answer] = await Promise.all([
      portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/lapse`),
      portal.call('worker', 'POST', `/internal/collection-attempts/${opening.request.attemptId}/outcome`, { json: { status: 'collected', providerReference: `ch_race_${round}` } }),
    ]);
    expect([lapse.status, answer.status]).toEqual([200, 200]);
    const [state] = await portal.portal.dataSource.query<{ invoice: string; policy: string; lapsed: number }[]>(
      `SELECT i.status AS invoice, p.status AS policy, (SELECT count(*)::int FROM collection_case c WHERE c.policy_id = p.id AND c.status = 'lapsed') AS lapsed FROM invoice i JOIN policy p ON p.id = i.policy_id WHERE i.id = $1`,
      [invoice.id],
    );
    // Paid either way: lapsed first, the payment reinstated it; paid first, the lapse found nothing to do.
    expect(state).toEqual({ invoice: 'paid', policy: 'active', lapsed: 0 });
    const history = await portal.portal.dataSource.query<{ status: string }[]>(`SELECT status FROM policy_status_period WHERE policy_id = $1 ORDER BY effective_from DESC LIMIT 1`, [policyId]);
    // No history at all when the payment won every round so far (the seeded policy has none): never lapsed.
    expect(history.map((p) => p.status)).not.toContain('lapsed');
  }
});

const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

it('reinstates from the day the arrears were paid, not the day the reinstatement step runs', async () => {
  const invoice = await plannedInvoice();
  // Lapsed ten days ago; paid by a transfer three days ago; the case's step runs only now.
  await portal.portal.dataSource.query(`UPDATE collection_case SET due_on = current_date - 32, grace_ends_on = current_date - 11, lapses_on = current_date - 10 WHERE invoice_id = $1`, [invoice.id]);
  expect((await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/lapse`)).body).toEqual({ lapsed: true, lapsesOn: dayOffset(-10) });
  await portal.portal.app.get(BillingService).recordPayment(invoice.id, invoice.totalCents, `transfer-${invoice.id}`);
  await portal.portal.dataSource.query(`UPDATE invoice_payment SET recorded_at = now() - interval '3 days' WHERE invoice_id = $1`, [invoice.id]);
  expect((await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/reinstatement`)).body).toEqual({ reinstated: true, reinstatedOn: dayOffset(-3) });
  const [latest] = await portal.portal.dataSource.query<{ status: string; from: string }[]>(`SELECT status, effective_from::text AS from FROM policy_status_period WHERE policy_id = $1 ORDER BY effective_from DESC LIMIT 1`, [policyId]);
  expect(latest).toEqual({ status: 'active', from: dayOffset(-3) });
});

const scheduleStatus = async () => (await portal.portal.dataSource.query<{ status: string }[]>(`SELECT status FROM billing_schedule WHERE policy_id = $1`, [policyId]))[0]!.status;

it('a write-off stops the policy\'s billing; an invoice voided by a credit meanwhile is not written off', async () => {
  const voided = await plannedInvoice();
  await portal.portal.dataSource.query(`UPDATE invoice SET credited_cents = total_cents + adjusted_cents, status = 'void' WHERE id = $1`, [voided.id]);
  expect((await portal.call('worker', 'POST', `/internal/invoices/${voided.id}/write-off`)).body).toEqual({ writtenOff: false });
  expect((await portal.portal.dataSource.query(`SELECT status FROM collection_case WHERE invoice_id = $1`, [voided.id]))[0].status).not.toBe('written-off');
  expect(await scheduleStatus()).toBe('active');

  const unpaid = await plannedInvoice();
  const answers = await Promise.all([1, 2].map(() => portal.call('worker', 'POST', `/internal/invoices/${unpaid.id}/write-off`)));
  expect(answers.map((a) => a.body)).toEqual([{ writtenOff: true }, { writtenOff: true }]);
  expect(await scheduleStatus()).toBe('stopped');
  const [row] = await portal.portal.dataSource.query<{ status: string; off: number }[]>(`SELECT status, written_off_cents::float8 AS off FROM invoice WHERE id = $1`, [unpaid.id]);
  expect(row).toEqual({ status: 'written_off', off: unpaid.totalCents });
  await portal.portal.dataSource.query(`UPDATE billing_schedule SET status = 'active' WHERE policy_id = $1`, [policyId]);
});

it('a lapse step on a policy cancelled meanwhile completes with nothing to do', async () => {
  const invoice = await plannedInvoice();
  // The history ends today and the cancellation follows (earlier tests left states from their lapse days on).
  await portal.portal.dataSource.query(`DELETE FROM policy_status_period WHERE policy_id = $1 AND effective_from > current_date`, [policyId]);
  await portal.portal.dataSource.query(`UPDATE policy_status_period SET effective_to = current_date WHERE policy_id = $1 AND (effective_to IS NULL OR effective_to > current_date)`, [policyId]);
  await portal.portal.dataSource.query(`INSERT INTO policy_status_period (policy_id, status, effective_from, reason, recorded_by) VALUES ($1, 'cancelled', current_date + 1, 'Cancelled by the client', 'test')`, [policyId]);
  const lapse = await portal.call('worker', 'POST', `/internal/invoices/${invoice.id}/lapse`);
  expect(lapse.status).toBe(200);
  expect(lapse.body.lapsed).toBe(false);
});
