/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { BillingService } from '@claims/portal-api/src/billing/billing.service';
import { EmbeddedCollectionProvider } from '../payments/embedded-collection-provider';
import { LifecycleFixture } from '../testing/lifecycle-fixture';
import { alicePolicyLikeHers, collectionStarted, dayFromToday, billInvoiceDueOn } from '../testing/premium-collection-cases';

/**
 * bpmn/premium-collection.bpmn with the real workers, portal, billing and
 * outbox, the embedded collection provider counting every charge: paid on
 * time; a soft decline paid on the second retry; a hard decline, reminders
 * by email and SMS, grace, lapse, a claim refused in the lapse and
 * reinstatement on "Pay now"; written off. Retries, grace and the window run
 * in accelerated time: the engine's clock is pinned and moved past each
 * timer (back to a past due day first, where a lapse must end before today
 * for care in it to be claimable). Each checks the money: what the invoice
 * has paid, the ledger, one charge per attempt key.
 */
let life: LifecycleFixture;
const provider = new EmbeddedCollectionProvider();
const DAY = 86_400_000;
const day = dayFromToday;
const ALICE = { email: 'alice@example.com', phone: '+33612345601' };

beforeAll(async () => {
  life = await LifecycleFixture.start('collections');
  await life.startWorkers({}, { collections: provider });
}, 120_000);

afterEach(async () => {
  // A case's pinned clock must not outlive it, even when it fails half-way.
  await life.portal.engine.resetClock();
});

afterAll(async () => {
  await life?.stop();
});

const db = () => life.portal.portal.dataSource;

const alicePolicy = (number: string) => alicePolicyLikeHers(life, number);
const invoiceDueOn = (policy: string, dueOn: string) => billInvoiceDueOn(life, policy, dueOn);
const caseStarted = (invoiceId: string) => collectionStarted(life, invoiceId);

async function setCard(policy: string, token: string, last4 = '4242') {
  const answer = await life.portal.call('alice', 'PUT', `/me/payment-methods/${policy}`, { json: { kind: 'card', cardToken: token, cardLast4: last4 } });
  expect(answer.status).toBe(200);
  return answer.body;
}

/** Waits until the instance entered `elementId`; failing, says where it stands and what incident stopped it. */
async function reached(processInstanceKey: string, elementId: string): Promise<void> {
  try {
    await eventually(async () => {
      const found = await life.portal.engine.http('POST', '/v2/element-instances/search', { filter: { processInstanceKey, elementId } });
      return (found.body as { items: unknown[] }).items.length > 0 || undefined;
    }, 60_000);
  } catch (error) {
    const incidents = await life.portal.engine.http('POST', '/v2/incidents/search', { filter: { processInstanceKey } });
    const active = await life.portal.engine.elementIds(processInstanceKey);
    throw new Error(`${(error as Error).message}; instance ${processInstanceKey} at ${active.join(', ')}; incidents ${JSON.stringify((incidents.body as { items: unknown[] }).items)}`);
  }
}

async function invoice(invoiceId: string) {
  return (await db().query<{ status: string; paid: number; open: number }[]>(`SELECT status, amount_paid_cents::float8 AS paid, amount_open_cents::float8 AS open FROM invoice WHERE id = $1`, [invoiceId]))[0]!;
}

/** The ledger entries for an invoice by kind, with their amount (the debit side). */
async function ledger(invoiceNumber: string): Promise<{ kind: string; cents: number }[]> {
  return db().query(
    `SELECT e.kind, p.cents::float8 AS cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id AND p.side = 'debit' WHERE e.reference = $1 ORDER BY e.id`,
    [invoiceNumber],
  );
}

const chargesOf = (invoiceId: string) => provider.charges().filter((c) => c.idempotencyKey.startsWith(`invoice:${invoiceId}:`));

/** Pins the engine's clock to an hour (UTC) of a day: the case's timers fire as that time passes them. */
const clockAt = (date: string, hour: number) => life.portal.engine.pinClock(Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`));

/** Waits until the instance waits at `elementId` (active there). */
async function waitingAt(processInstanceKey: string, elementId: string): Promise<void> {
  await eventually(async () => ((await life.portal.engine.elementIds(processInstanceKey)).includes(elementId) ? true : undefined), 30_000);
}

/**
 * After a pin that must not fire anything: the pin re-plans the engine's due
 * queue at once, so a timer taken as due would be firing by the time a later
 * request is answered; the instance still waiting is checked after one.
 */
async function expectStillWaiting(processInstanceKey: string, elementId: string): Promise<void> {
  await life.portal.engine.http('POST', '/v2/element-instances/search', { filter: { processInstanceKey } });
  expect(await life.portal.engine.elementIds(processInstanceKey)).toContain(elementId);
}

it('collects an invoice on its due date from the card on file, once', async () => {
  const policy = await alicePolicy('POL-C00001');
  const method = await setCard(policy, 'tok_visa');
  expect(method.method).toEqual(expect.objectContaining({ kind: 'card', cardLast4: '4242' }));
  expect(JSON.stringify(method)).not.toContain('tok_visa');
  const due = await invoiceDueOn(policy, day(0));
  const instance = await caseStarted(due.id);
  await reached(instance, 'premium-paid');
  expect(await invoice(due.id)).toEqual({ status: 'paid', paid: due.totalCents, open: 0 });
  expect(await ledger(due.number)).toEqual([{ kind: 'invoice-issued', cents: due.totalCents }, { kind: 'payment-received', cents: due.totalCents }]);
  expect(chargesOf(due.id).map((c) => [c.idempotencyKey, c.amountCents, c.outcome.status])).toEqual([[`invoice:${due.id}:collection:1`, due.totalCents, 'collected']]);
  const view = (await life.portal.call('alice', 'GET', `/me/invoices/${due.id}/collection`)).body;
  expect(view).toEqual(expect.objectContaining({ status: 'paid', openCents: 0, canPayNow: false, attempts: [expect.objectContaining({ attempt: 1, outcome: 'collected' })] }));
  // Another client cannot read it.
  expect((await life.portal.call('bruno', 'GET', `/me/invoices/${due.id}/collection`)).status).toBe(404);
}, 90_000);

it('retries a soft decline on the table\'s schedule and is paid on the second retry, without a reminder (clock pinned)', async () => {
  const policy = await alicePolicy('POL-C00002');
  await setCard(policy, 'tok_mastercard', '4444');
  provider.declineNext(2, 'insufficient_funds');
  const due = await invoiceDueOn(policy, day(0));
  const instance = await caseStarted(due.id);
  await reached(instance, 'wait-for-retry');
  expect(chargesOf(due.id)).toHaveLength(1);
  // The first retry, a day later (P1D): declined again.
  await life.portal.engine.pinClock(Date.now() + DAY + 3_600_000);
  await eventually(async () => (chargesOf(due.id).length === 2 && (await life.portal.engine.elementIds(instance)).includes('wait-for-retry') ? true : undefined), 30_000);
  // The second retry, two days after that (P2D): collected.
  await life.portal.engine.pinClock(Date.now() + 3 * DAY + 7_200_000);
  await reached(instance, 'premium-paid');
  expect(chargesOf(due.id).map((c) => [c.idempotencyKey, c.outcome.status])).toEqual([
    [`invoice:${due.id}:collection:1`, 'declined'],
    [`invoice:${due.id}:collection:2`, 'declined'],
    [`invoice:${due.id}:collection:3`, 'collected'],
  ]);
  expect(await invoice(due.id)).toEqual({ status: 'paid', paid: due.totalCents, open: 0 });
  expect((await ledger(due.number)).filter((e) => e.kind === 'payment-received')).toEqual([{ kind: 'payment-received', cents: due.totalCents }]);
  const attempts = await db().query<{ attempt: number; outcome: string; decline_kind: string | null }[]>(`SELECT attempt, outcome, decline_kind FROM collection_attempt WHERE invoice_id = $1 ORDER BY attempt`, [due.id]);
  expect(attempts).toEqual([
    { attempt: 1, outcome: 'declined', decline_kind: 'soft' },
    { attempt: 2, outcome: 'declined', decline_kind: 'soft' },
    { attempt: 3, outcome: 'collected', decline_kind: null },
  ]);
  expect(life.outbox.mails.some((m) => m.Subject.startsWith(`Invoice ${due.number}`))).toBe(false);
}, 120_000);

it('after a hard decline reminds by email and SMS, lapses the policy after grace, refuses care in the lapse, and reinstates when the client pays now with a new card (clock pinned)', async () => {
  const policy = await alicePolicy('POL-C00003');
  await setCard(policy, 'tok_chargeDeclinedExpiredCard', '0069');
  // Due 40 days ago, and the engine's clock is put back to that morning, so
  // the case lives its weeks in accelerated time and its lapse ends in the
  // past, where care can be claimed: grace ends on day -19, the last reminder
  // is due on day -22, the lapse begins on day -18, the window stays open to day 11.
  const due = await invoiceDueOn(policy, day(-40));
  await clockAt(day(-40), 9);
  const instance = await caseStarted(due.id);
  const reminder = await life.mailTo(ALICE.email, `Invoice ${due.number}: your payment of`);
  expect(reminder.Text).toContain('Your card has expired.');
  expect(reminder.Text).toContain(`your policy lapses on ${new Date(`${day(-18)}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}`);
  await life.smsTo(ALICE.phone, `Invoice ${due.number}: your payment`);
  await waitingAt(instance, 'wait-for-last-reminder');

  // The day before the last reminder: still waiting, nothing sent.
  await clockAt(day(-23), 9);
  await expectStillWaiting(instance, 'wait-for-last-reminder');
  expect(life.outbox.mails.some((m) => m.Subject.startsWith(`Invoice ${due.number}: last reminder`))).toBe(false);
  // Three days before grace ends: the last reminder, by email and SMS.
  await clockAt(day(-22), 9);
  await life.mailTo(ALICE.email, `Invoice ${due.number}: last reminder, your cover lapses on`);
  await life.smsTo(ALICE.phone, `Last reminder: invoice ${due.number}`);
  await waitingAt(instance, 'wait-in-grace');
  // The last day of grace: still covered.
  await clockAt(day(-19), 23);
  await expectStillWaiting(instance, 'wait-in-grace');
  expect((await life.portal.call('alice', 'GET', `/me/policies/${policy}/contract`)).body.statusHistory.at(-1).status).toBe('active');
  // Grace is over: the policy lapses from that day.
  await clockAt(day(-18), 1);
  await life.mailTo(ALICE.email, 'Policy POL-C00003: your cover has lapsed');
  await reached(instance, 'wait-for-arrears');
  // Real time again: the rest of the case (the client pays now) happens today, inside the window.
  await life.portal.engine.resetClock();
  const lapsed = (await life.portal.call('alice', 'GET', `/me/policies/${policy}/contract`)).body;
  expect(lapsed.statusHistory.at(-1)).toEqual({ status: 'lapsed', effectiveFrom: day(-18), effectiveTo: null });
  // The extranet says what happened and what to do, with this case's dates.
  const view = (await life.portal.call('alice', 'GET', `/me/invoices/${due.id}/collection`)).body;
  expect(view).toEqual(expect.objectContaining({ status: 'lapsed', canPayNow: true, dueOn: day(-40), graceEndsOn: day(-19), lapsesOn: day(-18), reinstatableUntil: day(11), openCents: due.totalCents }));
  expect(view.attempts).toEqual([expect.objectContaining({ outcome: 'declined', declineKind: 'hard', reason: expect.stringContaining('expired') })]);

  // The client gives a card that works and pays now (pressed twice: one charge).
  await setCard(policy, 'tok_visa');
  const [first, second] = await Promise.all([life.portal.call('alice', 'POST', `/me/invoices/${due.id}/payment`), life.portal.call('alice', 'POST', `/me/invoices/${due.id}/payment`)]);
  expect([first.status, second.status]).toEqual([202, 202]);
  expect(second.body.attemptId).toBe(first.body.attemptId);
  await reached(instance, 'policy-reinstated');
  await life.mailTo(ALICE.email, 'Policy POL-C00003: your cover is back');
  expect(await invoice(due.id)).toEqual({ status: 'paid', paid: due.totalCents, open: 0 });
  expect(chargesOf(due.id).map((c) => [c.idempotencyKey, c.outcome.status])).toEqual([
    [`invoice:${due.id}:collection:1`, 'declined'],
    [`invoice:${due.id}:pay-now:1`, 'collected'],
  ]);
  expect((await ledger(due.number)).filter((e) => e.kind === 'payment-received')).toEqual([{ kind: 'payment-received', cents: due.totalCents }]);
  // The lapse stays uncovered; cover is back from today.
  const reinstated = (await life.portal.call('alice', 'GET', `/me/policies/${policy}/contract`)).body;
  expect(reinstated.statusHistory.slice(-2)).toEqual([
    { status: 'lapsed', effectiveFrom: day(-18), effectiveTo: day(-1) },
    { status: 'active', effectiveFrom: day(0), effectiveTo: null },
  ]);
  const { claimId } = await life.fileClaim('alice', 'POL-C00003', [{ careCode: 'GP_VISIT', amount: 60, serviceDate: day(-10) }, { careCode: 'GP_VISIT', amount: 50 }]);
  await life.claimWhen(claimId, (c) => ['paid', 'closed-nothing-payable', 'in-review', 'rejected', 'awaiting-approval'].includes(c.status));
  const mine = (await life.portal.call('alice', 'GET', `/claims/${claimId}`)).body;
  const [duringLapse, afterIt] = [...mine.items].sort((a: any, b: any) => a.lineNumber - b.lineNumber);
  expect(duringLapse).toEqual(expect.objectContaining({ status: 'rejected', reasonCode: 'POLICY_LAPSED', reason: expect.stringContaining('lapsed') }));
  expect(afterIt.status).not.toBe('rejected');
}, 150_000);

it('writes the invoice off when the reinstatement window closes unpaid; the policy stays lapsed (clock pinned)', async () => {
  const policy = await alicePolicy('POL-C00004');
  await setCard(policy, 'tok_chargeDeclinedStolenCard', '0019');
  // Due 60 days ago, the engine's clock put back to that day: the lapse begins on day -38, the window closes after day -9.
  const due = await invoiceDueOn(policy, day(-60));
  await clockAt(day(-60), 9);
  const instance = await caseStarted(due.id);
  await waitingAt(instance, 'wait-for-last-reminder');
  await clockAt(day(-38), 1);
  await reached(instance, 'wait-for-arrears');
  // The window's last day: nothing written off yet.
  await clockAt(day(-9), 23);
  await expectStillWaiting(instance, 'wait-for-arrears');
  expect(await invoice(due.id)).toEqual({ status: 'open', paid: 0, open: due.totalCents });
  await clockAt(day(-8), 1);
  await reached(instance, 'invoice-written-off');
  await life.mailTo(ALICE.email, `Policy POL-C00004: invoice ${due.number} closed unpaid`);
  expect(await invoice(due.id)).toEqual({ status: 'written_off', paid: 0, open: 0 });
  expect(await ledger(due.number)).toEqual([{ kind: 'invoice-issued', cents: due.totalCents }, { kind: 'invoice-written-off', cents: due.totalCents }]);
  expect(chargesOf(due.id).map((c) => c.idempotencyKey)).toEqual([`invoice:${due.id}:collection:1`]);
  const contract = (await life.portal.call('carla', 'GET', `/policies/${policy}/contract`)).body;
  expect(contract.statusHistory.at(-1)).toEqual(expect.objectContaining({ status: 'lapsed', effectiveFrom: day(-38), effectiveTo: null }));
  // Nothing is left to pay.
  expect((await life.portal.call('alice', 'POST', `/me/invoices/${due.id}/payment`)).status).toBe(409);
}, 120_000);

it('reverses a direct debit the bank returns: the invoice is open again, the ledger reverses the payment once, and a new round collects it', async () => {
  const policy = await alicePolicy('POL-C00005');
  expect((await life.portal.call('alice', 'PUT', `/me/payment-methods/${policy}`, { json: { kind: 'sepa-direct-debit', accountHolder: 'Alice Martin', iban: 'DE89 3704 0044 0532 0130 00' } })).status).toBe(200);
  const due = await invoiceDueOn(policy, day(0));
  const first = await caseStarted(due.id);
  await reached(first, 'premium-paid');
  const [debit] = await db().query<{ provider_payment_id: string; outcome: string }[]>(`SELECT provider_payment_id, outcome FROM collection_attempt WHERE invoice_id = $1`, [due.id]);
  expect(debit!.outcome).toBe('submitted');
  // The return comes weeks after the due date: the case's first dates are long past.
  await db().query(`UPDATE collection_case SET due_on = $2, grace_ends_on = $3, lapses_on = $4, reinstatable_until = $5 WHERE invoice_id = $1`, [due.id, day(-40), day(-19), day(-18), day(11)]);
  // The client asked her bank to return it (MD06), twice reported: reversed once.
  const returned = { providerPaymentId: debit!.provider_payment_id, code: 'MD06', kind: 'hard', reason: 'You asked your bank to return this direct debit.' };
  const answers = await Promise.all([1, 2].map(() => life.portal.call('worker', 'POST', '/internal/collection-returns', { json: returned })));
  expect(answers.map((a) => a.status)).toEqual([200, 200]);
  expect(answers.map((a) => a.body.reversed).sort()).toEqual([false, true]);
  expect((await ledger(due.number)).map((e) => e.kind)).toEqual(['invoice-issued', 'payment-received', 'payment-reversed']);
  // A new round: its own instance, attempt 2 under its own key, paid again (the old paid message is not heard).
  const second = await caseStarted(due.id);
  // The new round's dates run from the return, not from the first round's.
  const [dates] = await db().query<{ due_on: string; lapses_on: string }[]>(`SELECT due_on::text AS due_on, lapses_on::text AS lapses_on FROM collection_case WHERE invoice_id = $1`, [due.id]);
  expect(dates!.due_on).toBe(day(0));
  expect(dates!.lapses_on > day(0)).toBe(true);
  expect(second).not.toBe(first);
  await reached(second, 'premium-paid');
  expect(await invoice(due.id)).toEqual({ status: 'paid', paid: due.totalCents, open: 0 });
  expect(chargesOf(due.id).map((c) => c.idempotencyKey)).toEqual([`invoice:${due.id}:collection:1`, `invoice:${due.id}:collection:2`]);
  expect(await ledger(due.number)).toEqual([
    { kind: 'invoice-issued', cents: due.totalCents },
    { kind: 'payment-received', cents: due.totalCents },
    { kind: 'payment-reversed', cents: due.totalCents },
    { kind: 'payment-received', cents: due.totalCents },
  ]);
}, 120_000);

it('two overdue invoices: paying the lapsed one leaves the policy lapsed without "cover is back"; paying the other reinstates it', async () => {
  const policy = await alicePolicy('POL-C00006');
  await setCard(policy, 'tok_chargeDeclinedExpiredCard', '0069');
  // Two periods of one schedule: the first due 45 days ago (lapsed 23 days ago), the next a month later (overdue, still in grace).
  const older = await invoiceDueOn(policy, day(-45));
  const [schedule] = await db().query<{ id: string; next: string }[]>(`SELECT id, to_char(next_period_start, 'YYYY-MM-DD') AS next FROM billing_schedule WHERE policy_id = $1`, [policy]);
  const issued = await life.portal.portal.app.get(BillingService).issueInvoiceFor(schedule!.id, schedule!.next, { issuedOn: schedule!.next });
  if (issued.outcome !== 'invoice') throw new Error(`expected an invoice, got ${issued.outcome}`);
  const newer = { id: issued.invoiceId, number: issued.number, totalCents: issued.totalCents };
  const olderCase = await caseStarted(older.id);
  await reached(olderCase, 'wait-for-arrears');
  const newerCase = await caseStarted(newer.id);
  await reached(newerCase, 'send-payment-failed');
  const statusNow = async () => (await life.portal.call('carla', 'GET', `/policies/${policy}/contract`)).body.statusHistory.at(-1);
  expect(await statusNow()).toEqual(expect.objectContaining({ status: 'lapsed', effectiveFrom: day(-23), effectiveTo: null }));

  await setCard(policy, 'tok_visa');
  expect((await life.portal.call('alice', 'POST', `/me/invoices/${older.id}/payment`)).status).toBe(202);
  // Paid, but the newer invoice is still overdue: the case ends without telling the client the cover is back.
  await reached(olderCase, 'paid-still-in-arrears');
  expect(await invoice(older.id)).toEqual({ status: 'paid', paid: older.totalCents, open: 0 });
  expect(await statusNow()).toEqual(expect.objectContaining({ status: 'lapsed', effectiveTo: null }));
  const told = await db().query(`SELECT 1 FROM collection_case WHERE invoice_id = $1 AND status = 'reinstated'`, [older.id]);
  expect(told).toHaveLength(0);

  // The newer invoice paid in its own case: nothing is overdue any more, the policy is active again from today.
  expect((await life.portal.call('alice', 'POST', `/me/invoices/${newer.id}/payment`)).status).toBe(202);
  await eventually(async () => ((await invoice(newer.id)).status === 'paid' ? true : undefined), 60_000);
  const history = (await life.portal.call('carla', 'GET', `/policies/${policy}/contract`)).body.statusHistory;
  expect(history.slice(-2)).toEqual([expect.objectContaining({ status: 'lapsed', effectiveFrom: day(-23), effectiveTo: day(-1) }), expect.objectContaining({ status: 'active', effectiveFrom: day(0), effectiveTo: null })]);
  const cases = await db().query<{ status: string; reinstated_on: string }[]>(`SELECT status, reinstated_on::text AS reinstated_on FROM collection_case WHERE invoice_id = $1`, [older.id]);
  expect(cases).toEqual([{ status: 'reinstated', reinstated_on: day(0) }]);
  expect(chargesOf(older.id).filter((c) => c.outcome.status === 'collected')).toHaveLength(1);
  expect(chargesOf(newer.id).filter((c) => c.outcome.status === 'collected')).toHaveLength(1);
}, 150_000);
