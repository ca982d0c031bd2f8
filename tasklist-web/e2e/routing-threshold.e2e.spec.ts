import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';
import { type Browser } from 'playwright-core';

// An analyst lowers the amount above which claims go to an adjuster, in the
// decision table editor, and deploys it; the next claim follows the new
// threshold. The modeler's other editors are opened and pictured too.

let life: LifecycleFixture;
let browser: Browser;

beforeAll(async () => {
  life = await LifecycleFixture.start('routing', { web: true });
  await life.startWorkers();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

const PAID_OR_ON_ITS_WAY = ['approved', 'payment-pending', 'paid'];

it('routes the next claim by the threshold an analyst deployed from the decision table editor', async () => {
  // Before: 150 is below the 500 threshold, so the claim goes straight through.
  const before = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 150 }]);
  await life.claimWhen(before.claimId, (c) => PAID_OR_ON_ITS_WAY.includes(c.status), 60_000);

  const analyst = await (await personContext(browser)).newPage();
  await analyst.goto(`${life.portal.baseUrl}/staff/modeler`);
  const pageErrors: string[] = [];
  analyst.on('pageerror', (error) => pageErrors.push(error.message));
  await signIn(analyst, 'anna');
  await analyst.locator('.djs-container .djs-element').first().waitFor();
  await analyst.getByText('No problems found.').or(analyst.locator('.lint li')).first().waitFor();
  await screenshot(analyst, 'tasklist-modeler-bpmn');
  await analyst.getByRole('button', { name: 'Forms' }).click();
  await analyst.locator('.fjs-editor-container .fjs-form-field').first().waitFor();
  expect(pageErrors).toEqual([]);
  expect(await analyst.locator('p.error').count()).toBe(0);
  await screenshot(analyst, 'tasklist-modeler-form');

  await analyst.getByRole('button', { name: 'Decision tables' }).click();
  const cell = analyst.locator('.tjs-table td').filter({ hasText: /^> 500$/ });
  await cell.waitFor();
  const editable = cell.locator('[contenteditable="true"]');
  await editable.click();
  await analyst.keyboard.press('Control+A');
  await analyst.keyboard.type('> 100');
  await analyst.keyboard.press('Tab');
  await analyst.locator('.tjs-table td').filter({ hasText: /^> 100$/ }).waitFor();
  await analyst.getByText('No problems found.').waitFor();
  await screenshot(analyst, 'tasklist-modeler-decision-table');
  await analyst.getByRole('button', { name: 'Deploy new version' }).click();
  await analyst.getByTestId('deploy-status').filter({ hasText: /Deployed/ }).or(analyst.getByRole('alert')).first().waitFor();
  expect(await analyst.getByTestId('deploy-status').textContent()).toMatch(/claim-routing version 2/);

  // After: the same amount is above the new threshold, so an adjuster reviews it.
  const after = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 150 }]);
  const claim = await life.claimWhen(after.claimId, (c) => c.status === 'in-review' || PAID_OR_ON_ITS_WAY.includes(c.status), 60_000);
  expect(claim.status).toBe('in-review');
  await life.openTask(after.claimId, 'assess-claim', 'adam');
});
