/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { type Browser } from 'playwright-core';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { expectAccessible } from '@claims/deploy/src/testing/accessibility';
import { launchChromium, personContext, screenshot, signIn } from '@claims/deploy/src/testing/browser';
import { LifecycleFixture } from '@claims/workers/src/testing/lifecycle-fixture';

// Policy application across both apps, with the real workers and tables: a
// new client (nina: no customer record, no policy) gets a quote and applies from it on the extranet (a smoker, so the
// rules refer it) with a report attached, an underwriter offers cover from the staff app beside
// the questionnaire, the client accepts the offer, sees the policy and its
// schedule in "my documents", and a claim on the new policy is paid.

let life: LifecycleFixture;
let browser: Browser;
const year = new Date().getFullYear();

beforeAll(async () => {
  life = await LifecycleFixture.start('application-journey', { web: true });
  await life.startWorkers();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await life?.stop();
});

it('a new client quotes, applies, is underwritten, accepts the offer and is paid on the new policy', async () => {
  const base = life.portal.baseUrl;
  const client = await (await personContext(browser, 'phone')).newPage();
  await client.goto(`${base}/`);
  await signIn(client, 'nina');
  // A new client's home: no error, nothing to claim on, where to start.
  const noPolicy = client.getByRole('region', { name: 'You have no policy yet' });
  await noPolicy.waitFor();
  expect(await client.getByRole('alert').count()).toBe(0);
  expect(await client.getByRole('main').getByRole('link', { name: 'Request a reimbursement' }).count()).toBe(0);
  await expectAccessible(client, 'a new client\'s home');
  // The request form says there is nothing to claim on yet, and where to start.
  await client.goto(`${base}/claims/new`);
  await client.getByRole('heading', { name: 'No policy to claim on yet' }).waitFor();
  await client.goto(`${base}/`);

  await noPolicy.getByRole('link', { name: 'Get a quote' }).click();
  await client.getByLabel('Product', { exact: true }).selectOption({ label: 'Health Plus' });
  await client.getByLabel('Your date of birth').fill(`${year - 35}-03-01`);
  await client.getByLabel('Where you live').selectOption('urban');
  await client.getByLabel('How often you pay').selectOption('monthly');
  await client.getByRole('button', { name: 'Get my quote' }).click();
  await client.getByRole('heading', { name: 'Your quote' }).waitFor();

  await client.getByRole('link', { name: 'Apply for this cover' }).click();
  await client.getByRole('heading', { name: 'Apply for Health Plus' }).waitFor();
  await client.getByLabel('Full name').fill('Nina Fischer');
  await client.getByLabel('Height (cm)').fill('180');
  await client.getByLabel('Weight (kg)').fill('78');
  await client.getByLabel('Smokes or has smoked in the last 12 months').check();
  await client.getByLabel('Anything we should know').fill('Five cigarettes a day.');
  await client.getByLabel('Email').fill('nina@example.com');
  // Her account for reimbursements, first mistyped (the form names the field), then right.
  await client.getByLabel('Account holder').fill('Nina Fischer');
  await client.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 01');
  // She has her premiums taken from it too: the mandate is hers to give, by ticking the box.
  await client.getByLabel('Pay my premiums from this account by SEPA direct debit').check();
  await client.getByLabel('Medical reports or other papers').setInputFiles({ name: 'check-up.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% check-up\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n') });
  await expectAccessible(client, 'the application form');
  await screenshot(client, 'portal-application-form-phone');
  await client.getByRole('button', { name: 'Send my application' }).click();
  await client.getByText('fails its checksum (a character is mistyped)', { exact: true }).waitFor();
  await client.getByLabel('IBAN').fill('DE89 3704 0044 0532 0130 00');
  await client.getByRole('button', { name: 'Send my application' }).click();
  await client.getByTestId('application-status').filter({ hasText: 'With an underwriter' }).waitFor();
  await client.getByRole('listitem').filter({ hasText: 'check-up.pdf' }).waitFor();
  const applicationId = new URL(client.url()).pathname.split('/').pop()!;
  // Her home lists the application while it is decided.
  await client.goto(`${base}/`);
  await noPolicy.getByRole('link', { name: new RegExp(': Health Plus') }).waitFor();
  await client.goto(`${base}/applications/${applicationId}`);

  // The underwriter, on a desktop, opens the task beside the application.
  const file = await eventually(async () => {
    const found = (await life.portal.call('ursula', 'GET', `/underwriting/applications/${applicationId}`)).body;
    return found?.processInstanceKey ? found : undefined;
  });
  const task = await eventually(async () => ((await life.portal.call('ursula', 'GET', '/tasks?scope=open&processDefinitionId=policy-application')).body.items as any[]).find((t) => t.processInstanceKey === file.processInstanceKey), 30_000);
  const staff = await (await personContext(browser, 'desktop')).newPage();
  await staff.goto(`${base}/staff/tasks/${task.userTaskKey}`);
  await signIn(staff, 'ursula');
  await staff.getByRole('heading', { name: 'Your work' }).waitFor();
  await staff.getByRole('heading', { name: 'Health questionnaire' }).waitFor();
  expect(await staff.getByTestId('rules-outcome').innerText()).toMatch(/refer: Smoker/i);
  await staff.getByText('Five cigarettes a day.').waitFor();
  await staff.getByRole('button', { name: 'check-up.pdf' }).waitFor();
  await staff.getByRole('button', { name: 'Claim' }).click();
  await staff.getByTestId('assignee').filter({ hasText: 'ursula' }).waitFor();
  await staff.getByLabel('Offer cover').check();
  await expectAccessible(staff, 'the underwriting task');
  await screenshot(staff, 'staff-underwriting-task-desktop');
  await staff.getByRole('button', { name: 'Complete task' }).click();
  await staff.getByText('Underwrite application completed.').waitFor();

  // The client accepts the offer on the page left open; she was told of it by email, with its validity date.
  await client.getByRole('button', { name: 'Accept the offer' }).waitFor({ timeout: 30_000 });
  expect((await life.mailTo('nina@example.com', ': your offer for Health Plus')).Text).toMatch(/valid until/);
  await expectAccessible(client, 'an offer');
  await client.getByRole('button', { name: 'Accept the offer' }).click();
  await client.getByTestId('application-status').filter({ hasText: 'Policy issued' }).waitFor({ timeout: 30_000 });
  const policyNumber = (await life.portal.call('nina', 'GET', `/applications/${applicationId}`)).body.policy.number as string;
  await client.getByText(policyNumber).waitFor();
  await client.getByRole('link', { name: 'my documents', exact: true }).click();
  await client.getByText(`Policy schedule ${policyNumber}`).waitFor();
  await expectAccessible(client, 'my documents');
  await screenshot(client, 'portal-my-documents-phone');
  await life.mailTo('nina@example.com', `Policy ${policyNumber}: you are insured`);
  // The policy is paid by direct debit from that account, under a mandate in its name.
  const methods = (await life.portal.call('nina', 'GET', '/me/payment-methods')).body.items as any[];
  expect(methods).toEqual([expect.objectContaining({ policyNumber, method: expect.objectContaining({ kind: 'sepa-direct-debit', ibanMasked: 'DE89 •••• 3000', accountHolder: 'Nina Fischer', mandateReference: expect.stringContaining(policyNumber) }) })]);
  // Home now shows the policy instead of "no policy yet".
  await client.goto(`${base}/`);
  await client.getByRole('heading', { name: new RegExp(policyNumber) }).waitFor();
  expect(await noPolicy.count()).toBe(0);

  // A claim on the new policy: care soon after the start is a fraud signal, so an adjuster looks; then it is paid.
  const { claimId } = await life.fileClaim('nina', policyNumber, [{ careCode: 'SPECIALIST', amount: 200 }]);
  const claim = await life.claimWhen(claimId, (c) => ['paid', 'payment-failed', 'in-review'].includes(c.status));
  if (claim.status === 'in-review') {
    const assess = await life.openTask(claimId, 'assess-claim', 'adam');
    expect((await life.portal.call('adam', 'POST', `/tasks/${assess.userTaskKey}/assignment`)).status).toBe(201);
    const presented = (await life.portal.call('adam', 'GET', `/tasks/${assess.userTaskKey}`)).body.variables;
    const items = (presented.items as any[]).map((row) => ({ itemId: row.itemId, label: row.label, amount: row.amount, decision: 'accept' }));
    expect((await life.portal.call('adam', 'POST', `/tasks/${assess.userTaskKey}/completion`, { json: { variables: { items, assessment: 'approve', decisionNote: 'New policy, care is plausible.' } } })).status).toBe(200);
  }
  // The account she gave on the application is her payment details: the claim is paid without the call center.
  expect((await life.claimWhen(claimId, (c) => ['paid', 'payment-failed'].includes(c.status))).status).toBe('paid');
  const paid = await life.claimWhen(claimId, (c) => c.status === 'paid');
  // The new policy's terms, as quoted: the 100.00 deductible first, then 80 % of the rest.
  expect(paid.policyId).toBe((await life.portal.call('nina', 'GET', `/applications/${applicationId}`)).body.policy.id);
  expect(paid.totalPaid).toBe(80);
}, 240_000);
