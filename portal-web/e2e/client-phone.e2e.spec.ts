import { randomUUID } from 'node:crypto';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// The extranet as a client uses it, on a 390 px phone and a 1440 px desktop:
// the request form fits the screen, lists the documents each kind of care
// needs and tags each file; a wrong or too-large file is refused when picked;
// a file the portal refuses later leaves the client on the draft claim, told
// what to add; the overview mentions what was started; Discard asks first;
// tables become labelled cards on a phone; a claim that is not there says so
// with a way back and stops asking. Every screen passes axe-core (WCAG 2.1 AA).

const SIZES = [
  { size: 'phone', client: 'alice', context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
  { size: 'desktop', client: 'chloe', context: { viewport: { width: 1440, height: 900 } } },
] as const;

let life: LifecycleFixture;
let browser: Browser;

beforeAll(async () => {
  // No workers: nothing here goes past the submission.
  life = await LifecycleFixture.start('client-phone', { web: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

type Upload = { name: string; mimeType: string; buffer: Buffer };

function pdf(label: string): Upload {
  return { name: `${label}.pdf`, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n% ${label} ${randomUUID()}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`) };
}

/** form-js draws its own drop-down over a hidden input: open it and pick the option. */
async function chooseInFormSelect(page: Page, label: string, option: string): Promise<void> {
  const field = page.locator('.fjs-form-field-select').filter({ has: page.locator('label', { hasText: new RegExp(`^${label}\\*?$`) }) }).first();
  await field.locator('.fjs-select-display').click();
  await field.locator('.fjs-dropdownlist-item').filter({ hasText: new RegExp(`^${option}$`) }).click();
}

async function fillCareItem(page: Page): Promise<void> {
  const today = new Date();
  await page.getByLabel('Date of care').fill(`${String(today.getMonth() + 1).padStart(2, '0')}/${String(today.getDate()).padStart(2, '0')}/${today.getFullYear()}`);
  await page.getByLabel('Date of care').press('Enter');
  await page.getByLabel('Provider (doctor, pharmacy, clinic)').fill('Clinique du Parc');
  await chooseInFormSelect(page, 'Kind of care', 'Hospital stay');
  await page.getByLabel('Amount paid').fill('1250.50');
}

/** Visible controls of the page's main part smaller than a 44 px tap target, described. */
async function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const selector = 'main button, main .button, main select, main input:not([type=checkbox]):not([type=radio]):not([type=file]), main textarea, main .fjs-select-display, main .fjs-form-field-checkbox .fjs-inline-label';
    return [...document.querySelectorAll(selector)]
      .filter((element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility !== 'hidden')
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44 && box.width > 0)
      .map(({ element, box }) => element.tagName + '.' + element.className + ' "' + (element.textContent || element.getAttribute('aria-label') || '').trim().slice(0, 30) + '" ' + Math.round(box.width) + 'x' + Math.round(box.height));
  })()`);
}

/** The page's window, as functions run in the browser see it (the tests' TypeScript has no DOM library). */
type PageWindow = { getComputedStyle(element: unknown, pseudo?: string): { content: string; textOverflow: string } };

/** What a table cell shows as its column's name (the CSS ::before of a card's line). */
async function columnNameOf(cell: Locator): Promise<string> {
  return cell.evaluate((element) => (globalThis as unknown as PageWindow).getComputedStyle(element, '::before').content);
}

/** Where a button is on the page (not in the viewport: a click scrolls the button into view). */
async function top(page: Page, name: string): Promise<number> {
  return page.getByRole('button', { name, exact: true }).evaluate((button) => button.getBoundingClientRect().top + (globalThis as unknown as { scrollY: number }).scrollY);
}

describe.each(SIZES)('the extranet at $size size', ({ size, client: username, context: options }) => {
  let context: BrowserContext;
  let page: Page;
  const width = options.viewport.width;

  beforeAll(async () => {
    context = await browser.newContext(options);
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    await page.goto(`${life.portal.baseUrl}/`);
    await signIn(page, username);
    await page.getByRole('heading', { name: 'My policies' }).waitFor();
  });

  afterAll(() => context?.close());

  it('fits the request form to the screen and checks each file as it is picked', async () => {
    await page.getByText('Your policy can still pay this policy year').first().waitFor();
    await expectAccessible(page, 'the overview');
    await screenshot(page, `portal-overview-${size}`);

    await page.getByRole('link', { name: 'Request a reimbursement' }).first().click();
    await page.getByLabel('Provider (doctor, pharmacy, clinic)').waitFor();
    await page.getByLabel('Amount paid').waitFor();
    expect(await page.getByLabel('Amount paid').getAttribute('inputmode')).toBe('decimal');
    expect(await smallTapTargets(page)).toEqual([]);
    // Full-width fields: on a phone the provider's field spans the form (on a desktop its row keeps a gutter for the remove button).
    const formBox = (await page.locator('.form-view').boundingBox())!;
    expect((await page.getByLabel('Provider (doctor, pharmacy, clinic)').boundingBox())!.width).toBeGreaterThan(formBox.width * (size === 'phone' ? 0.85 : 0.75));
    // The declaration reads in full: it wraps inside the screen and nothing is cut off.
    const declaration = page.locator('.fjs-form-field-checkbox label');
    const cut = await declaration.evaluate((label) => label.scrollWidth > label.clientWidth + 1 || (globalThis as unknown as PageWindow).getComputedStyle(label).textOverflow === 'ellipsis');
    expect(cut).toBe(false);
    expect((await declaration.boundingBox())!.x + (await declaration.boundingBox())!.width).toBeLessThanOrEqual(width);
    // The date picker opens within the screen.
    await page.getByLabel('Date of care').click();
    const calendar = page.locator('.flatpickr-calendar.open');
    await calendar.waitFor();
    const calendarBox = (await calendar.boundingBox())!;
    expect(calendarBox.x).toBeGreaterThanOrEqual(0);
    expect(calendarBox.x + calendarBox.width).toBeLessThanOrEqual(width);
    await page.keyboard.press('Escape');

    await fillCareItem(page);
    // The documents a hospital stay needs, from the policy's benefit.
    const needed = page.locator('section.needed');
    await needed.getByText('Hospital stay: a receipt and a medical report.').waitFor();
    await needed.getByText('Medical report not attached yet').waitFor();

    // A wrong kind of file and a too-large one are refused as soon as they are picked (the test portal takes 1 MiB).
    const picker = page.locator('.form-view input[type="file"]');
    await picker.setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a receipt') }, { name: 'big-scan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1536 * 1024, 37) }]);
    await page.getByText('“notes.txt” is not a file we can take').waitFor();
    await page.getByText('“big-scan.pdf” is 1.5 MiB, more than the 1 MiB a file can be').waitFor();
    await screenshot(page, `portal-new-claim-refused-files-${size}`);
    const sendAt = await top(page, 'Send request');
    await page.getByLabel('I confirm that this information is true and complete.').check();
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByText('Some files cannot be sent').waitFor();
    // The message comes below: the button stays under the finger.
    expect(await top(page, 'Send request')).toBe(sendAt);
    expect((await life.portal.call(username, 'GET', '/claims')).body.items).toEqual([]);

    // Each file tagged with what it is: the report sent now satisfies the hospital stay.
    await picker.setInputFiles([pdf('clinic-receipt'), pdf('discharge-report')]);
    await page.getByLabel('This file is (discharge-report.pdf)').selectOption('medical-report');
    await needed.getByText('Medical report not attached yet').waitFor({ state: 'detached' });
    expect(await smallTapTargets(page)).toEqual([]);
    await expectAccessible(page, 'the request form');
    await screenshot(page, `portal-new-claim-${size}`);

    // Saving the draft shows its state below the buttons: nothing moves.
    const saveAt = await top(page, 'Save draft');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText(/Draft saved/).waitFor();
    expect(await top(page, 'Save draft')).toBe(saveAt);

    // Discard asks first; keeping the request keeps it.
    await page.getByRole('button', { name: 'Discard' }).click();
    const question = page.getByRole('alertdialog', { name: 'Discard this request?' });
    await question.waitFor();
    await expectAccessible(page, 'the discard question');
    await screenshot(page, `portal-discard-question-${size}`);
    await question.getByRole('button', { name: 'Keep it' }).click();
    await question.waitFor({ state: 'detached' });
    expect((await life.portal.call(username, 'GET', '/me/claim-draft')).body.draft).not.toBeNull();
  });

  it('mentions the saved draft on the overview, and shows tables as labelled cards on a phone', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    const drafts = page.getByRole('region', { name: 'Not sent yet' });
    await drafts.getByText(/A request you started, saved/).waitFor();
    await page.getByRole('link', { name: 'Continue your request' }).waitFor();
    await page.getByText('Coverage by kind of care').first().click();
    const perItem = page.locator('table.data td[data-label="Per item"]').first();
    await perItem.waitFor();
    const label = await columnNameOf(perItem);
    const header = page.locator('table.data thead').first();
    if (size === 'phone') {
      expect(label).toBe('"Per item"');
      expect(await header.isVisible()).toBe(false);
    } else {
      expect(await header.isVisible()).toBe(true);
    }
    await expectAccessible(page, 'the overview with a draft');
    await screenshot(page, `portal-overview-draft-${size}`);
  });

  it('leaves the client on the draft claim when the portal refuses a file later, and a retried file is stored once', async () => {
    await page.getByRole('link', { name: 'continue it' }).click();
    await page.getByLabel('Provider (doctor, pharmacy, clinic)').waitFor();
    expect(await page.getByLabel('Provider (doctor, pharmacy, clinic)').inputValue()).toBe('Clinique du Parc');
    // Named .pdf, so the browser takes it; its content is no PDF, so the portal refuses it.
    const receipt = pdf('clinic-receipt');
    await page.locator('.form-view input[type="file"]').setInputFiles([receipt, { name: 'phone-photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('this is not really a PDF') }]);
    await page.getByText('phone-photo.pdf').first().waitFor();
    await page.getByLabel('I confirm that this information is true and complete.').check();
    await page.getByRole('button', { name: 'Send request' }).click();

    await page.getByText('1 file not attached, add it here.').waitFor();
    await page.getByText('phone-photo.pdf: its content is not a PDF or a photo we can read.').waitFor();
    await page.getByTestId('claim-status').filter({ hasText: 'Not sent yet' }).waitFor();
    const claimId = new URL(page.url()).pathname.split('/claims/')[1]!;
    await page.getByRole('table', { name: 'Care items' }).waitFor();
    if (size === 'phone') expect(await columnNameOf(page.locator('td[data-label="Amount"]').first())).toBe('"Amount"');
    expect(await smallTapTargets(page)).toEqual([]);
    await expectAccessible(page, 'the draft claim with a file not attached');
    await screenshot(page, `portal-claim-file-not-attached-${size}`);
    // The overview now names the draft claim, not a second form draft.
    expect((await life.portal.call(username, 'GET', '/me/claim-draft')).body.draft).toBeNull();

    // The same receipt again (picked twice) and the file that was missing: the receipt is stored once.
    await page.getByLabel('Files to add').setInputFiles([receipt, pdf('phone-photo-scan')]);
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Not sent yet' }).waitFor({ state: 'detached' });
    const claim = await life.claimWhen(claimId, (c) => c.status !== 'draft');
    expect(claim.documents.map((d: { name: string; type: string }) => `${d.type} ${d.name}`).sort()).toEqual(['receipt clinic-receipt.pdf', 'receipt phone-photo-scan.pdf']);
    await expectAccessible(page, 'the sent claim');
    await screenshot(page, `portal-claim-sent-${size}`);
  });

  it('says in a sentence that a claim is not there, offers a way back, and stops asking', async () => {
    const live: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/live')) live.push(request.url());
    });
    await page.goto(`${life.portal.baseUrl}/claims/${randomUUID()}`);
    await page.getByRole('heading', { name: 'We cannot find this claim' }).waitFor();
    await page.getByText('There is no claim at this address that you can see.').waitFor();
    expect(await page.getByText(/Expected claim/).count()).toBe(0);
    await expectAccessible(page, 'a claim that is not there');
    await screenshot(page, `portal-claim-not-found-${size}`);
    // A retry would come after a second; give it two and a half (an absence cannot be waited for).
    await page.waitForTimeout(2500);
    expect(live).toHaveLength(1);
    await page.getByRole('link', { name: 'Back to my claims' }).click();
    await page.getByRole('heading', { name: 'My policies' }).waitFor();
  });
});
