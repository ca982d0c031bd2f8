import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { EmbeddedCollectionProvider } from '@claims/workers/src/payments/embedded-collection-provider';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';
import { alicePolicyLikeHers, billInvoiceDueOn, collectionStarted, dayFromToday } from '@claims/workers/src/testing/premium-collection-cases';

// A client's premium payment fails (her card has expired); on the extranet,
// on a phone, her invoice says what failed, what to do and by which date,
// and what happens next if she does nothing; she gives a direct-debit
// mandate, pays now, and the invoice is paid with one charge while her
// policy stays active. Every screen passes axe-core (WCAG 2.1 AA).

let life: LifecycleFixture;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const provider = new EmbeddedCollectionProvider();

beforeAll(async () => {
  life = await LifecycleFixture.start('collections-web', { web: true });
  await life.startWorkers({}, { collections: provider });
  browser = await launchChromium();
  context = await personContext(browser, 'phone');
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await life?.stop();
});

it('a failed payment tells the client what to do; she changes the payment method, pays now, and her policy stays active', async () => {
  const policyId = await alicePolicyLikeHers(life, 'POL-E00001');
  expect((await life.portal.call('alice', 'PUT', `/me/payment-methods/${policyId}`, { json: { kind: 'card', cardToken: 'tok_chargeDeclinedExpiredCard', cardLast4: '0069' } })).status).toBe(200);
  const invoice = await billInvoiceDueOn(life, policyId, dayFromToday(0));
  await collectionStarted(life, invoice.id);
  await life.mailTo('alice@example.com', `Invoice ${invoice.number}: your payment of`);

  await page.goto(`${life.portal.baseUrl}/`);
  await signIn(page, 'alice');
  await page.getByRole('heading', { name: 'My policies' }).waitFor();
  // On a phone the menu links are in the header's navigation.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My invoices' }).click();
  await page.getByRole('heading', { name: 'My invoices' }).waitFor();
  await expectAccessible(page, 'my invoices');
  await page.getByRole('link', { name: invoice.number }).click();
  await page.getByRole('heading', { name: `Invoice ${invoice.number}` }).waitFor();
  await expect(page.getByTestId('collection-state').textContent()).resolves.toBe('Payment failed');
  const todo = page.getByTestId('what-to-do');
  await expect(todo.textContent()).resolves.toContain('Your card has expired.');
  const graceEnds = new Date(`${dayFromToday(21)}T00:00:00`).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
  await expect(todo.textContent()).resolves.toContain(`by ${graceEnds} to keep your cover`);
  const ifFails = await page.getByTestId('if-payment-fails').textContent();
  expect(ifFails).toContain(`Pay by ${graceEnds} and nothing changes for your cover.`);
  expect(ifFails).toContain(`remind you once more on ${new Date(`${dayFromToday(18)}T00:00:00`).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' })}`);
  expect(ifFails).toContain(`your policy lapses on ${new Date(`${dayFromToday(22)}T00:00:00`).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' })}`);
  await expectAccessible(page, 'a failed invoice');
  await screenshot(page, 'collection-failed-phone');

  // A wrong IBAN is named; the right one is taken (keyboard only: the button is reached with Tab).
  await page.getByRole('button', { name: 'Change payment method' }).click();
  await page.getByLabel('Account holder').fill('Alice Martin');
  await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 01');
  await page.getByRole('button', { name: 'Save and use this account' }).click();
  await expect(page.locator('#method-iban-error').textContent()).resolves.toBe('IBAN fails its checksum (a character is mistyped)');
  await expect(page.getByLabel('IBAN').getAttribute('aria-invalid')).resolves.toBe('true');
  await expectAccessible(page, 'a refused IBAN');
  await page.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await page.getByLabel('IBAN').press('Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'From now on we collect with: Direct debit from DE89 •••• 3000' }).waitFor();
  await expect(page.getByTestId('payment-method').textContent()).resolves.toContain('DE89 •••• 3000');

  await page.getByRole('button', { name: /^Pay now/ }).click();
  await page.getByRole('status').filter({ hasText: 'Thank you' }).waitFor({ timeout: 60_000 });
  await expect(page.getByTestId('collection-state').textContent()).resolves.toBe('Paid');
  await expect(page.getByTestId('amount-open').textContent()).resolves.toBe('to pay €0.00');
  await expectAccessible(page, 'a paid invoice');
  await screenshot(page, 'collection-paid-phone');

  // The money: paid once, by the debit; the declined card and the debit are the only charges.
  const [row] = await life.portal.portal.dataSource.query<{ status: string; paid: number }[]>(`SELECT status, amount_paid_cents::float8 AS paid FROM invoice WHERE id = $1`, [invoice.id]);
  expect(row).toEqual({ status: 'paid', paid: invoice.totalCents });
  expect(provider.charges().filter((c) => c.idempotencyKey.startsWith(`invoice:${invoice.id}:`)).map((c) => [c.method, c.outcome.status])).toEqual([['card', 'declined'], ['sepa-direct-debit', 'collected']]);
  // The policy never lapsed.
  const contract = await eventually(async () => (await life.portal.call('alice', 'GET', `/me/policies/${policyId}/contract`)).body as { policy: { statusToday: string }; statusHistory: { status: string }[] });
  expect(contract.policy.statusToday).toBe('active');
  expect(contract.statusHistory.map((p) => p.status)).not.toContain('lapsed');
}, 180_000);
