import { type Browser, type ConsoleMessage, type Page, type Request } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// Staff work with short-lived access tokens (12 s here, IDENTITY_ACCESS_TOKEN_TTL): the
// session renews itself with the refresh token, so a call-center agent fixing a
// client's bank details after a bounced payout keeps what they typed, even when the
// portal refuses a call once with a 401. Every main page loads with a clean console:
// no errors, no failed requests, the modeler's icon font loaded, no stray "Loading…".

const TOKEN_SECONDS = 12;
let life: LifecycleFixture;
let browser: Browser;
let claimId: string;
let reference: string;
let fixTaskKey: string;
const previousTtl = process.env.IDENTITY_ACCESS_TOKEN_TTL;

beforeAll(async () => {
  process.env.IDENTITY_ACCESS_TOKEN_TTL = String(TOKEN_SECONDS);
  life = await LifecycleFixture.start('staff-session', { web: true });
  await life.startWorkers();
  browser = await launchChromium();
  // The bank refuses chloe's account, so the claim waits in "Fix payment details" for the call center.
  const customerId = (await life.portal.call('chloe', 'GET', '/me')).body.customer.id as string;
  await life.portal.portal.dataSource.query("UPDATE customer SET iban = 'NL00ABNA0000000000' WHERE id = $1", [customerId]);
  ({ claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 150 }]));
  await life.claimWhen(claimId, (c) => c.status === 'payment-failed', 60_000);
  fixTaskKey = (await life.openTask(claimId, 'fix-payment-details', 'carla', 60_000)).userTaskKey as string;
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
  if (previousTtl === undefined) delete process.env.IDENTITY_ACCESS_TOKEN_TTL;
  else process.env.IDENTITY_ACCESS_TOKEN_TTL = previousTtl;
});

/** Everything a page reports as going wrong: console errors, uncaught errors, failed or refused requests. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url || page.url()})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request: Request) => {
    // A live stream closed by leaving the page is not a failure.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

/** The page has no leftover "Loading…" placeholder and names an icon that loads. */
async function expectCleanShell(page: Page): Promise<void> {
  expect(await page.locator('#app > p.loading').count()).toBe(0);
  expect(await page.getByText('Loading…', { exact: true }).count()).toBe(0);
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toBeTruthy();
  const answer = await page.request.get(new URL(icon!, page.url()).href);
  expect(answer.status()).toBe(200);
  expect(answer.headers()['content-type']).toContain('image/svg+xml');
}

it('loads the extranet overview, the task list, a task and the modeler with no errors in the console', async () => {
  const base = life.portal.baseUrl;

  const client = await (await personContext(browser, 'phone')).newPage();
  const clientProblems = watchProblems(client);
  await client.goto(`${base}/`);
  await signIn(client, 'chloe');
  await client.getByRole('heading', { name: 'My policies' }).waitFor();
  await client.getByText('Your policy can still pay this policy year').first().waitFor();
  await client.getByRole('heading', { name: /claims/i }).first().waitFor();
  await expectCleanShell(client);

  const agent = await (await personContext(browser, 'phone')).newPage();
  const agentProblems = watchProblems(agent);
  await agent.goto(`${base}/staff/`);
  await signIn(agent, 'carla');
  await agent.getByRole('row').filter({ hasText: reference }).waitFor();
  await expectCleanShell(agent);
  await agent.getByRole('row').filter({ hasText: reference }).getByRole('link').click();
  await agent.locator('#claim-title', { hasText: reference }).waitFor();
  await agent.locator('.diagram .djs-element.current').first().waitFor();
  await agent.getByTestId('payment-details-current').filter({ hasText: 'ending in 0000' }).waitFor();
  await expectCleanShell(agent);
  await screenshot(agent, 'tasklist-fix-payment-details-phone');
  // The fix payment details task page passes axe-core at both sizes.
  for (const size of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await agent.setViewportSize(size);
    await expectAccessible(agent, `the fix payment details task at ${size.width} px`);
    await screenshot(agent, `tasklist-fix-payment-details-${size.width}`);
  }
  // On a phone, the bank details fields fit the screen.
  for (const label of ['Account holder', 'New IBAN']) {
    const box = await agent.getByLabel(label).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  }

  const analyst = await (await personContext(browser)).newPage();
  const analystProblems = watchProblems(analyst);
  await analyst.goto(`${base}/staff/modeler`);
  await signIn(analyst, 'anna');
  await analyst.locator('.djs-palette .entry').first().waitFor();
  await analyst.locator('.djs-container .djs-element').first().waitFor();
  // The palette's icons are a font embedded as a data: URL: it must load, not be refused.
  const iconFont = await analyst.evaluate<string[]>(`document.fonts.ready.then(() => [...document.fonts].filter((font) => font.family.replace(/["']/g, '') === 'bpmn').map((font) => font.status))`);
  expect(iconFont).toContain('loaded');
  expect(iconFont).not.toContain('error');
  await expectCleanShell(analyst);

  expect({ client: clientProblems, agent: agentProblems, analyst: analystProblems }).toEqual({ client: [], agent: [], analyst: [] });
});

it('keeps what a staff member typed while their token expires, renewing silently, and completes the task', async () => {
  const base = life.portal.baseUrl;
  const agent = await (await personContext(browser)).newPage();
  let renewals = 0;
  let twoRenewals: () => void = () => undefined;
  const renewedTwice = new Promise<void>((resolve) => (twoRenewals = resolve));
  agent.on('requestfinished', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/protocol/openid-connect/token') && (request.postData() ?? '').includes('grant_type=refresh_token') && ++renewals >= 2) twoRenewals();
  });
  await agent.goto(`${base}/staff/tasks/${fixTaskKey}`);
  await signIn(agent, 'carla');
  await agent.locator('#claim-title', { hasText: reference }).waitFor();
  await agent.getByRole('button', { name: 'Claim', exact: true }).click();
  await agent.getByTestId('assignee').filter({ hasText: 'carla' }).waitFor();
  await agent.evaluate('window.sessionMark = true');

  // The note of the call, typed first; then the bank details, by keyboard only.
  const note = 'Called Chloé: she read out her new IBAN, ending 4300.';
  await agent.getByLabel('Note of the call').fill(note);
  await agent.getByLabel('The client\'s bank details are corrected').check();
  await agent.getByLabel('Account holder').focus();
  await agent.keyboard.press('Control+A');
  await agent.keyboard.type('Chloé Dubois');
  await agent.keyboard.press('Tab');
  await agent.keyboard.type('NL91 ABNA 0417 1643 01');
  await agent.keyboard.press('Enter');
  await agent.getByText('IBAN fails its checksum (a character is mistyped)').waitFor();
  await agent.getByLabel('New IBAN').fill('NL91 ABNA 0417 1643 00');
  await agent.keyboard.press('Enter');
  await agent.getByRole('status').filter({ hasText: 'Bank details changed: reimbursements now go to the account ending in 4300. The client was emailed about the change.' }).waitFor();
  const told = await life.mailTo('chloe@example.com', 'Your bank details were changed');
  expect(told.Text).toContain('ending in 4300');
  expect(told.Text).not.toContain('0417');

  // Two silent renewals: the token the page started with has certainly expired.
  await Promise.race([renewedTwice, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${renewals} silent renewals`)), (TOKEN_SECONDS * 3 + 10) * 1000).unref())]);
  expect(await agent.getByLabel('Note of the call').inputValue()).toBe(note);

  // The portal refuses the completion once (a token revoked between two renewals): the app renews and retries.
  let refused = 0;
  await agent.route('**/api/tasks/*/completion', async (route) => {
    if (refused++ === 0) await route.fulfill({ status: 401, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'The access token has expired.' }) });
    else await route.continue();
  });
  await agent.getByRole('button', { name: 'Complete task' }).click();
  await agent.getByRole('heading', { name: /completed/ }).waitFor();
  expect(refused).toBe(2);
  expect(await agent.evaluate('window.sessionMark === true')).toBe(true);
  expect(agent.url()).toBe(`${base}/staff/tasks/${fixTaskKey}`);

  // What was typed reached the process, and the payout went through to the new account.
  const claim = await life.claimWhen(claimId, (c) => c.status === 'paid', 60_000);
  const variables = await life.portal.engine.http('POST', '/v2/variables/search', { filter: { processInstanceKey: String(claim.processInstanceKey ?? (await processOf(claimId))), name: 'contactNote' } });
  expect((variables.body as { items: { value: string }[] }).items.map((v) => JSON.parse(v.value) as string)).toEqual([note]);
});

async function processOf(id: string): Promise<string> {
  const [row] = await life.portal.portal.dataSource.query<{ key: string }[]>('SELECT process_instance_key AS key FROM claim WHERE id = $1', [id]);
  return row!.key;
}
