import { type Browser, type Locator, type Page } from 'playwright-core';
import { checkAtBothSizes, PHONE, WIDE } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// The adjuster at a desktop and the manager on a phone. Adam finds that
// Amelia took a task a moment ago (said in words, the row refreshed, no
// Unclaim on her task), assesses a claim with nothing preselected and its
// limits in view, asks the client for information, goes on to his next task,
// then assesses again with the question and the answer in one thread and the
// first round's choices gone. Maria approves on her phone, seeing who
// assessed and why; "Paid" appears only once the money moved. Every screen
// is checked with axe-core and pictured at 390 and 1440 px.


let life: LifecycleFixture;
let browser: Browser;

beforeAll(async () => {
  life = await LifecycleFixture.start('adjuster-manager', { web: true });
  await life.startWorkers();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

/** form-js draws its own drop-down over a hidden input: open the n-th one with this label and pick the option. */
async function chooseInFormSelect(page: Page, label: string, option: string, nth = 0): Promise<void> {
  const field = page.locator('.fjs-form-field-select').filter({ has: page.locator('label', { hasText: new RegExp(`^${label}\\*?$`) }) }).nth(nth);
  // A select that already has the focus (the field at fault) is open: a click would close it.
  if (!(await field.locator('.fjs-dropdownlist').isVisible())) await field.locator('.fjs-select-display').click();
  await field.locator('.fjs-dropdownlist-item').filter({ hasText: new RegExp(`^${option}$`) }).click();
}

const CLAIM_DECISIONS = ['Approve the accepted items', 'Decline the claim', 'Ask the client for information'];

/** Nothing is chosen for the adjuster: no claim decision, no item decision. */
async function expectNoDecisionMade(page: Page): Promise<void> {
  for (const label of CLAIM_DECISIONS) expect(await page.getByLabel(label).isChecked()).toBe(false);
  const itemDecisions = page.locator('.fjs-form-field-select').filter({ has: page.locator('label', { hasText: /^Decision\*?$/ }) });
  expect(await itemDecisions.count()).toBe(2);
  for (const shown of await itemDecisions.locator('.fjs-select-display').allTextContents()) expect(shown).not.toMatch(/^(Accept|Accept a lower amount|Decline)$/);
}

async function focusedText(page: Page): Promise<string> {
  return page.evaluate('document.activeElement ? `${document.activeElement.tagName}:${document.activeElement.textContent}` : ""');
}

/** Waits on a condition in the page, or fails with what `explain` says. */
async function waitUntil(probe: () => Promise<boolean>, explain: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(explain());
}

/** Waits until the focus is on what `expected` names (TAG:text), or fails saying where it is. */
async function focusBecomes(page: Page, expected: string): Promise<void> {
  let last = '';
  await waitUntil(async () => (last = await focusedText(page)) === expected, () => `focus on ${last}, not ${expected}`);
}

/** The on-screen width of the current step's shape, in CSS pixels. */
async function currentStepWidth(page: Page): Promise<number> {
  return (await page.locator('.diagram .djs-element.current').first().boundingBox())!.width;
}

async function openTaskKey(claimId: string, elementId: string, caller: string, not?: string): Promise<string> {
  for (let tries = 0; tries < 120; tries += 1) {
    const task = await life.openTask(claimId, elementId, caller, 60_000);
    if (task.userTaskKey !== not) return task.userTaskKey as string;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no new ${elementId} task for ${claimId}`);
}

it('walks an adjuster at a desktop and a manager on a phone through a claim, a conflict on a task included', async () => {
  const base = life.portal.baseUrl;
  // Above the routing threshold (an adjuster looks) and, paid, above the adjuster's authority (a manager approves).
  const claim = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'HOSPITAL', amount: 4000 }, { careCode: 'SPECIALIST', amount: 150 }], ['receipt', 'medical-report']);
  // A second claim in review: the task Adam goes on to after the first.
  const other = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 600 }]);
  const firstKey = await openTaskKey(claim.claimId, 'assess-claim', 'adam');
  await openTaskKey(other.claimId, 'assess-claim', 'adam');

  // Adam's list at a desktop; meanwhile Amelia takes the claim's task.
  const adam = await (await personContext(browser)).newPage();
  await adam.setViewportSize(WIDE);
  await adam.goto(`${base}/staff/`);
  await signIn(adam, 'adam');
  const row = adam.getByRole('row').filter({ hasText: claim.reference });
  await row.waitFor();
  expect((await life.portal.call('amelia', 'POST', `/tasks/${firstKey}/assignment`)).status).toBe(201);
  await row.getByRole('button', { name: /^Claim/ }).click();
  await adam.getByRole('alert').filter({ hasText: 'Amelia took this task a moment ago.' }).waitFor();
  await row.getByRole('cell', { name: 'amelia' }).waitFor();
  // Amelia's task offers Adam neither Claim nor Unclaim.
  expect(await row.getByRole('button').count()).toBe(0);
  // She gives it back; once Adam has claimed it, Unclaim is his and his only.
  expect((await life.portal.call('amelia', 'DELETE', `/tasks/${firstKey}/assignment`)).status).toBe(200);
  await adam.reload();
  await row.getByRole('button', { name: /^Claim/ }).click();
  await row.getByRole('button', { name: /^Unclaim/ }).waitFor();
  await row.getByRole('button', { name: /^Unclaim/ }).click();
  await row.getByRole('button', { name: /^Claim/ }).waitFor();
  await checkAtBothSizes(adam, 'tasklist-task-list', { afterwards: 'original' });

  // The task page: staff words, the limits where the decision is made, nothing chosen yet.
  await row.getByRole('link').click();
  await adam.getByRole('heading', { name: 'Your work' }).waitFor();
  await adam.locator('.diagram .djs-element.current').first().waitFor();
  expect(await adam.getByTestId('claim-status').textContent()).toBe('With an adjuster');
  expect(await adam.getByText(/reviewing your request/).count()).toBe(0);
  const limits = adam.getByTestId('claim-limits');
  expect(await limits.getByRole('row').filter({ hasText: 'Hospital stay' }).textContent()).toContain('5,000.00');
  expect(await limits.getByRole('row').filter({ hasText: 'Specialist consultation' }).textContent()).toContain('200.00');
  // The diagram opens on the current step at a readable size, and zooms.
  const fitted = await currentStepWidth(adam);
  expect(fitted).toBeGreaterThan(70);
  await adam.getByRole('button', { name: 'Whole process' }).click();
  expect(await currentStepWidth(adam)).toBeLessThan(fitted);
  await adam.getByRole('button', { name: 'Current step' }).click();
  await adam.getByRole('button', { name: 'Zoom in' }).click();
  expect(await currentStepWidth(adam)).toBeGreaterThan(fitted);
  // The form and the documents stay in view while the claim's context scrolls.
  await adam.locator('#timeline-title').scrollIntoViewIfNeeded();
  expect(await adam.evaluate('window.scrollY')).toBeGreaterThan(300);
  for (const part of ['.task-work', '.task-documents']) {
    const box = (await adam.locator(part).boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(20);
  }
  await adam.evaluate('window.scrollTo(0, 0)');

  // Claiming keeps the focus on the buttons (Unclaim now), not lost to the page.
  await adam.getByRole('button', { name: 'Claim', exact: true }).click();
  await adam.getByTestId('assignee').filter({ hasText: 'adam' }).waitFor();
  await focusBecomes(adam, 'BUTTON:Unclaim');
  await expectNoDecisionMade(adam);
  await checkAtBothSizes(adam, 'tasklist-assess-claim', { afterwards: 'original' });

  // Completing with a field left empty: the focus goes to the field at fault.
  await adam.getByLabel('Ask the client for information').check();
  await adam.getByRole('button', { name: 'Complete task' }).click();
  await adam.getByText('Some fields need your attention').waitFor();
  await waitUntil(() => adam.evaluate<boolean>('document.activeElement?.closest(".fjs-has-errors") != null'), () => 'the focus is not on the field at fault');
  const question = 'Please send the itemised bill of the hospital stay.';
  await chooseInFormSelect(adam, 'Decision', 'Accept', 0);
  await chooseInFormSelect(adam, 'Decision', 'Accept', 1);
  await adam.getByLabel('What the client should send').fill(question);
  await adam.getByLabel('Note for the file').fill('Stay confirmed; the bill is missing.');
  await adam.getByRole('button', { name: 'Complete task' }).click();
  await adam.getByRole('heading', { name: 'Assess claim completed.' }).waitFor();
  await focusBecomes(adam, 'H1:Assess claim completed.');
  const next = adam.getByTestId('next-task').getByRole('link', { name: `Next task: Assess claim · ${other.reference}` });
  await next.waitFor();
  await checkAtBothSizes(adam, 'tasklist-task-completed', { afterwards: 'original' });
  await next.click();
  await adam.locator('#claim-title', { hasText: other.reference }).waitFor();

  // The client answers; the second assessment starts fresh, with the thread in view.
  await life.claimWhen(claim.claimId, (c) => c.status === 'information-requested', 120_000);
  const answer = 'The itemised bill is attached: three nights, no extras.';
  expect((await life.portal.call('alice', 'POST', `/claims/${claim.claimId}/information`, { json: { message: answer } })).status).toBeLessThan(300);
  const secondKey = await openTaskKey(claim.claimId, 'assess-claim', 'adam', firstKey);
  await adam.goto(`${base}/staff/tasks/${secondKey}`);
  const thread = adam.getByTestId('information-thread');
  await thread.waitFor();
  expect(await thread.textContent()).toContain(question);
  expect(await thread.textContent()).toContain(answer);
  await adam.getByRole('button', { name: 'Claim', exact: true }).click();
  await adam.getByTestId('assignee').filter({ hasText: 'adam' }).waitFor();
  await expectNoDecisionMade(adam);
  expect(await adam.getByLabel('Note for the file').inputValue()).toBe('');
  await checkAtBothSizes(adam, 'tasklist-assess-claim-second-round', { afterwards: 'original' });
  await chooseInFormSelect(adam, 'Decision', 'Accept', 0);
  await chooseInFormSelect(adam, 'Decision', 'Accept', 1);
  await adam.getByLabel('Approve the accepted items').check();
  const why = 'The itemised bill matches the stay.';
  await adam.getByLabel('Note for the file').fill(why);
  await adam.getByRole('button', { name: 'Complete task' }).click();
  await adam.getByRole('heading', { name: 'Assess claim completed.' }).waitFor();

  // Maria, on her phone: the approval shows who assessed and why; nothing reads "Paid" yet.
  await life.claimWhen(claim.claimId, (c) => c.status === 'awaiting-approval', 120_000);
  const approveKey = await openTaskKey(claim.claimId, 'approve-payment', 'maria');
  const maria = await (await personContext(browser, 'phone')).newPage();
  await maria.goto(`${base}/staff/`);
  await signIn(maria, 'maria');
  await maria.getByRole('row').filter({ hasText: claim.reference }).filter({ hasText: 'Approve payment' }).getByRole('link').click();
  await maria.getByRole('heading', { name: 'Your work' }).waitFor();
  const summary = maria.getByTestId('assessment-summary');
  await summary.waitFor();
  expect(await summary.textContent()).toContain('Assessed by adam');
  expect(await summary.textContent()).toContain(why);
  expect(await maria.getByTestId('claim-status').textContent()).toBe('Waiting for a manager\'s approval');
  const breakdown = maria.getByRole('table', { name: 'Breakdown of the reimbursement' });
  expect(await breakdown.locator('thead').textContent()).not.toContain('Paid');
  expect(await breakdown.locator('tfoot').textContent()).toContain('Total payable');
  for (const label of ['Approve the payment', 'Decline the claim']) expect(await maria.getByLabel(label).isChecked()).toBe(false);
  // On a phone the work comes first, then the documents, then the claim; nothing runs off the screen.
  const order = await Promise.all(['.task-work', '.task-documents', '.task-context'].map(async (part) => (await maria.locator(part).boundingBox())!));
  expect(order[0]!.y).toBeLessThan(order[1]!.y);
  expect(order[1]!.y).toBeLessThan(order[2]!.y);
  for (const box of order) expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  await checkAtBothSizes(maria, 'tasklist-approve-payment', { afterwards: 'original' });
  await maria.getByRole('button', { name: 'Claim', exact: true }).click();
  await maria.getByTestId('assignee').filter({ hasText: 'maria' }).waitFor();
  await maria.getByLabel('Approve the payment').check();
  await maria.getByRole('button', { name: 'Complete task' }).click();
  await maria.getByRole('heading', { name: 'Approve payment completed.' }).waitFor();
  await maria.getByTestId('next-task').filter({ hasText: /Next task|No more tasks/ }).waitFor();

  // Once the bank confirmed the payout, and only then, the claim reads "Paid".
  await life.claimWhen(claim.claimId, (c) => c.status === 'paid', 120_000);
  await maria.goto(`${base}/staff/tasks/${approveKey}`);
  await maria.getByTestId('claim-status').filter({ hasText: /^Paid$/ }).waitFor();
  expect(await breakdown.locator('thead').textContent()).toContain('Paid');
  expect(await staffHistory(maria).textContent()).not.toMatch(/your request/i);
  await checkAtBothSizes(maria, 'tasklist-paid-claim', { afterwards: 'original' });
});

function staffHistory(page: Page): Locator {
  return page.getByTestId('staff-timeline');
}

it('shows the investigator a claim whose invoice was claimed before, with no outcome chosen', async () => {
  // The same invoice from the same provider on two claims: the fraud screening sends the second to an investigator.
  const first = await life.fileClaim('bruno', 'POL-100002', [{ careCode: 'GP_VISIT', amount: 45, invoiceNumber: 'INV-2026-0042', serviceDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) }]);
  await life.claimWhen(first.claimId, (c) => !['received', 'validating', 'screening'].includes(c.status), 60_000);
  const second = await life.fileClaim('bruno', 'POL-100002', [{ careCode: 'GP_VISIT', amount: 45, invoiceNumber: 'INV-2026-0042', serviceDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) }]);
  const key = await openTaskKey(second.claimId, 'investigate-claim', 'ivan');
  const ivan = await (await personContext(browser)).newPage();
  await ivan.setViewportSize(WIDE);
  await ivan.goto(`${life.portal.baseUrl}/staff/tasks/${key}`);
  await signIn(ivan, 'ivan');
  await ivan.getByRole('heading', { name: 'Your work' }).waitFor();
  await ivan.locator('.diagram .djs-element.current').first().waitFor();
  expect(await ivan.getByTestId('claim-status').textContent()).toBe('With an investigator');
  await ivan.getByText(/also appears on claim/).first().waitFor();
  await ivan.getByRole('button', { name: 'Claim', exact: true }).click();
  await ivan.getByTestId('assignee').filter({ hasText: 'ivan' }).waitFor();
  expect(await ivan.locator('.fjs-form-field-radio input:checked').count()).toBe(0);
  await checkAtBothSizes(ivan, 'tasklist-investigate-claim', { afterwards: 'original' });
});

