import { type Browser } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { PortalFixture } from '@claims/portal-api/src/testing/portal-fixture';

// A call-center agent finds a client, opens her policy's contract from the
// search and changes its deductible from tomorrow (re-priced by the deployed
// pricing table); the client then reads her policy on the extranet, the
// change among its terms, and declines the renewal offer. No renewal process
// runs here: the offer is made through the workers' endpoint, as its step would.

let portal: PortalFixture;
let browser: Browser;
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  portal = await PortalFixture.start('contract-e2e', { web: true });
  await portal.deployPricing();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

it('the call center changes a deductible from the contract view; the client reads it and declines the renewal', async () => {
  const staff = await (await personContext(browser)).newPage();
  await staff.goto(`${portal.baseUrl}/staff/search?q=alice`);
  await signIn(staff, 'carla');
  await staff.getByRole('table', { name: 'Customers found' }).getByRole('link', { name: 'POL-100001' }).click();
  await staff.getByRole('heading', { name: /Policy POL-100001/ }).waitFor();
  await staff.getByLabel('Effective from').fill(tomorrow);
  await staff.getByLabel('New yearly deductible (€)').fill('250');
  await staff.getByRole('button', { name: 'Re-price and record the change' }).click();
  const change = staff.getByRole('row', { name: /Deductible changed from €100.00 to €250.00/ });
  await change.waitFor();
  expect(await change.textContent()).toMatch(/€[\d,.]+/);
  await expectAccessible(staff, 'the contract view');
  await screenshot(staff, 'tasklist-contract');

  const [policy] = await portal.portal.dataSource.query<{ id: string; ends_on: string }[]>(`SELECT id, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM policy WHERE number = 'POL-100001'`);
  expect((await portal.call('worker', 'POST', `/internal/policies/${policy!.id}/renewal-offer`, { json: { termEndsOn: policy!.ends_on } })).body.offered).toBe(true);

  const client = await (await personContext(browser, 'phone')).newPage();
  await client.goto(`${portal.baseUrl}/`);
  await signIn(client, 'alice');
  await client.getByRole('link', { name: 'Contract, people covered and renewal' }).first().click();
  await client.getByTestId('policy-state').getByText('In force').waitFor();
  await client.getByRole('row', { name: /Deductible changed from €100.00 to €250.00/ }).waitFor();
  await expectAccessible(client, 'the policy page');
  client.once('dialog', (dialog) => void dialog.accept());
  await client.getByRole('button', { name: 'Decline the renewal' }).click();
  await client.getByText('You declined the renewal').waitFor();
  expect((await portal.call('alice', 'GET', `/me/policies/${policy!.id}/contract`)).body.renewal.status).toBe('declined');
  await screenshot(client, 'portal-policy-phone');
});
