import { type Browser, type Dialog, type Page } from 'playwright-core';
import { checkAtBothSizes, WIDE } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// An analyst in the modeler: each editor passes axe-core and is pictured at
// 390 and 1440 px; a deleted step is reported by the names of what it left
// unconnected, a click on a problem selects its element, and changes not
// deployed are asked about before another editor, a link or closing the page
// throws them away.


let life: LifecycleFixture;
let browser: Browser;

beforeAll(async () => {
  life = await LifecycleFixture.start('modeler-editors', { web: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

/** Answers the next confirm() the page asks with `accept`, and says what it asked. */
function answerNextDialog(page: Page, accept: boolean): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog: Dialog) => {
      const asked = `${dialog.type()}: ${dialog.message()}`;
      void (accept ? dialog.accept() : dialog.dismiss()).then(() => resolve(asked));
    });
  });
}

it('checks every editor, names and selects lint problems, and guards changes not deployed', async () => {
  const analyst = await (await personContext(browser)).newPage();
  await analyst.setViewportSize(WIDE);
  await analyst.goto(`${life.portal.baseUrl}/staff/modeler`);
  await signIn(analyst, 'anna');
  await analyst.locator('.djs-container .djs-element').first().waitFor();
  await analyst.getByText('No problems found.').or(analyst.locator('.lint li')).first().waitFor();
  await checkAtBothSizes(analyst, 'tasklist-modeler-bpmn', { afterwards: 'wide' });

  // Nothing changed yet: the other editors open without a question.
  let asked = false;
  const noticeDialog = () => (asked = true);
  analyst.on('dialog', noticeDialog);
  await analyst.getByRole('button', { name: 'Forms' }).click();
  await analyst.locator('.fjs-editor-container .fjs-form-field').first().waitFor();
  await checkAtBothSizes(analyst, 'tasklist-modeler-form', { afterwards: 'wide' });
  await analyst.getByRole('button', { name: 'Decision tables' }).click();
  await analyst.locator('td[data-element-id="route-large-claim-amount"]').waitFor();
  await checkAtBothSizes(analyst, 'tasklist-modeler-decision-table', { afterwards: 'wide' });
  await analyst.getByRole('button', { name: 'Diagrams' }).click();
  await analyst.locator('.djs-element[data-element-id="assess-claim"]').waitFor();
  expect(asked).toBe(false);
  analyst.off('dialog', noticeDialog);

  // The analyst deletes "Assess claim" (its flows and its overdue timer go with it): "Alert managers" is left with no way in, an error named by its name; a click selects it.
  await analyst.locator('.djs-element[data-element-id="assess-claim"]').click();
  await analyst.locator('.djs-context-pad .entry[data-action="delete"]').click();
  await analyst.locator('.djs-element[data-element-id="assess-claim"]').waitFor({ state: 'detached' });
  const problem = analyst.locator('.lint li.lint-error').filter({ hasText: 'implicit start' }).first();
  await problem.waitFor();
  expect(await analyst.getByRole('button', { name: 'Deploy new version' }).isDisabled()).toBe(true);
  const named = problem.getByRole('button');
  const name = (await named.textContent())!.trim();
  // The name a person gave, not the element id "escalate-assessment".
  expect(name).toBe('Alert managers');
  await named.click();
  await analyst.locator('.djs-element.selected[data-element-id="escalate-assessment"]').waitFor();
  await screenshot(analyst, 'tasklist-modeler-bpmn-problem-selected-1440');

  // Another editor would throw the change away: asked first; "stay" keeps the diagram.
  const stay = answerNextDialog(analyst, false);
  await analyst.getByRole('button', { name: 'Forms' }).click();
  expect(await stay).toMatch(/^confirm: Your changes are not deployed/);
  expect(await analyst.getByRole('button', { name: 'Diagrams' }).getAttribute('aria-pressed')).toBe('true');
  expect(await analyst.locator('.djs-element[data-element-id="assess-claim"]').count()).toBe(0);
  // A link away is asked about the same way.
  const stayToo = answerNextDialog(analyst, false);
  await analyst.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
  expect(await stayToo).toMatch(/^confirm: /);
  expect(new URL(analyst.url()).pathname).toBe('/staff/modeler');
  // Closing the page asks the browser's own question.
  const unload = answerNextDialog(analyst, false);
  await analyst.close({ runBeforeUnload: true });
  expect(await unload).toMatch(/^beforeunload/);
  expect(analyst.isClosed()).toBe(false);
  // Leaving on purpose: the change is dropped and the form editor opens.
  const leave = answerNextDialog(analyst, true);
  await analyst.getByRole('button', { name: 'Forms' }).click();
  await leave;
  await analyst.locator('.fjs-editor-container .fjs-form-field').first().waitFor();
});
