/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPOSITORY_ROOT } from '@claims/deploy';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { pdfText } from '@claims/tasklist-web/e2e/pdf-text';
import { formatCents } from '../applications/money-text';
import { addDays, todayUtc } from '../products/quote-dates';
import { INSURER_DEMO_PAYEE } from '../settings';
import { PortalFixture } from '../testing/portal-fixture';
import { BillingService } from './billing.service';
import { createBillingSchedule } from './billing-schedules';
import { referenceSplit } from './testing/largest-remainder-reference';

/**
 * Billing as staff use it, through the API with real tokens, the engine
 * (the refund table deployed) and PostgreSQL: a cancellation refund, claim
 * payouts in the ledger, manual adjustments with a second approver, a
 * customer's billing, arrears, the invoice PDF and the reconciliation.
 */
describe('billing for staff', () => {
  let portal: PortalFixture;
  let billing: BillingService;
  let folder: string;
  const today = todayUtc();
  const policies: Record<string, { id: string; customerId: string }> = {};

  beforeAll(async () => {
    portal = await PortalFixture.start('billing-staff');
    await portal.deployTestProcess();
    await portal.engine.client.deployResources([{ name: 'cancellation-refund.dmn', content: await readFile(path.join(REPOSITORY_ROOT, 'bpmn', 'cancellation-refund.dmn'), 'utf8') }]);
    billing = portal.portal.app.get(BillingService, { strict: false });
    folder = await mkdtemp(path.join(tmpdir(), 'billing-staff-'));
    for (const who of ['alice', 'bruno', 'chloe']) {
      const customerId = (await portal.call(who, 'GET', '/me')).body.customer.id;
      for (const p of (await portal.call(who, 'GET', '/me/policies')).body.items) policies[p.number] = { id: p.id, customerId };
    }
  });

  afterAll(async () => {
    await portal?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** The billing schedule of a demo policy (the demo data may have made it and issued some periods already), `periods` more periods issued, and all its invoices. */
  async function bill(policyNumber: string, periods: number): Promise<{ id: string; periodFrom: string; periodTo: string; totalCents: number }[]> {
    const { id } = policies[policyNumber]!;
    const [policy] = await portal.portal.dataSource.query(`SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on, payment_frequency, currency FROM policy WHERE id = $1`, [id]);
    const scheduleId = await portal.portal.dataSource.transaction((manager) => createBillingSchedule(manager, { policyId: id, frequency: policy.payment_frequency, startsOn: policy.starts_on, periodPremiumCents: 31_000, currency: policy.currency }));
    for (let n = 0; n < periods; n += 1) {
      const [schedule] = await portal.portal.dataSource.query(`SELECT to_char(next_period_start, 'YYYY-MM-DD') AS next FROM billing_schedule WHERE id = $1`, [scheduleId]);
      await billing.issueInvoiceFor(scheduleId, schedule.next, { issuedOn: schedule.next < today ? schedule.next : today });
    }
    return portal.portal.dataSource.query(
      `SELECT id, to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo", total_cents::int AS "totalCents" FROM invoice WHERE policy_id = $1 ORDER BY period_from`,
      [id],
    );
  }

  const entries = (where: string, params: unknown[]) => portal.portal.dataSource.query<{ kind: string; cents: number }[]>(
    `SELECT e.kind, p.cents::int AS cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id AND p.side = 'debit' WHERE ${where} ORDER BY e.id`,
    params,
  );

  test('a cancellation refunds the unused premium short-rate, to the cent, once however often it is sent', async () => {
    // Bruno: Health Essential, monthly, 20 days in force; cancelled by his own request from in 5 days (25 days in force, month 0: 10 % kept).
    const [first, second] = await bill('POL-100002', 2);
    await billing.recordPayment(first!.id, first!.totalCents, `pay-${first!.id}`);
    const cancelledFrom = addDays(today, 5);
    const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
    // The reference: the unused days' share split by the one-cent-at-a-time reference, 10 % of it rounded half up.
    const unused = referenceSplit(first!.totalCents, [days(first!.periodFrom, addDays(cancelledFrom, -1)), days(cancelledFrom, first!.periodTo)])[1]!;
    const paidBack = unused - Math.floor((unused * 1_000 + 5_000) / 10_000);
    // The second month starts after the cancellation: never in force, so credited whole, no penalty.
    const wholeSecond = second!.totalCents;

    const cancel = () => portal.call('carla', 'POST', `/policies/${policies['POL-100002']!.id}/cancellation`, { json: { effectiveFrom: cancelledFrom, reason: 'Moving to another insurer', cancellationReason: 'client-request' } });
    const answer = await cancel();
    expect(answer.status).toBe(200);
    const notes = await portal.portal.dataSource.query(`SELECT n.id, n.invoice_id, n.total_cents::int AS cents FROM credit_note n WHERE n.policy_id = $1 ORDER BY n.number`, [policies['POL-100002']!.id]);
    expect(notes.map((n: any) => [n.invoice_id, n.cents])).toEqual([[first!.id, paidBack], [second!.id, wholeSecond]]);
    const refunds = await portal.portal.dataSource.query(`SELECT cents::int AS cents, status FROM premium_refund WHERE policy_id = $1`, [policies['POL-100002']!.id]);
    expect(refunds).toEqual([{ cents: paidBack, status: 'pending' }]);
    expect(await entries(`e.idempotency_key = ANY($1)`, [[`refund-due:${notes[0].id}`, `credit-note:${notes[1].id}`]])).toEqual([{ kind: 'refund-due', cents: paidBack }, { kind: 'credit-note-issued', cents: wholeSecond }]);
    const [audit] = await portal.portal.dataSource.query(`SELECT details FROM audit_entry WHERE entity_id = $1 AND action = 'policy.cancelled'`, [policies['POL-100002']!.id]);
    expect(audit.details).toMatchObject({ cancellationReason: 'client-request', refundMethod: 'short-rate', penaltyBasisPoints: 1_000, refundCents: paidBack });

    // Sent again (a double click, a retry): refused as cancelled already, nothing credited twice.
    const again = await cancel();
    expect(again.status).toBe(409);
    expect(await portal.count('credit_note')).toBe(2);
    expect(await portal.count('premium_refund')).toBe(1);
  });

  test('a confirmed claim payout posts claim-paid once, however often the outcome is replayed', async () => {
    const filed = await portal.call('chloe', 'POST', '/claims', { json: { policyId: policies['POL-100003']!.id, items: [{ serviceDate: addDays(today, -2), providerName: 'Dr. Test', careCode: 'SPECIALIST', amount: 125.5 }] } });
    const claim = { id: filed.body.id as string, items: (await portal.call('worker', 'GET', `/internal/claims/${filed.body.id}`)).body.items as { id: string }[] };
    const calculated = await portal.call('worker', 'POST', `/internal/claims/${claim.id}/benefit-calculation`, { json: { items: claim.items.map((i) => ({ itemId: i.id, decision: 'accept' })) } });
    const total = calculated.body.totalPayable as number;
    const intent = await portal.call('worker', 'POST', `/internal/claims/${claim.id}/payout-intents`, { json: { amount: total } });
    expect([filed.status, calculated.status, intent.status]).toEqual([201, 200, 201]);
    const key = intent.body.payout.attemptKey as string;
    const paid = () => portal.call('worker', 'POST', `/internal/claims/${claim.id}/payouts`, { json: { attemptKey: key, amount: total, status: 'paid', providerReference: 'BANK-1' } });
    const answers = await Promise.all([paid(), paid(), paid()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(await paid().then((a) => a.status)).toBe(200);
    expect(await entries(`e.idempotency_key = $1`, [key])).toEqual([{ kind: 'claim-paid', cents: Math.round(total * 100) }]);
  });

  test('adjustments: small ones apply at once, large ones wait for another manager; audited and posted once', async () => {
    const [invoice] = await bill('POL-100001', 1);
    const alice = policies['POL-100001']!;
    const ask = (who: string, cents: number, key: string | null = randomUUID()) => portal.call(who, 'POST', '/billing/adjustments', { json: { policyId: alice.id, invoiceId: invoice!.id, cents, reason: 'Goodwill after a late reply' }, headers: key ? { 'idempotency-key': key } : {} });
    const open = async () => (await portal.portal.dataSource.query(`SELECT amount_open_cents::int AS open FROM invoice WHERE id = $1`, [invoice!.id]))[0].open as number;

    const small = await ask('carla', -1_500, 'goodwill-1');
    expect(small.status).toBe(201);
    expect(small.body).toMatchObject({ status: 'applied', cents: -1_500, requestedBy: 'carla', decidedBy: null, needsApproval: false });
    const replay = await ask('carla', -1_500, 'goodwill-1');
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.id]).toEqual([200, 'true', small.body.id]);
    const reused = await ask('carla', -1_600, 'goodwill-1');
    expect([reused.status, reused.body.errors]).toEqual([422, [{ name: 'Idempotency-Key', reason: 'was used for a different request' }]]);
    expect(await open()).toBe(invoice!.totalCents - 1_500);
    // Without a key a retry would adjust twice: refused, naming the header, nothing asked.
    const keyless = await ask('carla', -100, null);
    expect([keyless.status, keyless.body.errors?.map((e: any) => e.name)]).toEqual([400, ['Idempotency-Key']]);
    expect(await open()).toBe(invoice!.totalCents - 1_500);

    const large = await ask('maria', -8_000);
    expect(large.body).toMatchObject({ status: 'pending', needsApproval: true });
    expect(await open()).toBe(invoice!.totalCents - 1_500);
    const queue = await portal.call('carla', 'GET', '/billing/adjustments?status=pending');
    expect(queue.body.map((a: any) => a.id)).toEqual([large.body.id]);
    const decide = (who: string, decision: string) => portal.call(who, 'POST', `/billing/adjustments/${large.body.id}/decision`, { json: { decision } });
    expect((await decide('carla', 'approve')).status).toBe(403);
    const own = await decide('maria', 'approve');
    expect([own.status, own.headers.get('content-type')]).toEqual([403, expect.stringContaining('application/problem+json')]);
    const approved = await decide('marc', 'approve');
    expect(approved.body).toMatchObject({ status: 'applied', decidedBy: 'marc' });
    expect((await decide('marc', 'reject')).status).toBe(409);
    expect(await open()).toBe(invoice!.totalCents - 9_500);
    expect(await entries(`e.idempotency_key = ANY($1)`, [[`adjustment:${small.body.id}`, `adjustment:${large.body.id}`]])).toEqual([
      // Lowering an invoice turns the entry round: income is debited.
      { kind: 'invoice-adjusted', cents: 1_500 },
      { kind: 'invoice-adjusted', cents: 8_000 },
    ]);
    const audited = await portal.portal.dataSource.query<{ action: string; actor: string }[]>(`SELECT action, actor_name AS actor FROM audit_entry WHERE entity_id = $1 AND action LIKE 'billing.%' ORDER BY seq`, [alice.id]);
    expect(audited.map((a) => `${a.action} ${a.actor}`)).toEqual([
      'billing.adjustment-requested carla', 'billing.adjustment-applied carla',
      'billing.adjustment-requested maria', 'billing.adjustment-approved marc', 'billing.adjustment-applied marc',
    ]);
    // The table holds the rule too: nobody approves their own request.
    await expect(portal.portal.dataSource.query(`UPDATE manual_adjustment SET approved_by = requested_by WHERE id = $1`, [large.body.id])).rejects.toMatchObject({ code: '23514' });
    // Two managers deciding the same request at once: one decision stands, the adjustment applies and posts once.
    const contested = await ask('carla', -6_000);
    const both = await Promise.all(['maria', 'marc'].map((who) => portal.call(who, 'POST', `/billing/adjustments/${contested.body.id}/decision`, { json: { decision: 'approve' } })));
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await entries(`e.idempotency_key = $1`, [`adjustment:${contested.body.id}`])).toEqual([{ kind: 'invoice-adjusted', cents: 6_000 }]);
    expect(await open()).toBe(invoice!.totalCents - 15_500);
    // Below what is open is refused, naming the field.
    const tooMuch = await ask('marc', -(invoice!.totalCents));
    expect([tooMuch.status, tooMuch.body.errors[0].name]).toEqual([422, 'cents']);
  });

  test('adjustments: small ones split from a large one still reach a manager, also when sent at once', async () => {
    const [invoice] = await bill('POL-100003', 1);
    const chloe = policies['POL-100003']!;
    const ask = (who: string, cents: number) => portal.call(who, 'POST', '/billing/adjustments', { json: { policyId: chloe.id, invoiceId: invoice!.id, cents, reason: 'Goodwill in parts' }, headers: { 'idempotency-key': randomUUID() } });
    // Threshold 5 000 cents: two of 3 000 at once, one applies and the other waits, whichever came first.
    const pair = await Promise.all([ask('carla', -3_000), ask('carla', -3_000)]);
    expect(pair.map((a) => a.status)).toEqual([201, 201]);
    expect(pair.map((a) => a.body.status).sort()).toEqual(['applied', 'pending']);
    // 3 000 + 2 000 is the threshold itself: still one person's word; one cent more is not.
    expect((await ask('carla', 2_000)).body).toMatchObject({ status: 'applied', needsApproval: false });
    expect((await ask('carla', -1)).body).toMatchObject({ status: 'pending', needsApproval: true });
    // The sum is the requester's: another person's own window is still empty.
    expect((await ask('maria', -3_000)).body).toMatchObject({ status: 'applied', needsApproval: false });
    const [{ open }] = await portal.portal.dataSource.query(`SELECT amount_open_cents::int AS open FROM invoice WHERE id = $1`, [invoice!.id]);
    expect(open).toBe(invoice!.totalCents - 3_000 + 2_000 - 3_000);
  });

  test("a customer's billing, the arrears list, the invoice PDF for staff and for its client only", async () => {
    const alice = policies['POL-100001']!;
    // The invoice the adjustments above lowered by 155.00.
    const [invoice] = await portal.portal.dataSource.query(`SELECT id, number, total_cents::int AS total FROM invoice WHERE policy_id = $1 AND adjusted_cents <> 0`, [alice.id]);
    const open = invoice.total - 15_500;
    const view = await portal.call('maria', 'GET', `/billing/customers/${alice.customerId}`);
    expect(view.status).toBe(200);
    const policy = view.body.policies.find((p: any) => p.id === alice.id);
    expect(policy.invoices).toEqual(expect.arrayContaining([expect.objectContaining({ id: invoice.id, status: 'open', amountOpenCents: open })]));
    const overdue = policy.invoices.filter((i: any) => i.status === 'open' && i.dueOn < today);
    expect(overdue.map((i: any) => i.id)).toContain(invoice.id);
    const owed = overdue.reduce((sum: number, i: any) => sum + i.amountOpenCents, 0);
    expect(policy.arrears).toEqual({ cents: owed, oldestDueOn: overdue.map((i: any) => i.dueOn).sort()[0] });
    const allOpen = policy.invoices.reduce((sum: number, i: any) => sum + i.amountOpenCents, 0);
    expect(view.body.ledger).toEqual({ receivableCents: allOpen, refundsPayableCents: 0 });
    expect(view.body.adjustments).toHaveLength(3);
    const arrears = await portal.call('carla', 'GET', '/billing/arrears');
    expect(arrears.body).toEqual(expect.arrayContaining([expect.objectContaining({ policyNumber: 'POL-100001', cents: owed, invoices: overdue.length })]));

    const staffPdf = await fetch(`${portal.baseUrl}/api/billing/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${await portal.token('carla')}` } });
    expect(staffPdf.headers.get('content-type')).toBe('application/pdf');
    const clientPdf = await fetch(`${portal.baseUrl}/api/me/invoices/${invoice.id}/pdf`, { headers: { authorization: `Bearer ${await portal.token('alice')}` } });
    expect(clientPdf.status).toBe(200);
    const file = path.join(folder, `${invoice.number}.pdf`);
    await writeFile(file, Buffer.from(await clientPdf.arrayBuffer()));
    const text = (await pdfText(file)).replace(/\s+/g, ' ');
    expect(text).toContain(`Invoice ${invoice.number}`);
    expect(text).toContain('Adjusted since issue -€155.00');
    expect(text).toContain(`To pay ${formatCents(open, 'EUR')}`);
    expect(text).toContain(`quoting ${invoice.number}`);
    // Paid into the insurer's account, never one of the clients' own.
    expect(text).toContain(`IBAN ${INSURER_DEMO_PAYEE.iban}`);
    const clientIbans = (await portal.portal.dataSource.query<{ iban: string }[]>(`SELECT iban FROM customer WHERE iban IS NOT NULL`)).map((c) => c.iban);
    expect(clientIbans.length).toBeGreaterThan(0);
    for (const iban of clientIbans) expect(text).not.toContain(iban);
    expect((await portal.call('bruno', 'GET', `/me/invoices/${invoice.id}/pdf`)).status).toBe(404);
  });

  test('the reconciliation of today agrees, and a bad day is refused naming the field', async () => {
    const report = await portal.call('marc', 'GET', `/billing/reconciliation?day=${today}`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ day: today, ok: true, unbalancedEntries: [] });
    expect(report.body.checks.find((c: any) => c.check === 'cash-out').ledgerCents).toBeGreaterThan(0);
    // A later change to a paid payout (its row's updated_at moves on) leaves it on the day it was paid.
    await portal.portal.dataSource.query(`UPDATE payout SET updated_at = now() + interval '2 days' WHERE status = 'paid'`);
    const later = await portal.call('marc', 'GET', `/billing/reconciliation?day=${today}`);
    expect(later.body.checks.map((c: any) => [c.check, c.differenceCents])).toEqual([['receivable', 0], ['cash-in', 0], ['cash-out', 0], ['refunds-payable', 0], ['write-offs', 0]]);
    expect(later.body.checks.find((c: any) => c.check === 'refunds-payable').ledgerCents).toBeGreaterThan(0);
    const tomorrow = await portal.call('marc', 'GET', `/billing/reconciliation?day=${addDays(today, 1)}`);
    expect([tomorrow.status, tomorrow.body.errors[0].name]).toEqual([422, 'day']);
    // Yesterday is over: reconciled and stored (nothing moved then).
    const yesterday = await portal.call('marc', 'GET', `/billing/reconciliation?day=${addDays(today, -1)}`);
    expect(yesterday.body.ok).toBe(true);
    // Stored: exactly the finished days of the catch-up week (the sweep at start), never today.
    const week = Array.from({ length: 7 }, (_, back) => addDays(today, back - 7));
    const storedDays = async () => (await portal.portal.dataSource.query<{ day: string }[]>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM billing_reconciliation ORDER BY day`)).map((r) => r.day);
    expect(await eventually(async () => ((await storedDays()).length === week.length ? storedDays() : undefined))).toEqual(week);

    // The gauges: Bruno's refund is owed and not sent; no stored day disagrees until one does.
    const metric = async (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(await (await fetch(`${portal.baseUrl}/metrics`)).text())?.[1]);
    expect(await metric('portal_premium_refunds_pending')).toBe(1);
    expect(await metric('portal_billing_reconciliation_days_with_differences')).toBe(0);
    await portal.portal.dataSource.query(`UPDATE billing_reconciliation SET ok = false WHERE day = $1`, [addDays(today, -1)]);
    expect(await metric('portal_billing_reconciliation_days_with_differences')).toBe(1);
  });
});
