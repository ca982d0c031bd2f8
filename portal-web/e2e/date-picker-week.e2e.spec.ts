import { type Browser } from 'playwright-core';
import { launchChromium, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// The request form's date picker starts the week as the reader's locale
// does: Monday in the United Kingdom, Sunday in the United States (form-js
// leaves flatpickr on Sunday for everyone).

let life: LifecycleFixture;
let browser: Browser;

beforeAll(async () => {
  life = await LifecycleFixture.start('date-picker-week', { web: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

it.each([
  ['en-GB', 'Mon'],
  ['en-US', 'Sun'],
])('in %s the date of care picker starts the week on %s', async (locale, firstDay) => {
  const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${life.portal.baseUrl}/`);
  await signIn(page, 'alice');
  await page.getByRole('link', { name: 'Request a reimbursement' }).first().click();
  await page.getByLabel('Date of care').click();
  const calendar = page.locator('.flatpickr-calendar.open');
  await calendar.waitFor();
  expect((await calendar.locator('.flatpickr-weekday').first().textContent())!.trim()).toBe(firstDay);
  await context.close();
});
