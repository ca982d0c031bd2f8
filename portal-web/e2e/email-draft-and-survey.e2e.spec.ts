import nodemailer from 'nodemailer';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { EmailIntake } from '@claims/portal-api/src/service/email-intake';
import { signSurveyLink } from '@claims/portal-api/src/service/survey-links';
import { EXAMPLE_SIGNING, stampedByOurHost } from '@claims/portal-api/src/testing/authenticated-mail';
import { PortalFixture } from '@claims/portal-api/src/testing/portal-fixture';
import { SAMPLE_FILES } from '@claims/portal-api/src/testing/sample-files';

// A client completes, on a 390 px phone, the draft her emailed receipt
// opened: the page asks what the care was, she adds it by keyboard and sends
// the request. Then the satisfaction survey, reached without signing in from
// its link: a score picked with the arrow keys, a comment, sent once; the
// same link again says it was answered, a forged one that it is not valid.
// Every screen passes axe-core.

let portal: PortalFixture;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  portal = await PortalFixture.start('email-draft-web', { web: true });
  await portal.deployTestProcess();
  browser = await launchChromium();
  context = await personContext(browser, 'phone');
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await portal?.stop();
});

/** A mail as an SMTP client would send it, in MIME (nodemailer's own composer), DKIM-signed and checked by our receiving host. */
async function rawMail(subject: string): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = (await composer.sendMail({ from: 'alice@example.com', to: 'claims@claims.example', subject, text: 'My receipt.', attachments: [{ filename: 'optician.pdf', content: SAMPLE_FILES.pdf }], dkim: EXAMPLE_SIGNING })) as { message: Buffer };
  return stampedByOurHost(info.message, 'alice@example.com');
}

test('a draft opened by email is completed and sent from a phone', async () => {
  const outcome = await portal.portal.app.get(EmailIntake).receive(await rawMail('Optician'));
  expect(outcome.kind).toBe('draft-opened');
  const claimId = (outcome as { claimId: string }).claimId;
  await page.goto(`${portal.baseUrl}/claims/${claimId}`);
  await signIn(page, 'alice');
  await page.getByRole('heading', { name: 'What was the care?' }).waitFor();
  await expectAccessible(page, 'the emailed draft, asking for its care');
  await screenshot(page, 'email-draft-care-390');
  await page.getByLabel('Date of care').fill('2026-10-05');
  await page.getByLabel('Doctor, pharmacy or hospital').fill('Optique Centrale');
  await page.getByLabel('Kind of care').selectOption({ index: 1 });
  await page.getByLabel(/Amount paid/).fill('42.50');
  await page.getByLabel(/Amount paid/).press('Enter');
  await page.getByRole('button', { name: 'Send request' }).waitFor();
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.getByRole('button', { name: 'Send request' }).waitFor({ state: 'detached' });
  const [claim] = await portal.portal.dataSource.query<{ status: string; total_claimed: string }[]>('SELECT status, total_claimed FROM claim WHERE id = $1', [claimId]);
  expect(claim).toEqual({ status: 'received', total_claimed: '42.50' });
});

test('the survey link answers once, by keyboard, without signing in; a forged link is refused', async () => {
  const db = portal.portal.dataSource;
  const [survey] = await db.query<{ id: string; expires_at: Date }[]>(
    `INSERT INTO satisfaction_survey (claim_id, customer_id, expires_at) SELECT id, customer_id, now() + interval '30 days' FROM claim WHERE status = 'received' LIMIT 1 RETURNING id, expires_at`,
  );
  const [{ value }] = await db.query<[{ value: string }]>(`SELECT value FROM service_secret WHERE name = 'survey-link'`);
  const token = await signSurveyLink(new TextEncoder().encode(value), survey!.id, survey!.expires_at);
  const anonymous = await personContext(browser, 'phone');
  const visitor = await anonymous.newPage();
  await visitor.goto(`${portal.baseUrl}/survey#token=${token}`);
  await visitor.getByRole('heading', { name: 'How did we do?' }).waitFor();
  await visitor.getByRole('radio', { name: '1, very unsatisfied' }).waitFor();
  await expectAccessible(visitor, 'the survey');
  await screenshot(visitor, 'survey-390');
  // Keyboard only: into the scores, arrows to the fifth, on to the comment, Enter sends.
  await visitor.getByRole('radio', { name: '1, very unsatisfied' }).focus();
  await visitor.keyboard.press('Space');
  for (let i = 0; i < 4; i++) await visitor.keyboard.press('ArrowDown');
  expect(await visitor.getByRole('radio', { name: '5, very satisfied' }).isChecked()).toBe(true);
  await visitor.keyboard.press('Tab');
  await visitor.keyboard.type('Clear and quick.');
  await visitor.keyboard.press('Tab');
  await visitor.keyboard.press('Enter');
  await visitor.getByRole('heading', { name: 'Thank you' }).waitFor();
  expect(await visitor.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('H1');
  await expectAccessible(visitor, 'the survey, answered');
  const [answer] = await db.query<{ score: number; comment: string }[]>('SELECT score, comment FROM satisfaction_survey WHERE id = $1', [survey!.id]);
  expect(answer).toEqual({ score: 5, comment: 'Clear and quick.' });

  // Through a blank page, so the link loads afresh (a hash change alone does not), and no sign-in redirect of the home page can cut in.
  await visitor.goto('about:blank');
  await visitor.goto(`${portal.baseUrl}/survey#token=${token}`);
  await visitor.getByText(/was already answered/).waitFor();
  await visitor.goto('about:blank');
  await visitor.goto(`${portal.baseUrl}/survey#token=${token.slice(0, -4)}AAAA`);
  await visitor.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
  await expectAccessible(visitor, 'the survey, forged link');
  await anonymous.close();
});
