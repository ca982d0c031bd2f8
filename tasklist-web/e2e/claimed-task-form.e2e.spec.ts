import { type Browser } from 'playwright-core';
import { launchChromium, personContext, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// An adjuster claims a task and at once opens a drop-down of its form: the
// page finishing the claim (the task reloaded, the buttons swapped) leaves
// the form alone, so the drop-down opened once stays open and what was
// picked and typed stays.

let life: LifecycleFixture;
let browser: Browser;

beforeAll(async () => {
  life = await LifecycleFixture.start('claimed-task-form', { web: true });
  await life.startWorkers();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

/** Resolves once the page has drawn `frames` more frames: whatever the page queued for the next frame has run. */
const framesDrawn = (frames: number) => `new Promise((resolve) => { let left = ${frames}; const next = () => (--left <= 0 ? resolve(true) : requestAnimationFrame(next)); requestAnimationFrame(next); })`;

it('keeps a drop-down opened the moment the task is claimed open, and what the adjuster picked and typed', async () => {
  // Above the routing threshold: an adjuster assesses it.
  const claim = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 600 }]);
  const task = await life.openTask(claim.claimId, 'assess-claim', 'adam', 60_000);

  const adam = await (await personContext(browser)).newPage();
  await adam.goto(`${life.portal.baseUrl}/staff/tasks/${task.userTaskKey as string}`);
  await signIn(adam, 'adam');
  await adam.getByRole('heading', { name: 'Your work' }).waitFor();
  const decision = adam.locator('.fjs-form-field-select').filter({ has: adam.locator('label', { hasText: /^Decision\*?$/ }) }).first();
  await decision.waitFor();

  // The quickest adjuster: the drop-down is pressed in the very moment the page shows the task as theirs.
  await adam.evaluate(`(() => {
    const assignee = document.querySelector('[data-testid="assignee"]');
    const watch = new MutationObserver(() => {
      if (assignee.textContent !== 'adam') return;
      watch.disconnect();
      const select = document.querySelector('.fjs-form-field-select .fjs-input-group');
      select.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    });
    watch.observe(assignee, { childList: true, characterData: true, subtree: true });
  })()`);
  await adam.getByRole('button', { name: 'Claim', exact: true }).click();
  await adam.getByTestId('assignee').filter({ hasText: 'adam' }).waitFor();
  await adam.getByRole('button', { name: 'Unclaim' }).waitFor();
  await adam.evaluate(framesDrawn(3));
  expect(await decision.locator('.fjs-dropdownlist').isVisible()).toBe(true);
  await decision.locator('.fjs-dropdownlist-item').filter({ hasText: /^Accept a lower amount$/ }).click();
  await adam.getByLabel('Amount accepted').first().waitFor();
  expect(await decision.locator('.fjs-select-display').textContent()).toBe('Accept a lower amount');

  // What the adjuster typed survives anything the page does next on its own.
  await adam.getByLabel('Note for the file').fill('Checked against the invoice.');
  await adam.evaluate(framesDrawn(3));
  expect(await adam.getByLabel('Note for the file').inputValue()).toBe('Checked against the invoice.');
  expect(await decision.locator('.fjs-select-display').textContent()).toBe('Accept a lower amount');
});
