import { type Browser } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { BillingService } from '@claims/portal-api/src/billing/billing.service';
import { createBillingSchedule } from '@claims/portal-api/src/billing/billing-schedules';
import { type PaymentFrequency } from '@claims/portal-api/src/products/premium-arithmetic';
import { PortalFixture } from '@claims/portal-api/src/testing/portal-fixture';

// The call center asks, on a phone and by keyboard, for a goodwill reduction
// of a client's open invoice above the approval threshold (€50); it waits in
// the approvals queue, where a manager approves it, and the invoice is lowered.

let portal: PortalFixture;
let browser: Browser;

beforeAll(async () => {
  portal = await PortalFixture.start('billing-staff-e2e', { web: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

it('an adjustment above the threshold waits for a manager, who approves it from the queue', async () => {
  // Alice's policy billed for its next period (the demo's own run may have billed earlier ones): her oldest open invoice.
  const [policy] = await portal.portal.dataSource.query<{ id: string; starts_on: string; payment_frequency: PaymentFrequency; currency: string }[]>(`SELECT id, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, payment_frequency, currency FROM policy WHERE number = 'POL-100001'`);
  const scheduleId = await portal.portal.dataSource.transaction((manager) => createBillingSchedule(manager, { policyId: policy!.id, frequency: policy!.payment_frequency, startsOn: policy!.starts_on, periodPremiumCents: 31_000, currency: policy!.currency }));
  const [schedule] = await portal.portal.dataSource.query<{ next: string }[]>(`SELECT to_char(next_period_start, 'YYYY-MM-DD') AS next FROM billing_schedule WHERE id = $1`, [scheduleId]);
  await portal.portal.app.get(BillingService, { strict: false }).issueInvoiceFor(scheduleId, schedule!.next);
  const [invoice] = await portal.portal.dataSource.query<{ id: string; number: string; open: number }[]>(
    `SELECT i.id, i.number, i.amount_open_cents::int AS open FROM invoice i JOIN policy p ON p.id = i.policy_id WHERE p.number = 'POL-100001' AND i.status = 'open' ORDER BY i.period_from LIMIT 1`,
  );
  expect(invoice).toBeDefined();
  // Its collection case (as the workers would drive it): the direct debit came back unpaid, a soft decline.
  expect((await portal.call('worker', 'POST', `/internal/invoices/${invoice!.id}/collection-plan`, { json: { processInstanceKey: '42' } })).body.planned).toBe(true);
  const opening = (await portal.call('worker', 'POST', `/internal/invoices/${invoice!.id}/collection-attempts`, { json: { attempt: 1 } })).body;
  expect((await portal.call('worker', 'POST', `/internal/collection-attempts/${opening.request.attemptId}/outcome`, { json: { status: 'declined', kind: 'soft', code: 'AM04', reason: 'Your account did not have enough money.' } })).status).toBe(200);

  const agent = await (await personContext(browser, 'phone')).newPage();
  await agent.goto(`${portal.baseUrl}/staff/search?q=alice`);
  await signIn(agent, 'carla');
  await agent.getByRole('table', { name: 'Customers found' }).getByRole('link', { name: 'billing of Alice Martin' }).click();
  await agent.getByRole('heading', { name: /^Billing of Alice/ }).waitFor();
  await agent.getByRole('table', { name: 'Invoices of POL-100001' }).getByText(invoice!.number, { exact: true }).waitFor();
  // What the caller asks about: how the policy pays, and why the last charge failed.
  await agent.getByTestId('payment-method-POL-100001').getByText(/^Pays by direct debit from FR76 •••• 0189, mandate MND-POL-100001-/).waitFor();
  const collection = agent.getByRole('table', { name: 'Collections of POL-100001' }).getByRole('row').filter({ hasText: invoice!.number });
  await collection.getByText('Payment failed').waitFor();
  await collection.getByText(/attempt 1, €[\d,.]+, declined \(soft decline AM04: Your account did not have enough money\.\)/).waitFor();
  await agent.getByRole('combobox', { name: /^Which invoice/ }).selectOption(invoice!.id);
  await agent.getByLabel('Amount (EUR)').fill('80');
  await agent.getByLabel('Why (for the file and the approver)').fill('Goodwill: reimbursement delayed');
  await agent.getByLabel('Why (for the file and the approver)').press('Enter');
  await agent.getByRole('status').getByText("− €80.00 waits for a manager's approval").waitFor();
  await expectAccessible(agent, 'customer billing');
  await screenshot(agent, 'tasklist-customer-billing-phone');
  expect((await portal.portal.dataSource.query(`SELECT amount_open_cents::int AS open FROM invoice WHERE id = $1`, [invoice!.id]))[0].open).toBe(invoice!.open);

  const manager = await (await personContext(browser)).newPage();
  await manager.goto(`${portal.baseUrl}/staff/billing`);
  await signIn(manager, 'maria');
  const queue = manager.getByRole('table', { name: 'Adjustments waiting for approval' });
  await queue.getByRole('row', { name: /Goodwill: reimbursement delayed/ }).waitFor();
  await expectAccessible(manager, 'billing overview');
  await queue.getByRole('button', { name: /^Approve − €80.00 for Alice/ }).click();
  await manager.getByRole('status').getByText(/approved/).waitFor();
  await manager.getByText('No adjustment is waiting.').waitFor();
  await manager.getByTestId('reconciliation-verdict').getByText('The ledger agrees with the records.').waitFor();
  await screenshot(manager, 'tasklist-billing');
  expect((await portal.portal.dataSource.query(`SELECT amount_open_cents::int AS open FROM invoice WHERE id = $1`, [invoice!.id]))[0].open).toBe(invoice!.open - 8_000);
});
