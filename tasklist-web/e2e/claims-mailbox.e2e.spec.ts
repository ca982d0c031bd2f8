import nodemailer from 'nodemailer';
import { type Browser } from 'playwright-core';
import { checkAtBothSizes } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, signIn } from '@claims/deploy/src/testing/browser';
import { EmailIntake } from '@claims/portal-api/src/service/email-intake';
import { PortalFixture } from '@claims/portal-api/src/testing/portal-fixture';
import { SAMPLE_FILES } from '@claims/portal-api/src/testing/sample-files';

// A call-center agent works the claims mailbox's queue in the staff app: a
// receipt from an address no customer has, opened from the menu; she finds
// the client, files the mail as a draft for her, and sets a second mail
// (nothing attached) aside with a reason. Keyboard for the forms; axe-core
// and pictures at both sizes.

let portal: PortalFixture;
let browser: Browser;

async function receive(from: string, subject: string, attachments: { filename: string; content: Buffer }[]): Promise<string> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const { message } = (await composer.sendMail({ from, to: 'claims@claims.example', subject, text: 'Hello, here is my pharmacy receipt.', attachments })) as { message: Buffer };
  return (await portal.portal.app.get(EmailIntake).receive(message)).emailId;
}

beforeAll(async () => {
  portal = await PortalFixture.start('mailbox-e2e', { web: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

it('an agent files an unmatched receipt for the right client and sets another mail aside', async () => {
  const receipt = await receive('Alice M. <alice.home@elsewhere.example>', 'Pharmacy receipt', [{ filename: 'pharmacy.pdf', content: SAMPLE_FILES.pdf }]);
  const empty = await receive('someone@elsewhere.example', 'Question', []);
  const page = await (await personContext(browser)).newPage();
  await page.goto(`${portal.baseUrl}/staff/`);
  await signIn(page, 'carla');
  const menuLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mailbox' });
  await menuLink.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Claims mailbox', level: 1 }).waitFor();
  const rows = page.getByRole('table', { name: 'Mail waiting for an agent' }).locator('tbody tr');
  await rows.first().waitFor();
  expect(await rows.count()).toBe(2);
  await checkAtBothSizes(page, 'claims-mailbox', { noSideScroll: true, afterwards: 'wide' });

  await page.getByRole('link', { name: 'Pharmacy receipt' }).click();
  await page.getByRole('heading', { name: 'Pharmacy receipt', level: 1 }).waitFor();
  // An agent may not read medical documents: the attachment by type and size, not by name; the client's text is not shown.
  await page.getByText('Attachment 1').waitFor();
  expect(await page.getByText('pharmacy.pdf').count()).toBe(0);
  await page.getByText('Shown to staff who may read medical documents.').waitFor();
  await checkAtBothSizes(page, 'claims-mailbox-mail', { noSideScroll: true, afterwards: 'wide' });
  // The sender's name is close to Alice's: she is offered; the agent checks by searching too.
  await page.getByLabel('Find a customer').fill('Alice Martin');
  await page.getByLabel('Find a customer').press('Enter');
  const alice = page.getByRole('radio', { name: /Alice Martin/ });
  await alice.first().waitFor();
  await alice.first().check();
  await page.getByRole('button', { name: 'File it' }).click();
  await page.getByRole('status').filter({ hasText: 'a draft claim was opened' }).waitFor();
  const [filed] = await portal.portal.dataSource.query<{ status: string; resolved_by: string; email: string }[]>('SELECT e.status, e.resolved_by, cu.email FROM intake_email e JOIN customer cu ON cu.id = e.customer_id WHERE e.id = $1', [receipt]);
  expect(filed).toEqual({ status: 'draft-opened', resolved_by: 'carla', email: 'alice@example.com' });

  await page.goto(`${portal.baseUrl}/staff/mailbox/${empty}`);
  await page.getByRole('heading', { name: 'Question', level: 1 }).waitFor();
  expect(await page.getByRole('button', { name: 'File it' }).isDisabled()).toBe(true);
  await page.getByLabel('Reason').focus();
  await page.keyboard.type('A question, answered by phone.');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Set aside.' }).waitFor();
  const [dismissed] = await portal.portal.dataSource.query<{ status: string; dismiss_reason: string }[]>('SELECT status, dismiss_reason FROM intake_email WHERE id = $1', [empty]);
  expect(dismissed).toEqual({ status: 'dismissed', dismiss_reason: 'A question, answered by phone.' });
  await page.goto(`${portal.baseUrl}/staff/mailbox`);
  await page.getByText('Nothing waiting.').waitFor();
});
