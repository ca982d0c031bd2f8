import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { PortalFixture } from '@claims/portal-api/src/testing/portal-fixture';

// A client gets a quote and compares two products on the extranet, on a
// 390 px phone and on a desktop: the price the portal gave (priced by the
// deployed bpmn/premium-pricing.dmn), what each factor did, a field the
// portal refused named under the field, and every screen passing axe-core.

let portal: PortalFixture;
let browser: Browser;
const year = new Date().getFullYear();

beforeAll(async () => {
  portal = await PortalFixture.start('quotes-web', { web: true });
  await portal.deployPricing();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Nothing on the page is wider than the window (no sideways scrolling on a phone). */
async function overflows(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1');
}

describe.each([
  { size: 'phone', client: 'alice' },
  { size: 'desktop', client: 'bruno' },
] as const)('quotes on the extranet at $size size', ({ size, client }) => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await personContext(browser, size);
    page = await context.newPage();
    await page.goto(`${portal.baseUrl}/`);
    await signIn(page, client);
    await page.getByRole('heading', { name: 'My policies' }).waitFor();
  });

  afterAll(() => context?.close());

  it('prices a family on Health Plus and shows what each factor did', async () => {
    await page.getByRole('link', { name: 'Get a quote' }).click();
    await page.getByRole('heading', { name: 'Get a quote' }).waitFor();
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Health Plus' });
    await page.getByLabel('Deductible', { exact: true }).selectOption({ label: '€250.00 a year' });
    // Someone born on 1 January is 39 or 40 all year (one age band), a child of 7 or 8 too.
    await page.getByLabel('Your date of birth').fill(`${year - 40}-01-01`);
    await page.getByRole('button', { name: 'Add a dependant' }).click();
    await page.getByLabel('Date of birth of dependant 1').fill(`${year - 8}-01-01`);
    await page.getByLabel('Where you live').selectOption('metropolitan');
    await page.getByLabel('How often you pay').selectOption('monthly');
    await expectAccessible(page, 'the quote form');
    expect(await overflows(page)).toBe(false);
    await screenshot(page, `portal-quote-form-${size}`);

    await page.getByRole('button', { name: 'Get my quote' }).click();
    await page.getByRole('heading', { name: 'Your quote' }).waitFor();
    const quoteId = new URL(page.url()).pathname.split('/').pop()!;
    const stored = await portal.call(client, 'GET', `/quotes/${quoteId}`);
    expect(stored.body).toMatchObject({ periodPremiumCents: 14_383, yearlyPremiumCents: 172_596 });
    await page.getByText('€143.83').waitFor();
    expect(await page.locator('.price-summary').innerText()).toContain('€1,725.96 a year in 12 payments');
    const rows = page.locator('table.breakdown tbody tr');
    expect(await rows.count()).toBe(6);
    expect(await rows.nth(2).innerText()).toMatch(/Region[\s\S]*Metropolitan area[\s\S]*× 1\.15[\s\S]*\+ €234\.90[\s\S]*€1,800\.90/);
    expect(await page.locator('table.breakdown tfoot').innerText()).toContain('€1,725.96');
    await expectAccessible(page, 'a quote');
    expect(await overflows(page)).toBe(false);
    await screenshot(page, `portal-quote-${size}`);
  });

  it('compares two products side by side, each with its own deductible', async () => {
    await page.getByRole('link', { name: 'Get another quote' }).click();
    // The quote just given is among the client's recent ones, and only theirs are.
    const recent = page.getByRole('region', { name: 'Your recent quotes' }).getByRole('link');
    await recent.first().waitFor();
    expect(await recent.count()).toBe(1);
    expect(await recent.first().innerText()).toContain('Health Plus');
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Health Essential' });
    await page.getByLabel('Deductible', { exact: true }).selectOption({ label: '€500.00 a year' });
    await page.getByLabel('Compare with').selectOption({ label: 'Health Premium' });
    await page.getByLabel('Deductible for Health Premium').selectOption({ label: 'No deductible' });
    await page.getByLabel('Your date of birth').fill(`${year - 31}-01-01`);
    await page.getByLabel('Where you live').selectOption('rural');
    await page.getByLabel('How often you pay').selectOption('yearly');
    await page.getByRole('button', { name: 'Compare prices' }).click();
    await page.getByRole('heading', { name: 'Side by side' }).waitFor();
    const table = page.locator('table.comparison');
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    expect(await row('In a year').innerText()).toMatch(/€447\.12[\s\S]*€1,336\.50/);
    expect(await row('Dental care').innerText()).toMatch(/Not covered[\s\S]*up to €800\.00 each, €2,500\.00 a year, after 90 days/);
    await expectAccessible(page, 'two quotes side by side');
    expect(await overflows(page)).toBe(false);
    await screenshot(page, `portal-quote-comparison-${size}`);
  });

  it('names a field the portal refused under that field', async () => {
    await page.goto(`${portal.baseUrl}/quotes/new`);
    await page.getByLabel('Your date of birth').fill(`${year - 80}-01-01`);
    const quotes = await portal.count('quote');
    await page.getByRole('button', { name: 'Get my quote' }).click();
    await page.getByText('Please check the fields marked below.').waitFor();
    const field = page.getByLabel('Your date of birth');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const message = page.locator(`#${await field.getAttribute('aria-describedby')}`);
    expect(await message.innerText()).toMatch(/takes people up to 65/);
    expect(await portal.count('quote')).toBe(quotes);
    await expectAccessible(page, 'a quote refused');
  });
});
