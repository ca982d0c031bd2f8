import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import path from 'node:path';
import { PortalFixture, upload, type HttpAnswer } from '../testing/portal-fixture';
import { SAMPLE_FILES } from '../testing/sample-files';

/**
 * Bad input is answered with application/problem+json naming what is at
 * fault, and nothing is written: no claim, no document row, no stored bytes,
 * no audit entry.
 */
describe('bad input to the portal API', () => {
  let portal: PortalFixture;
  let policyId: string;
  let claimId: string;

  beforeAll(async () => {
    portal = await PortalFixture.start('bad-input', { maxUploadMiB: 1 });
    await portal.deployTestProcess();
    policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id;
    claimId = (await portal.call('alice', 'POST', '/claims', { json: claim() })).body.id;
  });

  afterAll(() => portal?.stop());

  function claim(overrides: Record<string, unknown> = {}, item: Record<string, unknown> = {}) {
    return { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50, ...item }], ...overrides };
  }

  /** Runs `act`, then checks the answer is problem+json with `status` and that the tables did not change. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the problem body, read loosely
  async function refused(act: () => Promise<HttpAnswer>, status: number): Promise<any> {
    const tables = ['claim', 'claim_item', 'claim_event', 'document', 'document_version', 'audit_entry', 'client_notice'];
    const before = await Promise.all(tables.map((t) => portal.count(t)));
    const storedBefore = await storedFiles(portal);
    const answer = await act();
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    expect(await Promise.all(tables.map((t) => portal.count(t)))).toEqual(before);
    expect(await storedFiles(portal)).toEqual(storedBefore);
    return answer.body;
  }

  test('malformed JSON', async () => {
    const body = await refused(() => portal.call('alice', 'POST', '/claims', { raw: '{"policyId": "' }), 400);
    expect(body.detail).toMatch(/JSON/);
  });

  test('wrong types and unknown fields name each field at fault', async () => {
    const body = await refused(() => portal.call('alice', 'POST', '/claims', { json: { policyId: 42, items: [{ serviceDate: '01/10/2026', providerName: '', careCode: 'gp visit', amount: '50' }], approved: true } }), 400);
    expect(body.errors.map((e: { name: string }) => e.name).sort()).toEqual(['approved', 'items[0].amount', 'items[0].careCode', 'items[0].providerName', 'items[0].serviceDate', 'policyId']);
  });

  test('amounts with fractions of cents, no items, too many items, care in the future', async () => {
    expect((await refused(() => portal.call('alice', 'POST', '/claims', { json: claim({}, { amount: 10.001 }) }), 400)).errors[0].name).toBe('items[0].amount');
    expect((await refused(() => portal.call('alice', 'POST', '/claims', { json: claim({ items: [] }) }), 400)).errors[0].name).toBe('items');
    expect((await refused(() => portal.call('alice', 'POST', '/claims', { json: claim({ items: Array.from({ length: 51 }, () => claim().items[0]) }) }), 400)).errors[0].name).toBe('items');
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    expect((await refused(() => portal.call('alice', 'POST', '/claims', { json: claim({}, { serviceDate: future }) }), 400)).errors[0].name).toBe('items[0].serviceDate');
  });

  test('contracts: wrong types, unknown fields, impossible dates and shares name each field, and the contract does not change', async () => {
    const tables = ['policy_version', 'policy_member', 'policy_status_period', 'policy_renewal'];
    const before = await Promise.all(tables.map((t) => portal.count(t)));
    const names = (body: { errors: { name: string }[] }) => body.errors.map((e) => e.name).sort();
    const at = `/policies/${policyId}`;
    expect(names(await refused(() => portal.call('carla', 'POST', `${at}/endorsements`, { json: { effectiveFrom: '2026-02-30', deductibleCents: 100.5, addDependants: [{ fullName: '', relationship: 'cousin', birthDate: '04/05/2018' }], premium: 1 } }), 400))).toEqual(['addDependants[0].birthDate', 'addDependants[0].fullName', 'addDependants[0].relationship', 'deductibleCents', 'effectiveFrom', 'premium']);
    expect(names(await refused(() => portal.call('carla', 'POST', `${at}/endorsements`, { json: { effectiveFrom: '2026-12-01' } }), 422))).toEqual(['addDependants']);
    expect(names(await refused(() => portal.call('carla', 'POST', `${at}/endorsements`, { json: { effectiveFrom: '2000-01-01', deductibleCents: 1 } }), 422))).toEqual(['deductibleCents', 'effectiveFrom']);
    expect(names(await refused(() => portal.call('carla', 'POST', `${at}/cancellation`, { json: { effectiveFrom: 'soon' } }), 400))).toEqual(['effectiveFrom', 'reason']);
    expect(names(await refused(() => portal.call('carla', 'POST', `${at}/status-changes`, { json: { status: 'cancelled', effectiveFrom: '2026-12-01', reason: 'x' } }), 400))).toEqual(['status']);
    expect(names(await refused(() => portal.call('carla', 'POST', `${at}/status-changes`, { json: { status: 'lapsed', effectiveFrom: '2026-12-10', effectiveTo: '2026-12-01', reason: 'x' } }), 422))).toEqual(['effectiveTo']);
    expect(names(await refused(() => portal.call('carla', 'PUT', `${at}/beneficiaries`, { json: { effectiveFrom: '2026-12-01', beneficiaries: [{ fullName: 'Paul', relationship: 'spouse', sharePercent: 50.5 }] } }), 400))).toEqual(['beneficiaries[0].sharePercent']);
    expect(names(await refused(() => portal.call('carla', 'PUT', `${at}/beneficiaries`, { json: { effectiveFrom: '2026-12-01', beneficiaries: [{ fullName: 'Paul', relationship: 'spouse', sharePercent: 60 }, { fullName: 'Zoé', relationship: 'child', sharePercent: 30 }] } }), 422))).toEqual(['beneficiaries']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal${at}/renewal-offer`, { json: { termEndsOn: 'tomorrow' } }), 400))).toEqual(['termEndsOn']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal${at}/renewal-plan`, { json: { processInstanceKey: 'x' } }), 400))).toEqual(['processInstanceKey']);
    await refused(() => portal.call('carla', 'GET', '/policies/not-a-uuid/contract'), 404);
    await refused(() => portal.call('alice', 'GET', '/me/policies/00000000-0000-4000-8000-000000000000/contract'), 404);
    expect(await Promise.all(tables.map((t) => portal.count(t)))).toEqual(before);
  });

  test('quotes: wrong types, unknown fields, impossible dates and deductibles name each field, and no quote is kept', async () => {
    await portal.deployPricing();
    const quotes = await portal.count('quote');
    const quote = { productCode: 'HEALTH_PLUS', region: 'urban', deductibleCents: 10_000, paymentFrequency: 'monthly', insured: [{ role: 'policyholder', birthDate: '1990-05-01' }] };
    const names = (body: { errors: { name: string }[] }) => body.errors.map((e) => e.name).sort();
    expect(names(await refused(() => portal.call('alice', 'POST', '/quotes', { json: { ...quote, productCode: 'plus', region: 42, deductibleCents: 100.5, paymentFrequency: 'weekly', insured: [{ role: 'cousin', birthDate: '01/05/1990' }], price: 1 } }), 400))).toEqual(['deductibleCents', 'insured[0].birthDate', 'insured[0].role', 'paymentFrequency', 'price', 'productCode', 'region']);
    expect(names(await refused(() => portal.call('alice', 'POST', '/quotes', { json: { ...quote, insured: [] } }), 400))).toEqual(['insured']);
    expect(names(await refused(() => portal.call('alice', 'POST', '/quotes', { json: { ...quote, startsOn: '2026-02-30' } }), 400))).toEqual(['startsOn']);
    const future = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    expect(names(await refused(() => portal.call('alice', 'POST', '/quotes', { json: { ...quote, insured: [{ role: 'policyholder', birthDate: future }] } }), 422))).toEqual(['insured[0].birthDate']);
    expect(names(await refused(() => portal.call('alice', 'POST', '/quotes', { json: { ...quote, deductibleCents: 1 } }), 422))).toEqual(['deductibleCents']);
    const { productCode: _code, deductibleCents: _deductible, ...terms } = quote;
    expect(names(await refused(() => portal.call('alice', 'POST', '/quotes/comparison', { json: { ...terms, products: [{ productCode: 'HEALTH_PLUS', deductibleCents: 10_000 }] } }), 400))).toEqual(['products']);
    expect(names(await refused(() => portal.call('alice', 'POST', '/quotes/comparison', { json: { ...terms, products: [{ productCode: 'HEALTH_PLUS', deductibleCents: 10_000 }, { productCode: 'HEALTH_PLUS', deductibleCents: 25_000 }] } }), 422))).toEqual(['products[1].productCode']);
    await refused(() => portal.call('alice', 'POST', '/quotes', { raw: '{"productCode": ' }), 400);
    await refused(() => portal.call('alice', 'GET', '/quotes/not-a-uuid'), 404);
    await refused(() => portal.call('alice', 'GET', '/quotes/00000000-0000-4000-8000-000000000000'), 404);
    expect(await portal.count('quote')).toBe(quotes);
  });

  test('policy applications: wrong types, unknown fields, people unlike the quote and answers missing name each field, and nothing is kept', async () => {
    await portal.deployPricing();
    const quote = (await portal.call('alice', 'POST', '/quotes', { json: { productCode: 'HEALTH_PLUS', region: 'urban', deductibleCents: 10_000, paymentFrequency: 'monthly', insured: [{ role: 'policyholder', birthDate: '1990-05-01' }] } })).body;
    const healthy = { heightCm: 175, weightKg: 70, smoker: false, chronicCondition: false, hospitalisedLastFiveYears: false, ongoingTreatment: false };
    const application = { quoteId: quote.id, people: [{ role: 'policyholder', fullName: 'Alice Martin', birthDate: '1990-05-01' }], questionnaire: [healthy], contact: { email: 'alice@example.com' } };
    const names = (body: { errors: { name: string }[] }) => body.errors.map((e) => e.name).sort();
    const before = await portal.count('policy_application');
    expect(names(await refused(() => portal.call('alice', 'POST', '/applications', { json: { ...application, quoteId: 'q-1', people: [{ role: 'spouse', fullName: '', birthDate: '1990-5-1' }], questionnaire: [{ ...healthy, heightCm: 17.5, smoker: 'no' }], contact: { email: 'alice', phone: '0612' }, approved: true } }), 400))).toEqual(['approved', 'contact.email', 'contact.phone', 'people[0].birthDate', 'people[0].fullName', 'people[0].role', 'questionnaire[0].heightCm', 'questionnaire[0].smoker', 'quoteId']);
    expect(names(await refused(() => portal.call('alice', 'POST', '/applications', { json: { ...application, people: [{ ...application.people[0], birthDate: '1991-05-01' }] } }), 422))).toEqual(['people[0].birthDate']);
    expect(names(await refused(() => portal.call('alice', 'POST', '/applications', { json: { ...application, questionnaire: [healthy, healthy] } }), 422))).toEqual(['questionnaire']);
    // The account for reimbursements: a mistyped IBAN is named (checked as the payment details are), a missing holder too.
    expect(names(await refused(() => portal.call('alice', 'POST', '/applications', { json: { ...application, paymentAccount: { accountHolder: 'Alice Martin', iban: 'FR76 3000 6000 0112 3456 7890 188' } } }), 400))).toEqual(['paymentAccount.iban']);
    expect(names(await refused(() => portal.call('alice', 'POST', '/applications', { json: { ...application, paymentAccount: { iban: 42 } } }), 400))).toEqual(['paymentAccount.accountHolder', 'paymentAccount.iban']);
    // Another client's quote is not one of theirs.
    expect(names(await refused(() => portal.call('bruno', 'POST', '/applications', { json: application }), 422))).toEqual(['quoteId']);
    await refused(() => portal.call('alice', 'POST', '/applications', { raw: '{"quoteId": ' }), 400);
    await refused(() => portal.call('alice', 'GET', '/applications/not-a-uuid'), 404);
    await refused(() => portal.call('alice', 'POST', '/applications/00000000-0000-4000-8000-000000000000/information', { json: { answer: 'hello' } }), 404);
    expect(await portal.count('policy_application')).toBe(before);
    const made = await portal.call('alice', 'POST', '/applications', { json: application });
    expect(made.status).toBe(201);
    expect(names(await refused(() => portal.call('alice', 'POST', `/applications/${made.body.id}/information`, { json: { answer: '' } }), 400))).toEqual(['answer']);
    expect(names(await refused(() => portal.call('alice', 'POST', `/applications/${made.body.id}/documents`, { form: new FormData() }), 400))).toEqual(['file']);
    expect(await portal.count('application_document')).toBe(0);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/applications/${made.body.id}/assessment`, { json: { outcome: 'maybe', reasonCodes: ['bmi high'], processInstanceKey: 'x' } }), 400))).toEqual(['outcome', 'processInstanceKey', 'reasonCodes']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/applications/${made.body.id}/offer`, { json: { validUntil: 'next month' } }), 400))).toEqual(['validUntil']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/applications/${made.body.id}/decline`, { json: { reasonCodes: [] } }), 400))).toEqual(['reasonCodes']);
    await refused(() => portal.call('worker', 'GET', '/internal/applications/not-a-uuid/applicant-notice'), 404);
    // The same quote twice is one application.
    await refused(() => portal.call('alice', 'POST', '/applications', { json: application }), 409);
  });

  test('a body larger than the JSON limit', async () => {
    await refused(() => portal.call('alice', 'POST', '/claims', { json: claim({ description: 'x'.repeat(1_200_000) }) }), 413);
  });

  test('a replayed submission with another body under the same key', async () => {
    const first = await portal.call('alice', 'POST', '/claims', { json: claim(), headers: { 'idempotency-key': 'replay-1' } });
    expect(first.status).toBe(201);
    const body = await refused(() => portal.call('alice', 'POST', '/claims', { json: claim({}, { amount: 99 }), headers: { 'idempotency-key': 'replay-1' } }), 422);
    expect(body.errors[0].name).toBe('Idempotency-Key');
    await refused(() => portal.call('alice', 'POST', '/claims', { json: claim(), headers: { 'idempotency-key': 'bad key with spaces' } }), 400);
  });

  test('ids of the wrong form are answered as absent', async () => {
    await refused(() => portal.call('alice', 'GET', '/claims/not-a-uuid'), 404);
    await refused(() => portal.call('alice', 'GET', '/documents/..%2F..%2Fetc%2Fpasswd'), 404);
    await refused(() => portal.call('adam', 'GET', '/tasks/12ab'), 404);
  });

  /** Runs `act` and checks that it wrote nothing, whatever it answered. */
  async function writesNothing(act: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
    const tables = ['claim', 'claim_item', 'claim_event', 'document', 'audit_entry'];
    const before = await Promise.all(tables.map((t) => portal.count(t)));
    const answer = await act();
    expect(await Promise.all(tables.map((t) => portal.count(t)))).toEqual(before);
    return answer;
  }

  test('submitting a claim by an id of the wrong form, an unknown id, or another client\'s draft', async () => {
    await refused(() => portal.call('alice', 'POST', '/claims/not-a-uuid/submission'), 404);
    await refused(() => portal.call('alice', 'POST', '/claims/00000000-0000-4000-8000-000000000000/submission'), 404);
    await refused(() => portal.call('bruno', 'POST', `/claims/${claimId}/submission`), 404);
    await refused(() => portal.call('adam', 'POST', `/claims/${claimId}/submission`), 403);
    expect((await portal.call('alice', 'GET', `/claims/${claimId}`)).body.status).toBe('draft');
  });

  test('submitting twice, or at the same moment, is one submission; a claim already on its way is answered as it is', async () => {
    const draft = (await portal.call('alice', 'POST', '/claims', { json: claim({ description: 'twice' }) })).body.id as string;
    const events = await portal.count('claim_event');
    const answers = await Promise.all([1, 2, 3].map(() => portal.call('alice', 'POST', `/claims/${draft}/submission`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await portal.count('claim_event')).toBe(events + 1);
    const again = await writesNothing(() => portal.call('alice', 'POST', `/claims/${draft}/submission`));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // A claim further along (here declined) is not sent again, and no second process starts for it.
    const instances = await portal.processInstancesOf(draft);
    expect(instances).toHaveLength(1);
    await portal.call('worker', 'PATCH', `/internal/claims/${draft}`, { json: { status: 'rejected' } });
    const later = await writesNothing(() => portal.call('alice', 'POST', `/claims/${draft}/submission`));
    expect(later.status).toBe(200);
    expect((later.body as { status: string }).status).toBe('rejected');
    expect(await portal.processInstancesOf(draft)).toEqual(instances);
  });

  test('the workers cannot move a claim back to draft, nor record a process on a draft or with a malformed key', async () => {
    expect((await refused(() => portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'draft' } }), 400)).errors[0].name).toBe('status');
    expect((await refused(() => portal.call('worker', 'POST', `/internal/claims/${claimId}/process-instance`, { json: { processInstanceKey: '12ab' } }), 400)).errors[0].name).toBe('processInstanceKey');
    await refused(() => portal.call('worker', 'POST', `/internal/claims/${claimId}/process-instance`, { json: { processInstanceKey: '2251799813685249' } }), 409);
    await refused(() => portal.call('worker', 'POST', '/internal/claims/not-a-uuid/process-instance', { json: { processInstanceKey: '2251799813685249' } }), 404);
    await refused(() => portal.call('worker', 'GET', '/internal/claims/not-a-uuid/summary'), 404);
    await refused(() => portal.call('worker', 'GET', `/internal/claims/${randomUUID()}/summary`), 404);
  });

  test('an upload above the size limit', async () => {
    const big = Buffer.concat([SAMPLE_FILES.pdf, Buffer.alloc(1024 * 1024 + 10, 32)]);
    const body = await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(typed('receipt'), 'file', big, 'big.pdf') }), 413);
    expect(body.errors[0].name).toBe('file');
  });

  test('files whose content is not a document, or not what their name says', async () => {
    expect((await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(typed('receipt'), 'file', SAMPLE_FILES.exe, 'receipt.pdf', 'application/pdf') }), 415)).detail).toMatch(/receipt\.pdf/);
    expect((await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(typed('receipt'), 'file', SAMPLE_FILES.png, 'receipt.pdf', 'application/pdf') }), 415)).detail).toMatch(/named \.pdf but its content is image\/png/);
    await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(typed('receipt'), 'file', SAMPLE_FILES.text, 'notes.txt', 'text/plain') }), 415);
    await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(typed('receipt'), 'file', Buffer.alloc(0), 'empty.pdf') }), 400);
  });

  test('file names with path tricks or hidden characters', async () => {
    for (const name of ['../../etc/passwd.pdf', '..\\..\\boot.pdf', 'receipt\u202Efdp.exe', 'a\u0000b.pdf', '/abs/receipt.pdf']) {
      const body = await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(typed('receipt'), 'file', SAMPLE_FILES.pdf, name) }), 400);
      expect(body.errors[0].name).toMatch(/^(file|multipart)/);
    }
  });

  test('a missing file, an unknown document type, a search with a bad type', async () => {
    await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: typed('receipt') }), 400);
    expect((await refused(() => portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(typed('selfie'), 'file', SAMPLE_FILES.pdf, 'r.pdf') }), 400)).errors[0].name).toBe('type');
    await refused(() => portal.call('alice', 'GET', '/documents?type=selfie'), 400);
  });

  test('models that do not lint are not deployed, with every problem listed', async () => {
    const broken = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="x">
  <bpmn:process id="broken" isExecutable="true"><bpmn:startEvent id="start" /><bpmn:serviceTask id="orphan" /></bpmn:process>
</bpmn:definitions>`;
    const form = upload(upload(new FormData(), 'resources', Buffer.from(broken), 'broken.bpmn'), 'resources', Buffer.from('{"id": 1}'), 'bad.form');
    const before = await portal.engine.http('POST', '/v2/process-definitions/search', {});
    const body = await refused(() => portal.call('anna', 'POST', '/deployments', { form }), 422);
    const names = body.errors.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['broken.bpmn#orphan', 'broken.bpmn#start', 'bad.form']));
    expect(body.errors.filter((e: { name: string }) => e.name === 'broken.bpmn#orphan').map((e: { reason: string }) => e.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/task definition|TaskDefinition/i)]));
    const after = await portal.engine.http('POST', '/v2/process-definitions/search', {});
    expect((after.body as { items: unknown[] }).items).toHaveLength((before.body as { items: unknown[] }).items.length);
    await refused(() => portal.call('anna', 'POST', '/deployments', { form: upload(new FormData(), 'resources', Buffer.from('x'), 'run.sh') }), 400);
  });

  test('a shadow run or deployment with bad fields names the field', async () => {
    const form = (fields: Record<string, string>, file = true) => {
      const built = file ? upload(new FormData(), 'resources', Buffer.from('{"id":"f","type":"default","components":[]}'), 'f.form') : new FormData();
      for (const [name, value] of Object.entries(fields)) built.append(name, value);
      return built;
    };
    expect((await refused(() => portal.call('anna', 'POST', '/deployments/shadow-run', { form: form({}, false) }), 400)).errors[0].name).toBe('resources');
    expect((await refused(() => portal.call('anna', 'POST', '/deployments/shadow-run', { form: form({ claims: '0' }) }), 400)).errors[0].name).toBe('claims');
    expect((await refused(() => portal.call('anna', 'POST', '/deployments/shadow-run', { form: form({ claims: '2.5' }) }), 400)).errors[0].name).toBe('claims');
    // A diagram the replay cannot read is refused naming the file, not answered as "no change".
    const unreadable = upload(new FormData(), 'resources', Buffer.from('<definitions'), 'broken.bpmn');
    expect((await refused(() => portal.call('anna', 'POST', '/deployments/shadow-run', { form: unreadable }), 422)).errors[0].name).toBe('broken.bpmn');
    expect((await refused(() => portal.call('anna', 'POST', '/deployments', { form: form({ acceptChangedOutcomes: 'maybe' }) }), 400)).errors[0].name).toBe('acceptChangedOutcomes');
    expect((await refused(() => portal.call('anna', 'POST', '/deployments', { form: form({ acceptChangedOutcomes: 'true', shadowRunId: 'yes' }) }), 400)).errors[0].name).toBe('shadowRunId');    expect((await refused(() => portal.call('anna', 'GET', `/deployments/forms/${encodeURIComponent('<script>')}/latest`), 400)).errors[0].name).toBe('formId');
  });

  test('staff searches with bad parameters name the parameter', async () => {
    const search = async (url: string) => (await refused(() => portal.call('carla', 'GET', url), 400)).errors.map((e: { name: string }) => e.name);
    expect(await search('/staff/search/customers')).toEqual(['q']);
    expect(await search('/staff/search/customers?q=%20%20%20')).toEqual(['q']);
    expect(await search(`/staff/search/customers?q=${'x'.repeat(101)}`)).toEqual(['q']);
    expect(await search('/staff/search/customers?q=alice&limit=500')).toEqual(['limit']);
    expect(await search('/staff/search/customers?q=alice&sort=name')).toEqual(['sort']);
    expect(await search('/staff/search/claims?status=paid,lost')).toEqual(['status']);
    expect(await search('/staff/search/claims?status=draft')).toEqual(['status']);
    expect(await search('/staff/search/claims?route=scenic')).toEqual(['route']);
    expect(await search('/staff/search/claims?submittedFrom=yesterday')).toEqual(['submittedFrom']);
    expect(await search('/staff/search/claims?submittedFrom=2026-05-01&submittedTo=2026-04-01')).toEqual(['submittedTo']);
    expect(await search('/staff/search/claims?minAmount=abc')).toEqual(['minAmount']);
    expect(await search('/staff/search/claims?minAmount=10.001')).toEqual(['minAmount']);
    expect(await search('/staff/search/claims?minAmount=50&maxAmount=10')).toEqual(['maxAmount']);
    expect(await search('/staff/search/claims?customerId=42')).toEqual(['customerId']);
    expect(await search('/staff/search/claims?reference=ab')).toEqual(['reference']);
    expect(await search('/staff/search/claims?client=%20x%20')).toEqual(['client']);
    expect(await search('/staff/search/claims?offset=-1')).toEqual(['offset']);
  });

  test('operations requests with bad parameters name the parameter', async () => {
    const names = async (method: string, url: string, json?: unknown) => (await refused(() => portal.call('oscar', method, url, json === undefined ? {} : { json }), 400)).errors.map((e: { name: string }) => e.name);
    expect(await names('GET', '/operations/process-instances?state=RUNNING')).toEqual(['state']);
    expect(await names('GET', '/operations/process-instances?hasIncident=maybe')).toEqual(['hasIncident']);
    expect(await names('GET', '/operations/process-instances?version=0')).toEqual(['version']);
    expect(await names('GET', '/operations/process-instances?limit=500')).toEqual(['limit']);
    expect(await names('GET', '/operations/process-instances?processDefinitionId=%3Cscript%3E')).toEqual(['processDefinitionId']);
    expect(await names('GET', '/operations/process-instances/abc')).toEqual(['processInstanceKey']);
    expect(await names('GET', '/operations/incidents?offset=-1')).toEqual(['offset']);
    expect(await names('POST', '/operations/incidents/abc/retry', {})).toEqual(['incidentKey']);
    expect(await names('POST', '/operations/incidents/1/retry', { retries: 0 })).toEqual(['retries']);
    expect(await names('POST', '/operations/incidents/1/retry', { waitSeconds: 600 })).toEqual(['waitSeconds']);
    expect(await names('POST', '/operations/process-instances/x1/cancellation')).toEqual(['processInstanceKey']);
    expect(await names('POST', '/operations/process-instances/1/modification', { fromElementId: 'step' })).toEqual(['toElementId']);
    expect(await names('POST', '/operations/process-instances/1/modification', { fromElementId: 'a b', toElementId: 'c' })).toEqual(['fromElementId']);
    expect(await names('POST', '/operations/process-instances/1/migration', { targetProcessDefinitionKey: 'v2' })).toEqual(['targetProcessDefinitionKey']);
    expect(await names('POST', '/operations/process-instances/1/migration', { targetProcessDefinitionKey: '2', mappingInstructions: [{ sourceElementId: 'a' }] })).toEqual(['mappingInstructions[0].targetElementId']);
    expect(await names('POST', '/operations/batches', { type: 'delete', filter: { processDefinitionId: 'claim-reimbursement' } })).toEqual(['type']);
    expect(await names('POST', '/operations/batches', { type: 'cancel', filter: {} })).toEqual(['filter.processDefinitionId']);
    expect(await names('POST', '/operations/batches', { type: 'cancel', filter: { processDefinitionId: 'claim-reimbursement', hasIncident: 'yes' } })).toEqual(['filter.hasIncident']);
    expect(await names('POST', '/operations/batches', { type: 'modify', filter: { processDefinitionId: 'claim-reimbursement' } })).toEqual(['fromElementId']);
    expect(await names('POST', '/operations/batches', { type: 'migrate', filter: { processDefinitionId: 'claim-reimbursement' } })).toEqual(['targetProcessDefinitionKey']);
    expect(await names('POST', '/operations/batches', { type: 'migrate', filter: { processDefinitionId: 'claim-reimbursement' }, targetProcessDefinitionKey: '2' })).toEqual(['filter.version']);
    expect(await names('GET', '/operations/batches/xyz')).toEqual(['batchOperationKey']);
  });

  test('claims reports with bad ranges or filters name the parameter, for the report and its exports', async () => {
    const report = async (url: string) => (await refused(() => portal.call('maria', 'GET', url), 400)).errors.map((e: { name: string }) => e.name);
    expect(await report('/dashboards/claims?from=2026-11-30&to=2026-11-01')).toEqual(['to']);
    expect(await report('/dashboards/claims?from=2026-02-30')).toEqual(['from']);
    expect(await report('/dashboards/claims?from=2024-01-01&to=2026-01-01')).toEqual(['from']);
    expect(await report('/dashboards/claims.pdf?to=yesterday')).toEqual(['to']);
    expect(await report('/dashboards/claims.xlsx?route=scenic')).toEqual(['route']);
    expect(await report('/dashboards/claims?team=janitors')).toEqual(['team']);
    expect(await report('/dashboards/claims?format=csv')).toEqual(['format']);
  });

  test('a worker update naming another claim\'s item', async () => {
    const other = (await portal.call('alice', 'POST', '/claims', { json: claim() })).body;
    const body = await refused(() => portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { items: [{ id: other.items[0].id, status: 'rejected', reasonCode: 'NOT_COVERED' }] } }), 400);
    expect(body.errors[0].name).toBe('items[0].id');
  });

  test('bank details: a bad IBAN, a task of another claim, a role that may not, a claim that is not there', async () => {
    const bankDetails = async () => (await portal.portal.dataSource.query<{ iban: string | null; account_holder: string | null }[]>('SELECT c.iban, c.account_holder FROM customer c JOIN claim ON claim.customer_id = c.id WHERE claim.id = $1', [claimId]))[0];
    const before = await bankDetails();
    const put = (who: string, id: string, json: unknown) => portal.call(who, 'PUT', `/claims/${id}/payment-details`, { json });
    const good = { accountHolder: 'Alice Martin', iban: 'NL91 ABNA 0417 1643 00' };
    expect((await refused(() => put('carla', claimId, { ...good, iban: 'NL91 ABNA 0417 1643 01' }), 400)).errors).toEqual([{ name: 'iban', reason: 'fails its checksum (a character is mistyped)' }]);
    expect((await refused(() => put('carla', claimId, { ...good, iban: 'ZZ12 3456' }), 400)).errors).toEqual([{ name: 'iban', reason: 'does not start with a known country code' }]);
    expect((await refused(() => put('carla', claimId, { ...good, iban: 42 }), 400)).errors.map((e: { name: string }) => e.name)).toContain('iban');
    expect((await refused(() => put('carla', claimId, { iban: good.iban }), 400)).errors.map((e: { name: string }) => e.name)).toContain('accountHolder');
    expect((await refused(() => put('carla', claimId, { ...good, accountHolder: '  ' }), 400)).errors).toEqual([{ name: 'accountHolder', reason: 'must be the account holder\'s name' }]);
    expect((await refused(() => put('carla', claimId, { ...good, bic: 'ABNANL2A' }), 400)).errors.map((e: { name: string }) => e.name)).toEqual(['bic']);
    // The task named must be one of this claim's, not another claim's.
    const otherClaim = await portal.fileAndSubmit('alice', claim());
    const otherTask = await eventually(async () => (await portal.call('maria', 'GET', `/tasks?claimId=${otherClaim}`)).body.items?.[0]?.userTaskKey as string | undefined);
    expect((await refused(() => put('carla', claimId, { ...good, userTaskKey: otherTask }), 422)).errors).toEqual([{ name: 'userTaskKey', reason: 'is not a task of this claim' }]);
    expect((await refused(() => put('carla', claimId, { ...good, userTaskKey: 'not-a-key' }), 422)).errors[0].name).toBe('userTaskKey');
    for (const who of ['adam', 'ivan', 'alice', 'anna']) await refused(() => put(who, claimId, good), 403);
    await refused(() => put('carla', '3f0a4c1e-0000-4000-8000-000000000000', good), 404);
    await refused(() => put('carla', 'not-a-uuid', good), 404);
    expect(await bankDetails()).toEqual(before);
  });

  test('a benefit calculation with malformed decisions, and a payout of anything but the approved total', async () => {
    const calculation = await refused(() => portal.call('worker', 'POST', `/internal/claims/${claimId}/benefit-calculation`, { json: { items: [{ itemId: 'item-1', decision: 'maybe', approvedAmount: 10.001 }] } }), 400);
    expect(calculation.errors.map((e: { name: string }) => e.name).sort()).toEqual(['items[0].approvedAmount', 'items[0].decision', 'items[0].itemId']);
    const intent = await refused(() => portal.call('worker', 'POST', `/internal/claims/${claimId}/payout-intents`, { json: { amount: '12' } }), 400);
    expect(intent.errors[0].name).toBe('amount');
    await portal.portal.dataSource.query('UPDATE claim SET total_approved = 12 WHERE id = $1', [claimId]);
    const wrong = await refused(() => portal.call('worker', 'POST', `/internal/claims/${claimId}/payout-intents`, { json: { amount: 12.01 } }), 422);
    expect(wrong.errors).toEqual([{ name: 'amount', reason: "must equal the claim's approved total 12" }]);
    // What a claim pays is the calculation's alone: an update cannot write it.
    expect((await refused(() => portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { totalApproved: 99 } }), 400)).errors[0].name).toBe('totalApproved');
    expect((await refused(() => portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { breakdown: [] } }), 400)).errors[0].name).toBe('breakdown');
    expect(await portal.count('payout')).toBe(0);
  });

  // Premium billing (issue 19).
  test('invoice reads and billing runs with bad parameters name the parameter, and issue nothing', async () => {
    const invoices = () => portal.count('invoice');
    const before = await invoices();
    expect((await refused(() => portal.call('alice', 'GET', '/me/invoices/preview'), 400)).errors[0].name).toBe('policyId');
    expect((await refused(() => portal.call('alice', 'GET', '/me/invoices/preview?policyId=POL-100001'), 400)).errors[0].name).toBe('policyId');
    await refused(() => portal.call('alice', 'GET', '/me/invoices/not-an-id'), 404);
    expect((await refused(() => portal.call('admin', 'POST', '/billing/runs', { json: { billingDay: '2026-02-30' } }), 400)).errors[0].name).toBe('billingDay');
    expect((await refused(() => portal.call('admin', 'POST', '/billing/runs', { json: { billingDay: 20261201 } }), 400)).errors[0].name).toBe('billingDay');
    expect((await refused(() => portal.call('admin', 'POST', '/billing/runs', { json: { billingDay: '2026-12-01', leadDays: 400 } }), 400)).errors[0].name).toBe('leadDays');
    // Billing core fix: a run is for today or up to 31 days back; a day ahead or further back is refused, naming the day.
    const runDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    expect((await refused(() => portal.call('admin', 'POST', '/billing/runs', { json: { billingDay: runDay(1) } }), 422)).errors[0].name).toBe('billingDay');
    expect((await refused(() => portal.call('admin', 'POST', '/billing/runs', { json: { billingDay: runDay(-32) } }), 422)).errors[0].name).toBe('billingDay');
    expect(await invoices()).toBe(before);
  });

  // Customer service (issue 20): the interaction log, its corrections, phone claims, follow-ups and the timeline.
  test('customer service: bad contacts, follow-ups, phone claims and timeline cursors name the field, and nothing is logged', async () => {
    const customerId = (await portal.call('alice', 'GET', '/me')).body.customer.id as string;
    const counts = async () => Promise.all(['customer_interaction', 'follow_up'].map((t) => portal.count(t)));
    const before = await counts();
    const log = (json: unknown, headers: Record<string, string> = {}) => portal.call('carla', 'POST', `/customers/${customerId}/interactions`, { json, headers });
    const wrong = await refused(() => log({ channel: 'pigeon', direction: 'sideways', summary: '', claimId: 'x', occurredAt: 'yesterday', extra: 1 }), 400);
    expect(wrong.errors.map((e: { name: string }) => e.name).sort()).toEqual(['channel', 'claimId', 'direction', 'extra', 'occurredAt', 'summary']);
    const call = { channel: 'call', direction: 'in', summary: 'Asked about a refund' };
    expect((await refused(() => log({ ...call, summary: '   ' }), 400)).errors[0].name).toBe('summary');
    expect((await refused(() => log({ ...call, occurredAt: '2099-01-01T10:00:00Z' }), 400)).errors[0].name).toBe('occurredAt');
    expect((await refused(() => log({ ...call, followUp: { dueAt: '2020-01-01T10:00:00Z', assigneeTeam: 'call-center' } }), 400)).errors[0].name).toBe('followUp.dueAt');
    expect((await refused(() => log({ ...call, followUp: { dueAt: '2099-01-01T10:00', assigneeTeam: 'call-center' } }), 400)).errors[0].name).toBe('followUp.dueAt');
    expect((await refused(() => log({ ...call, followUp: { dueAt: '2099-01-01T10:00:00Z' } }), 400)).errors[0].name).toBe('followUp.assigneeAgent');
    expect((await refused(() => log({ ...call, followUp: { dueAt: '2099-01-01T10:00:00Z', assigneeTeam: 'everyone' } }), 400)).errors[0].name).toBe('followUp.assigneeTeam');
    expect((await refused(() => log({ ...call, policyId: '3f0a4c1e-0000-4000-8000-000000000000' }), 400)).errors[0].name).toBe('policyId');
    expect((await refused(() => log(call, { 'idempotency-key': 'bad key with spaces' }), 400)).errors[0].name).toBe('Idempotency-Key');
    await refused(() => portal.call('carla', 'POST', '/customers/not-a-uuid/interactions', { json: call }), 404);
    await refused(() => portal.call('carla', 'POST', `/customers/${customerId}/interactions/not-a-uuid/corrections`, { json: call, headers: { 'idempotency-key': 'bad-input-correction' } }), 404);
    // A correction needs an Idempotency-Key, so that a retry records it once.
    expect((await refused(() => portal.call('carla', 'POST', `/customers/${customerId}/interactions/3f0a4c1e-0000-4000-8000-000000000000/corrections`, { json: call }), 400)).errors[0].name).toBe('Idempotency-Key');
    expect((await refused(() => portal.call('carla', 'GET', `/customers/${customerId}/timeline?before=not-a-cursor`), 400)).errors[0].name).toBe('before');
    expect((await refused(() => portal.call('carla', 'GET', `/customers/${customerId}/timeline?limit=1000`), 400)).errors[0].name).toBe('limit');
    expect((await refused(() => portal.call('carla', 'POST', `/customers/${customerId}/claims`, { json: claim() }), 400)).errors[0].name).toBe('Idempotency-Key');
    const phone = (json: unknown) => portal.call('carla', 'POST', `/customers/${customerId}/claims`, { json, headers: { 'idempotency-key': 'bad-input-phone' } });
    expect((await refused(() => phone(claim({}, { amount: 10.001 })), 400)).errors[0].name).toBe('items[0].amount');
    expect((await refused(() => phone(claim({ callSummary: '' })), 400)).errors[0].name).toBe('callSummary');
    expect((await refused(() => portal.call('maria', 'POST', '/follow-ups/3f0a4c1e-0000-4000-8000-000000000000/closure', { json: { outcome: '' } }), 400)).errors[0].name).toBe('outcome');
    expect((await refused(() => portal.call('worker', 'POST', '/internal/follow-ups/3f0a4c1e-0000-4000-8000-000000000000/process-instance', { json: { processInstanceKey: 'abc' } }), 400)).errors[0].name).toBe('processInstanceKey');
    expect(await counts()).toEqual(before);
  });

  // Service intake (issue 20): the claims mailbox's queue, the agent figures and the public survey.
  test('the mailbox queue, the agent figures and the survey refuse bad input, naming the field', async () => {
    const [{ id: mailId }] = await portal.portal.dataSource.query<[{ id: string }]>(`INSERT INTO intake_email (message_id, from_address, subject, size_bytes, status, queue_reason) VALUES ('bad-input@test', 'x@elsewhere.example', 'Hi', 10, 'queued', 'no-attachment') RETURNING id`);
    const queueState = () => portal.portal.dataSource.query('SELECT status, customer_id, dismiss_reason FROM intake_email WHERE id = $1', [mailId]);
    const before = await queueState();
    expect((await refused(() => portal.call('carla', 'GET', '/service/intake?status=maybe'), 400)).errors[0].name).toBe('status');
    expect((await refused(() => portal.call('carla', 'GET', '/service/intake?limit=0'), 400)).errors[0].name).toBe('limit');
    await refused(() => portal.call('carla', 'GET', '/service/intake/not-a-uuid'), 404);
    expect((await refused(() => portal.call('carla', 'POST', `/service/intake/${mailId}/assignment`, { json: { customerId: 'someone' } }), 400)).errors[0].name).toBe('customerId');
    expect((await refused(() => portal.call('carla', 'POST', `/service/intake/${mailId}/assignment`, { json: { customerId: '3f0a4c1e-0000-4000-8000-000000000000' } }), 422)).errors[0].name).toBe('customerId');
    const aliceCustomer = (await portal.call('alice', 'GET', '/me')).body.customer.id as string;
    const claimOfNobody = await refused(() => portal.call('carla', 'POST', `/service/intake/${mailId}/assignment`, { json: { customerId: aliceCustomer, claimId: 'x' } }), 400);
    expect(claimOfNobody.errors[0].name).toBe('claimId');
    expect((await refused(() => portal.call('carla', 'POST', `/service/intake/${mailId}/dismissal`, { json: { reason: '' } }), 400)).errors[0].name).toBe('reason');
    expect((await refused(() => portal.call('carla', 'POST', `/service/intake/${mailId}/dismissal`, { json: { reason: 'x'.repeat(501) } }), 400)).errors[0].name).toBe('reason');
    expect(await queueState()).toEqual(before);
    expect((await refused(() => portal.call('maria', 'GET', '/dashboards/agents?from=2026-13-01'), 400)).errors[0].name).toBe('from');
    expect((await refused(() => portal.call('maria', 'GET', '/dashboards/agents?team=everyone'), 400)).errors[0].name).toBe('team');
    expect((await refused(() => portal.call('maria', 'GET', '/dashboards/agents?from=2026-11-30&to=2026-11-01'), 400)).errors[0].name).toBe('to');
    expect((await refused(() => portal.call(undefined, 'POST', '/surveys/lookup', { json: {} }), 400)).errors[0].name).toBe('token');
    expect((await refused(() => portal.call(undefined, 'POST', '/surveys/answer', { json: { token: 'a.b.c', score: 0 } }), 400)).errors[0].name).toBe('score');
    expect((await refused(() => portal.call(undefined, 'POST', '/surveys/answer', { json: { token: 'a.b.c', score: 2.5 } }), 400)).errors[0].name).toBe('score');
    expect((await refused(() => portal.call(undefined, 'POST', '/surveys/answer', { json: { token: 'not a token', score: 3 } }), 400)).errors[0].name).toBe('token');
    expect((await refused(() => portal.call(undefined, 'POST', '/surveys/answer', { json: { token: 'a.b.c', score: 3, comment: 'x'.repeat(2001) } }), 400)).errors[0].name).toBe('comment');
    await refused(() => portal.call(undefined, 'POST', '/surveys/answer', { json: { token: 'aaaa.bbbb.cccc', score: 3 } }), 403);
    // A draft's care items (a draft opened from mailed receipts has none).
    expect((await refused(() => portal.call('alice', 'PUT', `/claims/${claimId}/items`, { json: { items: [] } }), 400)).errors[0].name).toBe('items');
    expect((await refused(() => portal.call('alice', 'PUT', `/claims/${claimId}/items`, { json: { items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 1.001 }] } }), 400)).errors[0].name).toBe('items[0].amount');
    await refused(() => portal.call('alice', 'PUT', '/claims/not-a-uuid/items', { json: { items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 1 }] } }), 404);
  });

  // Billing for staff (issue 19).
  test('billing: adjustments, decisions and reconciliation days with bad fields name the field, and nothing is asked, decided or posted', async () => {
    // Not billing_reconciliation: the daily sweep may store finished days at any moment.
    const tables = ['manual_adjustment', 'journal_entry'];
    const before = await Promise.all(tables.map((t) => portal.count(t)));
    const names = (body: { errors: { name: string }[] }) => body.errors.map((e) => e.name).sort();
    expect(names(await refused(() => portal.call('carla', 'POST', '/billing/adjustments', { json: { policyId: 'x', invoiceId: 7, cents: 10.5, code: 'Not A Code', reason: '', approvedBy: 'carla' } }), 400))).toEqual(['approvedBy', 'cents', 'code', 'invoiceId', 'policyId', 'reason']);
    expect(names(await refused(() => portal.call('carla', 'POST', '/billing/adjustments', { json: { policyId, cents: 0, reason: 'x' } }), 400))).toEqual(['cents']);
    expect(names(await refused(() => portal.call('carla', 'POST', '/billing/adjustments', { json: { policyId, cents: 100, reason: 'x' }, headers: { 'idempotency-key': 'a key with spaces' } }), 400))).toEqual(['Idempotency-Key']);
    expect(names(await refused(() => portal.call('carla', 'POST', '/billing/adjustments', { json: { policyId, invoiceId: '3f0a4c1e-0000-4000-8000-000000000000', cents: 100, reason: 'x' }, headers: { 'idempotency-key': 'bad-input-1' } }), 422))).toEqual(['invoiceId']);
    await refused(() => portal.call('carla', 'POST', '/billing/adjustments', { json: { policyId: '3f0a4c1e-0000-4000-8000-000000000000', cents: 100, reason: 'x' }, headers: { 'idempotency-key': 'bad-input-2' } }), 404);
    // Billing staff fixes: the key is required (a retry without one would adjust twice).
    expect(names(await refused(() => portal.call('carla', 'POST', '/billing/adjustments', { json: { policyId, cents: 100, reason: 'x' } }), 400))).toEqual(['Idempotency-Key']);
    expect(names(await refused(() => portal.call('maria', 'POST', '/billing/adjustments/3f0a4c1e-0000-4000-8000-000000000000/decision', { json: { decision: 'maybe' } }), 400))).toEqual(['decision']);
    await refused(() => portal.call('maria', 'POST', '/billing/adjustments/not-a-uuid/decision', { json: { decision: 'approve' } }), 404);
    expect(names(await refused(() => portal.call('maria', 'GET', '/billing/adjustments?status=stuck'), 400))).toEqual(['status']);
    expect(names(await refused(() => portal.call('maria', 'GET', '/billing/reconciliation?day=2026-02-30'), 400))).toEqual(['day']);
    expect(names(await refused(() => portal.call('maria', 'GET', '/billing/reconciliation'), 400))).toEqual(['day']);
    expect(names(await refused(() => portal.call('maria', 'GET', '/billing/reconciliation?day=2999-01-01'), 422))).toEqual(['day']);
    expect(names(await refused(() => portal.call('carla', 'POST', `/policies/${policyId}/cancellation`, { json: { effectiveFrom: '2026-12-20', reason: 'x', cancellationReason: 'bored' } }), 400))).toEqual(['cancellationReason']);
    await refused(() => portal.call('maria', 'GET', '/billing/customers/not-a-uuid'), 404);
    await refused(() => portal.call('maria', 'GET', '/billing/invoices/not-a-uuid/pdf'), 404);
    await refused(() => portal.call('alice', 'GET', '/me/invoices/not-a-uuid/pdf'), 404);
    expect(await Promise.all(tables.map((t) => portal.count(t)))).toEqual(before);
  });

  // Premium collections (issue 19): payment methods and the collection steps.
  test('premium collections: a bad IBAN, a card number instead of a token, an attempt 0, a decline without its code name each field, and nothing is kept', async () => {
    const tables = ['payment_method', 'collection_case', 'collection_attempt'];
    const before = await Promise.all(tables.map((t) => portal.count(t)));
    const names = (body: { errors: { name: string }[] }) => body.errors.map((e) => e.name).sort();
    const put = (json: unknown) => portal.call('alice', 'PUT', `/me/payment-methods/${policyId}`, { json });
    expect(names(await refused(() => put({ kind: 'cheque' }), 400))).toEqual(['kind']);
    expect(names(await refused(() => put({ kind: 'sepa-direct-debit', accountHolder: 'Alice Martin', iban: 'DE00 3704 0044 0532 0130 00' }), 400))).toEqual(['iban']);
    expect(names(await refused(() => put({ kind: 'sepa-direct-debit', iban: 'DE89 3704 0044 0532 0130 00' }), 400))).toEqual(['accountHolder']);
    expect(names(await refused(() => put({ kind: 'card', cardToken: '4242424242424242', cardLast4: '42' }), 400))).toEqual(['cardLast4', 'cardToken']);
    expect(names(await refused(() => put({ kind: 'card', cardToken: 'tok_visa', cardLast4: '4242', cardNumber: '4242424242424242' }), 400))).toEqual(['cardNumber']);
    await refused(() => portal.call('alice', 'PUT', '/me/payment-methods/not-a-uuid', { json: { kind: 'card', cardToken: 'tok_visa', cardLast4: '4242' } }), 404);
    await refused(() => portal.call('alice', 'POST', '/me/invoices/not-a-uuid/payment'), 404);
    await refused(() => portal.call('alice', 'GET', '/me/invoices/3f0a4c1e-0000-4000-8000-000000000000/collection'), 404);
    const invoice = '3f0a4c1e-0000-4000-8000-000000000000';
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/invoices/${invoice}/collection-plan`, { json: { processInstanceKey: 'x' } }), 400))).toEqual(['processInstanceKey']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/invoices/${invoice}/collection-attempts`, { json: { attempt: 0 } }), 400))).toEqual(['attempt']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/invoices/${invoice}/collection-attempts`, { json: { attempt: 1.5 } }), 400))).toEqual(['attempt']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/collection-attempts/${invoice}/outcome`, { json: { status: 'declined' } }), 400))).toEqual(['code', 'kind', 'reason']);
    expect(names(await refused(() => portal.call('worker', 'POST', `/internal/collection-attempts/${invoice}/outcome`, { json: { status: 'collected' } }), 400))).toEqual(['providerReference']);
    await refused(() => portal.call('worker', 'POST', `/internal/invoices/${invoice}/lapse`), 404);
    expect(names(await refused(() => portal.call('worker', 'POST', '/internal/collection-returns', { json: { providerPaymentId: '', code: 'M D06', kind: 'late' } }), 400))).toEqual(['code', 'kind', 'providerPaymentId', 'reason']);
    expect(await Promise.all(tables.map((t) => portal.count(t)))).toEqual(before);
  });
});

function typed(type: string): FormData {
  const form = new FormData();
  form.append('type', type);
  return form;
}

async function storedFiles(portal: PortalFixture): Promise<string[]> {
  return (await readdir(path.join(portal.folder, 'documents'), { recursive: true }).catch(() => [] as string[])).sort();
}
