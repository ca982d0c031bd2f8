import { type Browser } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { PortalFixture } from '@claims/portal-api/src/testing/portal-fixture';

// An operations user finds a client from a misspelt name, by keyboard alone,
// opens her claims from the result, narrows them by status and pages through
// none of it with the mouse; a call-center agent on a phone finds a client
// from the phone number she reads out. No process runs here: the claims'
// statuses are set as the workers would have left them.

let portal: PortalFixture;
let browser: Browser;
const references: Record<string, string> = {};

beforeAll(async () => {
  portal = await PortalFixture.start('search-e2e', { web: true });
  browser = await launchChromium();
  const file = async (who: string, amount: number, status: string, route: string | null) => {
    const policies = (await portal.call(who, 'GET', '/me/policies')).body.items as { id: string; status: string }[];
    const claim = (await portal.call(who, 'POST', '/claims', { json: { policyId: policies.find((p) => p.status === 'active')!.id, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount }] } })).body as { id: string; reference: string };
    await portal.portal.dataSource.query('UPDATE claim SET status = $2, route = $3 WHERE id = $1', [claim.id, status, route]);
    return claim.reference;
  };
  references.alicePaid = await file('alice', 40, 'paid', 'straight-through');
  references.aliceReview = await file('alice', 420, 'in-review', 'review');
  references.bruno = await file('bruno', 75, 'investigating', 'investigation');
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

it('an operations user finds a client through a typo and her claims by status, by keyboard', async () => {
  const page = await (await personContext(browser)).newPage();
  await page.goto(`${portal.baseUrl}/staff/`);
  await signIn(page, 'oscar');
  // The menu has the search; reached by Tab and Enter like any link.
  const menuLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' });
  await menuLink.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/staff/search');
  // All claims show before anything is typed, newest first.
  await page.getByRole('table', { name: 'Claims found' }).waitFor();
  expect(await page.getByRole('table', { name: 'Claims found' }).locator('tbody tr').count()).toBe(3);

  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('/');
  expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('customer-q');
  await page.keyboard.type('alice martn');
  await page.keyboard.press('Enter');
  const customers = page.getByRole('table', { name: 'Customers found' });
  await customers.getByText('Alice Martin', { exact: true }).waitFor();
  expect(await customers.locator('tbody tr').first().innerText()).toContain('CUS-000001');

  // Her claims, from the result row's button.
  await customers.getByRole('button', { name: '2 claims' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('Claims of one customer.').waitFor();
  const claims = page.getByRole('table', { name: 'Claims found' });
  await claims.getByText(references.alicePaid!).waitFor();
  expect((await claims.locator('tbody tr td:first-child').allInnerTexts()).sort()).toEqual([references.alicePaid, references.aliceReview].sort());

  // Narrowed by status from the filters, still by keyboard.
  await page.getByLabel('Status').focus();
  await page.getByLabel('Status').selectOption('in-review');
  await page.getByLabel('Amount from').focus();
  await page.keyboard.type('100');
  await page.keyboard.press('Enter');
  await page.waitForURL(/status=in-review/);
  await claims.locator('tbody tr').first().waitFor();
  expect(await claims.locator('tbody tr td:first-child').allInnerTexts()).toEqual([references.aliceReview]);
  expect(await claims.locator('tbody tr').first().innerText()).toMatch(/Review/);
  await page.getByRole('heading', { name: 'Claims (1)' }).waitFor();
  await expectAccessible(page, 'staff search');
  await screenshot(page, 'tasklist-search');

  // The result leads to the claim's tasks.
  await claims.getByRole('link', { name: references.aliceReview! }).click();
  await page.waitForURL(/\/staff\/\?.*claimReference=/);
  // Back returns to the same search, filters and all.
  await page.goBack();
  await page.waitForURL(/\/staff\/search\?.*status=in-review/);
  expect(await page.getByLabel('Amount from').inputValue()).toBe('100');
});

it('a call-center agent on a phone finds a client by the number she reads out', async () => {
  const page = await (await personContext(browser, 'phone')).newPage();
  await page.goto(`${portal.baseUrl}/staff/search`);
  await signIn(page, 'carla');
  await page.getByLabel(/^Customer:/).fill('06 12 34 56 02');
  await page.getByRole('button', { name: 'Find customers' }).tap();
  const customers = page.getByRole('table', { name: 'Customers found' });
  await customers.getByText('Bruno Keller', { exact: true }).waitFor();
  expect(await customers.locator('tbody tr').count()).toBe(1);
  // A phone screen: rows are cards with their column names, nothing runs off the side.
  expect(await customers.locator('td[data-label="Phone"]').innerText()).toContain('+33612345602');
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  const box = await page.getByRole('button', { name: 'Find customers' }).boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await expectAccessible(page, 'staff search on a phone');
  await screenshot(page, 'tasklist-search-phone');
});
