import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';
import { type Browser } from 'playwright-core';

// An analyst lowers the amount above which claims go to an adjuster, in the
// decision table editor, and deploys it; the next claim follows the new
// threshold. A mistyped threshold (valid FEEL naming no variable) is flagged
// and cannot be deployed; the real change shows its shadow run on recent
// claims and deploys only once the analyst accepts the changed outcomes.
// The modeler's other editors are opened and pictured too.

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
  const thresholdCell = (text: RegExp) => analyst.locator('.tjs-table td').filter({ hasText: text });
  // The threshold's cell, by the id of its input entry in claim-routing.dmn.
  const typeThreshold = async (to: string) => {
    const cell = analyst.locator('td[data-element-id="route-large-claim-amount"]');
    await cell.waitFor();
    await cell.locator('[contenteditable="true"]').first().click();
    await analyst.keyboard.press('Control+A');
    await analyst.keyboard.type(to);
    await analyst.keyboard.press('Tab');
  };
  const deployButton = analyst.getByRole('button', { name: 'Deploy new version' });

  // A typo: "five hundred" is a variable name to FEEL, one the claim process never sets.
  await thresholdCell(/^> 500$/).waitFor();
  await typeThreshold('> five hundred');
  const flagged = analyst.locator('.lint li.lint-error').filter({ hasText: 'five hundred' });
  await flagged.waitFor();
  expect(await flagged.textContent()).toContain('Claim routing: rule 3, "Amount claimed"');
  expect(await deployButton.isDisabled()).toBe(true);
  await flagged.getByRole('button', { name: 'Claim routing: rule 3, "Amount claimed"' }).click();
  await analyst.locator('td[data-element-id="route-large-claim-amount"] :focus').waitFor();
  await screenshot(analyst, 'tasklist-modeler-decision-table-unknown-variable');

  // The real change: the shadow run names the recent claim it would have routed otherwise.
  await typeThreshold('> 100');
  await thresholdCell(/^> 100$/).waitFor();
  await analyst.getByText('No problems found.').waitFor();
  const shadow = analyst.getByTestId('shadow-run');
  const changedRow = shadow.locator('tbody tr').filter({ hasText: before.reference });
  await changedRow.waitFor();
  expect((await changedRow.locator('td').allTextContents()).slice(2)).toEqual(['straight-through', 'review']);
  expect(await shadow.textContent()).toMatch(/\d+ of \d+ recent claims would be decided differently/);
  await screenshot(analyst, 'tasklist-modeler-decision-table');
  await deployButton.click();
  const accept = analyst.getByRole('button', { name: /^Deploy and accept \d+ changed outcomes?$/ });
  await accept.waitFor();
  const routingVersions = async () => ((await life.portal.call('anna', 'GET', '/deployments/decisions')).body as { items: { decisionDefinitionId: string }[] }).items.filter((d) => d.decisionDefinitionId === 'claim-routing').length;
  expect(await routingVersions()).toBe(1);
  await accept.click();
  await analyst.getByTestId('deploy-status').filter({ hasText: /Deployed/ }).or(analyst.getByRole('alert')).first().waitFor();
  expect(await analyst.getByTestId('deploy-status').textContent()).toMatch(/claim-routing version 2/);
  const [accepted] = await life.portal.portal.dataSource.query<{ actor_name: string; details: { acceptedChangedOutcomes?: { changes: { claimReference: string }[] } } }[]>(
    "SELECT actor_name, details FROM audit_entry WHERE action = 'deployment.created' ORDER BY seq DESC LIMIT 1",
  );
  expect(accepted!.actor_name).toBe('anna');
  expect(accepted!.details.acceptedChangedOutcomes?.changes.map((c) => c.claimReference)).toContain(before.reference);

  // After: the same amount is above the new threshold, so an adjuster reviews it.
  const after = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 150 }]);
  const claim = await life.claimWhen(after.claimId, (c) => c.status === 'in-review' || PAID_OR_ON_ITS_WAY.includes(c.status), 60_000);
  expect(claim.status).toBe('in-review');
  await life.openTask(after.claimId, 'assess-claim', 'adam');
});

// A changed claim diagram gets the same shadow run: the analyst mistypes the
// route name on the "straight through" flow, the shadow run shows which
// recent claim would now go to an adjuster and where its route parts, and
// the version deploys only once the analyst accepts that.
it('shows the shadow run of a changed claim diagram and deploys it only once the analyst accepts the changed routes', async () => {
  // 80 is below the threshold of 100 the test above deployed: straight through.
  const small = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 80 }]);
  await life.claimWhen(small.claimId, (c) => PAID_OR_ON_ITS_WAY.includes(c.status), 60_000);

  const analyst = await (await personContext(browser)).newPage();
  await analyst.goto(`${life.portal.baseUrl}/staff/modeler`);
  await signIn(analyst, 'anna');
  await analyst.locator('.djs-element[data-element-id="flow-straight-through"]').waitFor();
  const shadow = analyst.getByTestId('shadow-run');
  await shadow.filter({ hasText: /^No change on the \d+ most recent claims/ }).waitFor();

  // The flow's label selects the flow; its condition is edited in the properties panel.
  await analyst.locator('.djs-element[data-element-id="flow-straight-through_label"]').click();
  const conditionGroup = analyst.locator('.bio-properties-panel-group').filter({ has: analyst.locator('.bio-properties-panel-group-header', { hasText: /^Condition$/ }) });
  const condition = conditionGroup.locator('[data-entry-id="conditionExpression"] [contenteditable="true"]');
  if (!(await condition.isVisible())) await conditionGroup.locator('.bio-properties-panel-group-header').click();
  await condition.click();
  await analyst.keyboard.press('Control+A');
  await analyst.keyboard.type('route = "fast-track"');
  await analyst.keyboard.press('Tab');

  const changedRow = shadow.locator('tbody tr').filter({ hasText: small.reference });
  await changedRow.waitFor();
  const [, what, deployed, candidate] = await changedRow.locator('td').allTextContents();
  expect(what).toMatch(/route from Which route\?$/);
  expect(deployed).toMatch(/^Which route\?: straight through → /);
  expect(candidate).toBe('Which route?: review → merge-before-review → Tell client: under review → Assess claim (waits for a person)');
  expect(await shadow.textContent()).toMatch(/\d+ of \d+ recent claims would be decided differently/);
  await screenshot(analyst, 'tasklist-modeler-bpmn-shadow-run');

  const processVersions = async () => ((await life.portal.call('anna', 'GET', '/deployments/processes?processDefinitionId=claim-reimbursement')).body as { items: unknown[] }).items.length;
  const versionsBefore = await processVersions();
  await analyst.getByRole('button', { name: 'Deploy new version' }).click();
  const accept = analyst.getByRole('button', { name: /^Deploy and accept \d+ changed outcomes?$/ });
  await accept.waitFor();
  expect(await processVersions()).toBe(versionsBefore);
  await accept.click();
  await analyst.getByTestId('deploy-status').filter({ hasText: /Deployed/ }).or(analyst.getByRole('alert')).first().waitFor();
  expect(await analyst.getByTestId('deploy-status').textContent()).toMatch(new RegExp(`claim-reimbursement version ${versionsBefore + 1}`));
  const [accepted] = await life.portal.portal.dataSource.query<{ actor_name: string; details: { acceptedChangedOutcomes?: { routeChanges?: { claimReference: string; divergesAt: string }[] } } }[]>(
    "SELECT actor_name, details FROM audit_entry WHERE action = 'deployment.created' ORDER BY seq DESC LIMIT 1",
  );
  expect(accepted!.actor_name).toBe('anna');
  expect(accepted!.details.acceptedChangedOutcomes?.routeChanges).toContainEqual(expect.objectContaining({ claimReference: small.reference, divergesAt: 'which-route' }));

  // The next small claim takes the new diagram's route: to an adjuster.
  const next = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 80 }]);
  const claim = await life.claimWhen(next.claimId, (c) => c.status === 'in-review' || PAID_OR_ON_ITS_WAY.includes(c.status), 60_000);
  expect(claim.status).toBe('in-review');
});
