/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { upload } from '@claims/portal-api/src/testing/portal-fixture';
import { formatDate } from '../notifications/dates';
import { LifecycleFixture } from '../testing/lifecycle-fixture';

/**
 * bpmn/policy-application.bpmn on the engine with the real workers, the
 * portal API and the real decision tables: accepted at once; referred,
 * information asked and given, accepted by an underwriter; declined with
 * reasons; an offer left to expire and information never given (clock
 * pinned past the dates).
 */
let life: LifecycleFixture;
const DAY = 86_400_000;

beforeAll(async () => {
  life = await LifecycleFixture.start('applications');
  await life.startWorkers();
}, 120_000);

afterAll(async () => {
  await life?.stop();
});

const HEALTHY = { heightCm: 175, weightKg: 70, smoker: false, chronicCondition: false, hospitalisedLastFiveYears: false, ongoingTreatment: false };

/** A client gets a quote for themselves and applies from it with their answers. */
async function apply(client: string, answers: Partial<typeof HEALTHY> & { details?: string } = {}, birthDate = '1990-05-01'): Promise<Record<string, any>> {
  const quote = await life.portal.call(client, 'POST', '/quotes', { json: { productCode: 'HEALTH_PLUS', region: 'urban', deductibleCents: 10_000, paymentFrequency: 'monthly', insured: [{ role: 'policyholder', birthDate }] } });
  expect(quote.status).toBe(201);
  const applied = await life.portal.call(client, 'POST', '/applications', {
    json: { quoteId: quote.body.id, people: [{ role: 'policyholder', fullName: `${client} applicant`, birthDate }], questionnaire: [{ ...HEALTHY, ...answers }], contact: { email: `${client}@example.com` } },
  });
  expect(applied.status).toBe(201);
  expect(applied.body).toMatchObject({ status: 'submitted', yearlyPremiumCents: quote.body.yearlyPremiumCents });
  return applied.body as Record<string, any>;
}

async function applicationWhen(client: string, id: string, done: (a: Record<string, any>) => boolean, timeoutMs = 30_000): Promise<Record<string, any>> {
  let last: Record<string, any> = {};
  return eventually(async () => {
    last = (await life.portal.call(client, 'GET', `/applications/${id}`)).body as Record<string, any>;
    return done(last) ? last : undefined;
  }, timeoutMs).catch(() => {
    throw new Error(`application ${id} did not get there in time; last status ${last.status}`);
  });
}

/** The variables the process holds for an instance: none of them may carry a health answer. */
async function processVariables(processInstanceKey: string): Promise<Record<string, unknown>> {
  const found = await life.portal.engine.http('POST', '/v2/variables/search', { filter: { processInstanceKey }, page: { from: 0, limit: 100 } });
  return Object.fromEntries(((found.body as { items: { name: string; value: string }[] }).items).map((v) => [v.name, JSON.parse(v.value)]));
}

/**
 * Every variable value the engine holds, of all instances (the operations view
 * shows each): none may carry an underwriter's free text or a questionnaire answer.
 */
async function expectNoVariableHolds(...texts: string[]): Promise<void> {
  const values: string[] = [];
  for (let from = 0; ; from += 500) {
    const found = await life.portal.engine.http('POST', '/v2/variables/search', { page: { from, limit: 500 } });
    const items = (found.body as { items: { name: string; value: string }[] }).items;
    values.push(...items.map((v) => `${v.name}=${v.value}`));
    if (items.length < 500) break;
  }
  expect(values.length).toBeGreaterThan(0);
  for (const text of texts) expect(values.filter((v) => v.includes(text))).toEqual([]);
}

async function underwritingTask(who: string, processInstanceKey: string): Promise<Record<string, any>> {
  return eventually(async () => {
    const found = await life.portal.call(who, 'GET', '/tasks?scope=open&processDefinitionId=policy-application');
    return (found.body.items as Record<string, any>[] | undefined)?.find((t) => t.processInstanceKey === processInstanceKey && t.elementId === 'underwrite-application');
  });
}

async function underwrite(who: string, processInstanceKey: string, variables: Record<string, unknown>) {
  const task = await underwritingTask(who, processInstanceKey);
  expect((await life.portal.call(who, 'POST', `/tasks/${task.userTaskKey}/assignment`)).status).toBe(201);
  const done = await life.portal.call(who, 'POST', `/tasks/${task.userTaskKey}/completion`, { json: { variables } });
  expect(done.status).toBe(200);
  return task;
}

async function policiesNumbered(number: string) {
  return life.portal.portal.dataSource.query<{ id: string; status: string; annual_deductible: string; product_version_id: string }[]>('SELECT id, status, annual_deductible, product_version_id FROM policy WHERE number = $1', [number]);
}

it('accepts a healthy applicant at once: offer, acceptance (a replay issues nothing more), policy with its schedule PDF in my documents', async () => {
  const application = await apply('alice');
  const offered = await applicationWhen('alice', application.id, (a) => a.status === 'offered');
  // The offer holds 30 days (OFFER_VALIDITY).
  expect(Date.parse(offered.offer.validUntil) - Date.now()).toBeGreaterThan(29 * DAY);
  const accepted = await life.portal.call('alice', 'POST', `/applications/${application.id}/acceptance`);
  expect(accepted.status).toBe(200);
  expect(accepted.headers.get('idempotent-replayed')).toBeNull();
  const issued = await applicationWhen('alice', application.id, (a) => a.status === 'issued');
  expect(issued.policy.number).toMatch(/^POL-9\d{6,}$/);
  // Replays of the acceptance and of the worker's call answer the same policy, and no second one exists.
  const again = await life.portal.call('alice', 'POST', `/applications/${application.id}/acceptance`);
  expect(again.status).toBe(200);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  const reissued = await life.portal.call('worker', 'POST', `/internal/applications/${application.id}/policy`);
  expect(reissued.body).toMatchObject({ policyId: issued.policy.id, issued: false });
  const policies = await policiesNumbered(issued.policy.number);
  expect(policies).toEqual([expect.objectContaining({ id: issued.policy.id, status: 'active', annual_deductible: '100.00' })]);
  // The client sees the policy and its schedule.
  const mine = (await life.portal.call('alice', 'GET', '/me/policies')).body.items as { number: string }[];
  expect(mine.map((p) => p.number)).toContain(issued.policy.number);
  const documents = (await life.portal.call('alice', 'GET', '/me/documents')).body.items as Record<string, any>[];
  const schedule = documents.find((d) => d.policyNumber === issued.policy.number);
  expect(schedule).toMatchObject({ kind: 'policy-schedule', mediaType: 'application/pdf' });
  const pdf = await fetch(`${life.portal.baseUrl}/api/me/documents/${schedule!.id}/content`, { headers: { authorization: `Bearer ${await life.portal.token('alice')}` } });
  expect(pdf.status).toBe(200);
  expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  expect((await life.portal.call('bruno', 'GET', `/me/documents/${schedule!.id}/content`)).status).toBe(404);
  // Outcome codes reach the process, the answers do not.
  const variables = await processVariables((await life.portal.call('ursula', 'GET', `/underwriting/applications/${application.id}`)).body.processInstanceKey);
  expect(variables).toMatchObject({ applicationId: application.id, applicationOutcome: 'accept', reasonCodes: [] });
  expect(Object.keys(variables).filter((name) => /bmi|height|weight|smoker|chronic|hospital|treatment|questionnaire/i.test(name))).toEqual([]);
}, 90_000);

it('refers a smoker to an underwriter, who asks for information; the client answers; the underwriter offers; the client accepts', async () => {
  const application = await apply('bruno', { smoker: true, details: 'Ten cigarettes a day.' });
  await applicationWhen('bruno', application.id, (a) => a.status === 'referred');
  const file = (await life.portal.call('ursula', 'GET', `/underwriting/applications/${application.id}`)).body;
  expect(file).toMatchObject({ outcome: 'refer', reasonCodes: ['SMOKER'] });
  expect(file.insured[0].answers).toMatchObject({ smoker: true, details: 'Ten cigarettes a day.' });
  expect(file.insured[0].facts.bmi).toBe(22.9);
  // The client is not told the rules' internals while it is under review.
  expect((await life.portal.call('bruno', 'GET', `/applications/${application.id}`)).body).not.toHaveProperty('reasonCodes');
  await underwrite('ursula', file.processInstanceKey, { underwritingDecision: 'request-information', informationKind: 'medical-exam', informationRequest: 'Please have a lung function test and send us its report.', underwritingNote: 'Check the spirometry.' });
  const asked = await applicationWhen('bruno', application.id, (a) => a.status === 'information-requested');
  expect(asked.informationRequest).toMatchObject({ question: 'Please have a lung function test and send us its report.', kind: 'medical-exam', answered: false });
  expect(JSON.stringify(asked)).not.toContain('spirometry');
  // The exam's report goes with the answer; the underwriter reads it, the reading audited.
  const report = Buffer.from('%PDF-1.4\n% spirometry report\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const sent = await life.portal.call('bruno', 'POST', `/applications/${application.id}/documents`, { form: upload(new FormData(), 'file', report, 'spirometry.pdf', 'application/pdf') });
  expect(sent.status).toBe(201);
  const read = await fetch(`${life.portal.baseUrl}/api/underwriting/applications/${application.id}/documents/${sent.body.id}/content`, { headers: { authorization: `Bearer ${await life.portal.token('ursula')}` } });
  expect(Buffer.from(await read.arrayBuffer())).toEqual(report);
  expect((await life.portal.call('bruno', 'GET', `/applications/${application.id}`)).body.documents).toEqual([expect.objectContaining({ id: sent.body.id, name: 'spirometry.pdf', mediaType: 'application/pdf' })]);
  const answered = await life.portal.call('bruno', 'POST', `/applications/${application.id}/information`, { json: { answer: 'Test done on 3 December: normal lung function.' } });
  expect(answered.status).toBe(202);
  expect(answered.body.published).toBe(true);
  // Answering twice is refused: the underwriter is reading the first answer.
  expect((await life.portal.call('bruno', 'POST', `/applications/${application.id}/information`, { json: { answer: 'again' } })).status).toBe(409);
  const second = await underwritingTask('ursula', file.processInstanceKey);
  const reread = (await life.portal.call('ursula', 'GET', `/underwriting/applications/${application.id}`)).body;
  expect(reread.informationRequest.answer).toBe('Test done on 3 December: normal lung function.');
  await underwrite('ursula', file.processInstanceKey, { underwritingDecision: 'accept', underwritingNote: 'Normal spirometry.' });
  expect(second.userTaskKey).toBeDefined();
  await applicationWhen('bruno', application.id, (a) => a.status === 'offered');
  expect((await life.portal.call('bruno', 'POST', `/applications/${application.id}/acceptance`)).status).toBe(200);
  const issued = await applicationWhen('bruno', application.id, (a) => a.status === 'issued');
  expect(await policiesNumbered(issued.policy.number)).toHaveLength(1);
  // The underwriter's question and notes are on the application, not in the process.
  expect(reread.informationRequest.question).toBe('Please have a lung function test and send us its report.');
  await expectNoVariableHolds('lung function test', 'spirometry', 'Normal spirometry', 'Ten cigarettes a day');
}, 90_000);

it('declines at once with the rules\' reasons in words, and an underwriter\'s decline with the reason written for the client', async () => {
  const byRules = await apply('chloe', { weightKg: 130, heightCm: 170 });
  const declined = await applicationWhen('chloe', byRules.id, (a) => a.status === 'declined');
  expect(declined.declineReasons).toEqual(['The health information given is outside what this product covers.']);
  expect(JSON.stringify(declined)).not.toContain('BMI');
  expect((await life.portal.call('chloe', 'POST', `/applications/${byRules.id}/acceptance`)).status).toBe(409);

  const referred = await apply('chloe', { chronicCondition: true, details: 'Type 1 diabetes.' });
  await applicationWhen('chloe', referred.id, (a) => a.status === 'referred');
  const file = (await life.portal.call('ursula', 'GET', `/underwriting/applications/${referred.id}`)).body;
  await underwrite('ursula', file.processInstanceKey, { underwritingDecision: 'decline', declineReasonCode: 'UNDERWRITER_HEALTH_RISK', clientReason: 'We cannot cover an insulin-dependent diabetes on this product.', underwritingNote: 'HbA1c too high.' });
  const byUnderwriter = await applicationWhen('chloe', referred.id, (a) => a.status === 'declined');
  expect(byUnderwriter.declineReasons).toEqual(['After review, the health risk is outside what this product covers.', 'We cannot cover an insulin-dependent diabetes on this product.']);
  expect(JSON.stringify(byUnderwriter)).not.toContain('HbA1c');
  // The note for the file is kept on the application for staff; neither it nor the client's words nor the answers are variables.
  await expectNoVariableHolds('HbA1c', 'insulin-dependent', 'Type 1 diabetes');
  expect((await life.portal.portal.dataSource.query<{ underwriting_note: string }[]>('SELECT underwriting_note FROM policy_application WHERE id = $1', [referred.id]))[0]!.underwriting_note).toBe('HbA1c too high.');
}, 90_000);

it('lets an offer expire when the client does not accept it in time (clock pinned past its validity)', async () => {
  const application = await apply('alice', {}, '1985-02-03');
  await applicationWhen('alice', application.id, (a) => a.status === 'offered');
  await life.portal.engine.pinClock(Date.now() + 31 * DAY);
  try {
    await applicationWhen('alice', application.id, (a) => a.status === 'expired');
  } finally {
    await life.portal.engine.resetClock();
  }
  const late = await life.portal.call('alice', 'POST', `/applications/${application.id}/acceptance`);
  expect(late.status).toBe(409);
  expect((await life.portal.call('alice', 'GET', `/applications/${application.id}`)).body.policy).toBeNull();
}, 90_000);

it('declines when the information asked for never comes (clock pinned past the deadline)', async () => {
  const application = await apply('bruno', { hospitalisedLastFiveYears: true }, '1979-07-09');
  await applicationWhen('bruno', application.id, (a) => a.status === 'referred');
  const file = (await life.portal.call('ursula', 'GET', `/underwriting/applications/${application.id}`)).body;
  await underwrite('ursula', file.processInstanceKey, { underwritingDecision: 'request-information', informationKind: 'information', informationRequest: 'Please send the discharge letter of your stay in hospital.' });
  await applicationWhen('bruno', application.id, (a) => a.status === 'information-requested');
  await life.portal.engine.pinClock(Date.now() + 15 * DAY);
  try {
    const declined = await applicationWhen('bruno', application.id, (a) => a.status === 'declined');
    expect(declined.declineReasons).toEqual(['We did not receive the information we asked for by its deadline.']);
    await expectNoVariableHolds('discharge letter');
  } finally {
    await life.portal.engine.resetClock();
  }
}, 90_000);

it('sends a referred application above the underwriters\' authority to a manager (underwriting-authority table)', async () => {
  const insured = [{ role: 'policyholder', birthDate: '1960-01-01' }, { role: 'dependant', birthDate: '1962-01-01' }, { role: 'dependant', birthDate: '1995-01-01' }, { role: 'dependant', birthDate: '1997-01-01' }];
  const quote = await life.portal.call('chloe', 'POST', '/quotes', { json: { productCode: 'HEALTH_PREMIUM', region: 'metropolitan', deductibleCents: 0, paymentFrequency: 'yearly', insured } });
  expect(quote.status).toBe(201);
  expect(quote.body.yearlyPremiumCents).toBeGreaterThan(300_000);
  const applied = await life.portal.call('chloe', 'POST', '/applications', {
    json: { quoteId: quote.body.id, people: insured.map((p, i) => ({ ...p, fullName: `Person ${i + 1}` })), questionnaire: insured.map((_p, i) => ({ ...HEALTHY, smoker: i === 0 })), contact: { email: 'chloe@example.com' } },
  });
  expect(applied.status).toBe(201);
  await applicationWhen('chloe', applied.body.id, (a) => a.status === 'referred');
  const file = (await life.portal.call('maria', 'GET', `/underwriting/applications/${applied.body.id}`)).body;
  const task = await underwritingTask('maria', file.processInstanceKey);
  expect(task.candidateGroups).toEqual(['manager']);
  // Beyond her authority, the underwriter does not see it.
  const ursulas = (await life.portal.call('ursula', 'GET', '/tasks?scope=open&processDefinitionId=policy-application')).body.items as Record<string, any>[];
  expect(ursulas.map((t) => t.userTaskKey)).not.toContain(task.userTaskKey);
  await underwrite('maria', file.processInstanceKey, { underwritingDecision: 'accept' });
  await applicationWhen('chloe', applied.body.id, (a) => a.status === 'offered');
}, 90_000);

/** The mails the outbox holds for an address whose subject has `part`. */
function mailsAbout(address: string, part: string) {
  return life.outbox.mails.filter((m) => m.To.some((t) => t.Address === address) && m.Subject.includes(part));
}

it('tells a new client (no customer record yet) by email: information asked, offer with its validity date, policy issued; each once', async () => {
  expect((await life.portal.call('nina', 'GET', '/me')).body.customer).toBeNull();
  expect((await life.portal.call('nina', 'GET', '/me/policies')).body.items).toEqual([]);
  const application = await apply('nina', { smoker: true }, '1992-03-04');
  const address = 'nina@example.com';
  await applicationWhen('nina', application.id, (a) => a.status === 'referred');
  const file = (await life.portal.call('ursula', 'GET', `/underwriting/applications/${application.id}`)).body;
  await underwrite('ursula', file.processInstanceKey, { underwritingDecision: 'request-information', informationKind: 'information', informationRequest: 'How many cigarettes a day, and since when?', underwritingNote: 'Staff only: check the pack-years.' });
  const asked = await life.mailTo(address, `Application ${application.reference}: we need more information`);
  expect(asked.Text).toContain('How many cigarettes a day, and since when?');
  expect(asked.Text).toContain(`/applications/${application.id}`);
  expect(asked.Text).not.toContain('pack-years');
  expect((await life.portal.call('nina', 'POST', `/applications/${application.id}/information`, { json: { answer: 'Five a day since 2015.' } })).status).toBe(202);
  await underwritingTask('ursula', file.processInstanceKey);
  await underwrite('ursula', file.processInstanceKey, { underwritingDecision: 'accept' });
  const offered = await applicationWhen('nina', application.id, (a) => a.status === 'offered');
  const offer = await life.mailTo(address, `Application ${application.reference}: your offer`);
  // The validity date as the client reads it, the same day as on the extranet.
  expect(offer.Text).toContain(`valid until ${formatDate(offered.offer.validUntil)}`);
  expect((await life.portal.call('nina', 'POST', `/applications/${application.id}/acceptance`)).status).toBe(200);
  const issued = await applicationWhen('nina', application.id, (a) => a.status === 'issued');
  const policyMail = await life.mailTo(address, `Policy ${issued.policy.number}: you are insured`);
  expect(policyMail.Text).toContain(`/policies/${issued.policy.id}`);
  // She is a customer now, with the policy.
  expect(((await life.portal.call('nina', 'GET', '/me/policies')).body.items as { number: string }[]).map((p) => p.number)).toEqual([issued.policy.number]);
  // A repeated worker call (a retried job) sends nothing more: one mail per event.
  await life.portal.call('worker', 'POST', `/internal/applications/${application.id}/policy`);
  for (const part of [': we need more information', ': your offer']) expect(mailsAbout(address, `Application ${application.reference}${part}`)).toHaveLength(1);
  expect(mailsAbout(address, `Policy ${issued.policy.number}`)).toHaveLength(1);
}, 120_000);

it('tells a declined applicant why in words, never the codes or the underwriter\'s note', async () => {
  const referred = await apply('nina', { chronicCondition: true, details: 'Asthma.' }, '1992-03-04');
  await applicationWhen('nina', referred.id, (a) => a.status === 'referred');
  const file = (await life.portal.call('ursula', 'GET', `/underwriting/applications/${referred.id}`)).body;
  await underwrite('ursula', file.processInstanceKey, { underwritingDecision: 'decline', declineReasonCode: 'UNDERWRITER_HEALTH_RISK', clientReason: 'We cannot cover severe asthma on this product.', underwritingNote: 'Three admissions last year.' });
  await applicationWhen('nina', referred.id, (a) => a.status === 'declined');
  const mail = await life.mailTo('nina@example.com', `Application ${referred.reference}: we cannot offer`);
  expect(mail.Text).toContain('- After review, the health risk is outside what this product covers.');
  expect(mail.Text).toContain('- We cannot cover severe asthma on this product.');
  expect(mail.Text).not.toMatch(/UNDERWRITER_HEALTH_RISK|admissions/);
  expect(mailsAbout('nina@example.com', `Application ${referred.reference}`)).toHaveLength(1);
}, 90_000);
