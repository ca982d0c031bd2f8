import { type Browser } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { PortalFixture } from '@claims/portal-api/src/testing/portal-fixture';

// A call-center agent, by keyboard, finds a client from a misspelt name,
// opens her page from the search result, logs the call with a follow-up for
// herself, and files a claim for her; the client then sees that claim on the
// extranet. On a phone, the page fits the screen. No process runs here: the
// claim stays as its submission leaves it.

let portal: PortalFixture;
let browser: Browser;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  portal = await PortalFixture.start('customer-360-e2e', { web: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

it('an agent finds a client through a typo, opens her page, logs the call and files a claim for her', async () => {
  const page = await (await personContext(browser)).newPage();
  await page.goto(`${portal.baseUrl}/staff/search`);
  await signIn(page, 'carla');
  await page.getByLabel(/^Customer:/).fill('alice martn');
  await page.keyboard.press('Enter');
  const result = page.getByRole('table', { name: 'Customers found' }).getByRole('link', { name: 'Alice Martin', exact: true });
  await result.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /Alice Martin/, level: 1 }).waitFor();
  expect(new URL(page.url()).pathname).toMatch(/^\/staff\/customers\/[0-9a-f-]{36}$/);
  await page.getByRole('table', { name: 'Policies' }).getByText('POL-100001').waitFor();

  // The call, by keyboard: summary, outcome, a note for staff and a follow-up for tomorrow.
  await page.getByLabel('Summary').focus();
  await page.keyboard.type('Asked how to claim for her physiotherapy');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Explained, filing it now');
  await page.getByLabel('Notes (staff only, never shown to the customer)').fill('Prefers calls after 5 pm');
  await page.getByLabel('Due').fill(`${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T10:00`);
  await page.getByRole('button', { name: 'Log the call' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('status').getByText('Call logged, follow-up scheduled.').waitFor();
  const timeline = page.getByRole('list', { name: 'Timeline, newest first' });
  await timeline.getByText('Call from the customer: Asked how to claim for her physiotherapy').waitFor();
  await page.getByRole('region', { name: 'Follow-ups' }).getByText(/Open · due .* · carla/).waitFor();

  // The claim, filed for her during the call.
  const form = page.getByRole('form', { name: 'File a claim for the client' });
  await form.getByLabel('Date of care').fill(today);
  await form.getByLabel('Kind of care').selectOption('PHYSIO');
  await form.getByLabel('Provider').fill('Physio Centre');
  await form.getByLabel(/Amount paid/).fill('45.50');
  await form.getByLabel('What the call was about').fill('Physiotherapy session');
  await form.getByRole('button', { name: 'File the claim' }).click();
  const filed = form.getByRole('status');
  await filed.waitFor();
  const reference = /Claim (CLM-\d{4}-\d{6}) filed/.exec(await filed.innerText())?.[1];
  expect(reference).toBeDefined();
  const claims = page.getByRole('table', { name: 'Claims of the customer' });
  await claims.getByRole('row', { name: new RegExp(`${reference}.*phone \\(carla\\)`) }).waitFor();
  await timeline.getByText('Call from the customer: Physiotherapy session').waitFor();
  await expectAccessible(page, 'the customer 360');
  await screenshot(page, 'tasklist-customer-360');

  // In the database: the claim by phone with its agent, the call linked to it, the staff note kept apart.
  const [claim] = await portal.portal.dataSource.query<{ id: string; intake_channel: string; filed_by_agent: string; status: string }[]>('SELECT id, intake_channel, filed_by_agent, status FROM claim WHERE reference = $1', [reference]);
  expect(claim).toMatchObject({ intake_channel: 'phone', filed_by_agent: 'carla', status: 'received' });
  // The client sees the claim on the extranet, and nothing of the staff note.
  const mine = await portal.call('alice', 'GET', `/claims/${claim!.id}`);
  expect(mine.status).toBe(200);
  expect(JSON.stringify(mine.body)).not.toContain('Prefers calls after 5 pm');
  const extranet = await (await personContext(browser, 'phone')).newPage();
  await extranet.goto(`${portal.baseUrl}/`);
  await signIn(extranet, 'alice');
  await extranet.getByText(reference!).first().waitFor();
});

it('the customer page fits a phone screen and is reached and used by keyboard', async () => {
  const page = await (await personContext(browser, 'phone')).newPage();
  const [customer] = await portal.portal.dataSource.query<{ id: string }[]>(`SELECT id FROM customer WHERE full_name = 'Bruno Keller'`);
  await page.goto(`${portal.baseUrl}/staff/customers/${customer!.id}`);
  await signIn(page, 'carla');
  await page.getByRole('heading', { name: /Bruno Keller/, level: 1 }).waitFor();
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  const box = await page.getByRole('button', { name: 'Log the call' }).boundingBox();
  expect(box!.height).toBeGreaterThanOrEqual(44);
  await expectAccessible(page, 'the customer 360 on a phone');
  await screenshot(page, 'tasklist-customer-360-phone');
});
