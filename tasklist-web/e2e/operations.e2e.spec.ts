/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { type Browser } from 'playwright-core';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { checkAtBothSizes, WIDE } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// An operations user finds a claim stuck on an incident, sees it in red on
// the diagram with the job's error and no retries left, retries too early
// (the page says the job failed again, with its error), has the cause fixed,
// retries again, and the page confirms that the job ran and completed; the
// claim is then paid, once. The fault is real, as in
// workers/src/lifecycle/technical-delay.int.spec.ts: the portal's database
// refuses the fraud screening's update until the trigger is dropped, so the
// real worker fails against the real portal until then. Then an admin
// retries two claims stopped on the same fault as one batch, watching its
// progress bar, and both are paid.

const FAULT = 'fraud screening refused by the operations test';

let life: LifecycleFixture;
let browser: Browser;

/** The fault: the portal's database refuses to put a claim into screening. */
const breakScreening = () => life.portal.portal.dataSource.query('CREATE TRIGGER refuse_screening BEFORE UPDATE OF status ON claim FOR EACH ROW EXECUTE FUNCTION refuse_screening()');
/** The cause fixed. */
const mendScreening = () => life.portal.portal.dataSource.query('DROP TRIGGER refuse_screening ON claim');

/** The open incident of a claim's instance (other than `besides`), once the worker has run out of retries. */
async function incidentOf(processInstanceKey: string, besides?: string) {
  return eventually(async () => {
    const found = await life.portal.engine.http('POST', '/v2/incidents/search', { filter: { processInstanceKey, state: 'ACTIVE' } });
    return (found.body as { items: { incidentKey: string; elementId: string }[] }).items.find((i) => i.incidentKey !== besides);
  }, 90_000);
}

beforeAll(async () => {
  life = await LifecycleFixture.start('operations-e2e', { web: true });
  await life.portal.portal.dataSource.query(`
    CREATE FUNCTION refuse_screening() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'screening' THEN RAISE EXCEPTION '${FAULT}'; END IF;
      RETURN NEW;
    END $$`);
  await breakScreening();
  await life.startWorkers();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

it('an operations user finds a claim stuck on an incident, retries once the cause is fixed, and the claim is paid', async () => {
  const { claimId, reference } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 180 }, { careCode: 'GP_VISIT', amount: 120 }]);
  const processInstanceKey = (await life.claimWhen(claimId, (c) => Boolean(c.processInstanceKey))).processInstanceKey as string;
  // The worker fails on every try until its retries run out: an incident.
  const incident = await incidentOf(processInstanceKey);

  const page = await (await personContext(browser)).newPage();
  await page.setViewportSize(WIDE);
  await page.goto(`${life.portal.baseUrl}/staff/`);
  await signIn(page, 'oscar');
  // The menu has Operations, reached by keyboard.
  const menuLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' });
  await menuLink.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
  const incidents = page.getByRole('table', { name: 'Open incidents' });
  const row = incidents.locator('tbody tr').filter({ hasText: reference });
  await row.waitFor();
  expect(await row.locator('td[data-label="Retries left"]').innerText()).toBe('0');
  await page.getByRole('table', { name: 'Process instances' }).getByText(reference).waitFor();
  await checkAtBothSizes(page, 'tasklist-operations', { noSideScroll: true, afterwards: 'wide' });

  // The claim's instance: the incident in red on its element, with a badge, and the job's error beside it.
  await row.getByRole('link', { name: reference }).click();
  await page.getByRole('heading', { name: `Claim ${reference}`, level: 1 }).waitFor();
  const stopped = page.locator(`.djs-element.incident[data-element-id="${incident.elementId}"]`);
  await stopped.waitFor();
  expect(await page.locator('.diagram-badge.incident-badge').count()).toBe(1);
  expect(await page.locator('.djs-element.done[data-element-id="validate-claim"]').count()).toBe(1);
  await page.getByText(/Stopped on an incident at:/).first().waitFor();
  const panel = page.getByRole('article', { name: /^Incident at/ });
  await panel.getByText('Retries left').waitFor();
  expect(await panel.locator('dd').nth(2).innerText()).toBe('0');
  await page.getByRole('table', { name: 'Variables' }).getByText('claimId').waitFor();
  await page.getByRole('table', { name: 'History' }).getByText('Check claim against policy').waitFor();
  await checkAtBothSizes(page, 'tasklist-operations-instance', { noSideScroll: true, afterwards: 'wide' });

  // Retried before the cause is fixed: the page waits for the job and says it failed again.
  await panel.getByRole('button', { name: 'Retry', exact: true }).click();
  await page.getByRole('button', { name: 'Retry now' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText(/The job ran again and failed again:/).waitFor({ timeout: 45_000 });
  // A new incident, at the same step: the job failed there again.
  expect(await incidentOf(processInstanceKey, incident.incidentKey)).toMatchObject({ elementId: incident.elementId });
  await page.getByRole('article', { name: /^Incident at/ }).waitFor();

  // The cause fixed, the retry confirms the job ran and completed.
  await mendScreening();
  await page.getByRole('article', { name: /^Incident at/ }).getByRole('button', { name: 'Retry', exact: true }).click();
  const before = await page.locator('.notice').innerText();
  await page.getByRole('button', { name: 'Retry now' }).click();
  // The page answers once the job ran again (or says that no worker took it yet).
  const said = await eventually(async () => {
    const text = await page.locator('.notice').innerText();
    return text !== before ? text : undefined;
  }, 45_000);
  expect(said).toBe('The job ran again and completed.');
  await page.getByText('No open incident.').waitFor();

  // The claim goes on to be paid, once.
  await life.claimWhen(claimId, (c) => c.status === 'paid', 90_000);
  // A small clean claim (as in claim-lifecycle.int.spec.ts): 144.00 paid, in one payout and one call to the bank.
  expect(await life.portal.portal.dataSource.query('SELECT status, amount FROM payout WHERE claim_id = $1', [claimId])).toEqual([{ status: 'paid', amount: '144.00' }]);
  await page.reload();
  await page.getByRole('heading', { name: `Claim ${reference}`, level: 1 }).waitFor();
  await page.getByText('No open incident.').waitFor();
  await screenshot(page, 'tasklist-operations-instance-paid');

  // Both retries are audited against the claim, with who and what came of each.
  const audit = await life.portal.call('admin', 'GET', `/audit?entityType=claim&entityId=${claimId}&action=operations.retry`);
  expect(audit.body.items.map((e: any) => [e.actorName, e.details.outcome, e.details.processInstanceKey])).toEqual([
    ['oscar', 'completed', processInstanceKey],
    ['oscar', 'failed-again', processInstanceKey],
  ]);
});

it('an admin retries every claim stuck on the same fault as one batch, with a progress bar', async () => {
  await breakScreening();
  const claims = [
    await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 180 }, { careCode: 'GP_VISIT', amount: 120 }]),
    await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 150 }]),
  ];
  for (const { claimId } of claims) await incidentOf((await life.claimWhen(claimId, (c) => Boolean(c.processInstanceKey))).processInstanceKey as string);
  await mendScreening();

  const page = await (await personContext(browser)).newPage();
  await page.goto(`${life.portal.baseUrl}/staff/operations`);
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
  // Filtered by keyboard to the claim process's instances with an incident.
  await page.locator('select[name="processDefinitionId"]').selectOption('claim-reimbursement');
  await page.locator('select[name="hasIncident"]').selectOption('true');
  await page.getByRole('button', { name: 'Show instances' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/hasIncident=true/);
  const instances = page.getByRole('table', { name: 'Process instances' });
  for (const { reference } of claims) await instances.getByText(reference).waitFor();
  expect(await instances.locator('tbody tr').count()).toBe(2);

  await page.getByRole('button', { name: 'Retry all with incidents' }).click();
  await page.getByRole('group', { name: 'Confirm: Retry all with incidents' }).getByRole('button', { name: 'Retry all with incidents' }).click();
  await page.getByText('Batch started over 2 instances.').waitFor();
  await page.getByText('Finished: all 2 done.').waitFor({ timeout: 30_000 });
  expect(await page.locator('progress').evaluate((bar: { value: number; max: number }) => [bar.value, bar.max])).toEqual([2, 2]);
  await checkAtBothSizes(page, 'tasklist-operations-batch', { noSideScroll: true, afterwards: 'wide' });

  for (const { claimId } of claims) await life.claimWhen(claimId, (c) => c.status === 'paid', 90_000);
  // The list, read again when the batch finished, has nothing stopped any more.
  await page.getByText('No instance matches these filters.').waitFor({ timeout: 30_000 });
});

it('the Operations entry is only for operations and admins', async () => {
  const page = await (await personContext(browser)).newPage();
  await page.goto(`${life.portal.baseUrl}/staff/`);
  await signIn(page, 'adam');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }).count()).toBe(0);
});
