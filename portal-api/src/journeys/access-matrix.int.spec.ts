import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { BillingService } from '../billing/billing.service';
import { PortalFixture, upload } from '../testing/portal-fixture';
import { SAMPLE_FILES } from '../testing/sample-files';
import { signSurveyLink } from '../service/survey-links';

/**
 * Every endpoint, called by every role (and by nobody), on ids the caller
 * owns and on ids that belong to someone else. Each row states the status
 * each caller must get; anything else is a leak or a lock-out, listed by
 * caller in the failure. Alice owns the claim, its document and its task;
 * Bruno is another client; Nina is a new client with no customer record
 * and no policy yet (true empty lists, never 403, for what is hers); ids of a claim nobody may reach answer 404 as if
 * absent. Ursula underwrites policy applications.
 */
const CALLERS = ['anonymous', 'alice', 'bruno', 'adam', 'maria', 'ivan', 'carla', 'anna', 'admin', 'oscar', 'ursula', 'worker', 'nina'] as const;
type Who = (typeof CALLERS)[number];

/** Staff who see every claim; oscar is operations. */
const STAFF_READ: Who[] = ['adam', 'maria', 'ivan', 'carla', 'oscar'];
const DOCUMENT_READERS: Who[] = ['alice', 'adam', 'maria', 'ivan'];
const ADJUSTERS: Who[] = ['adam', 'maria'];
/** Staff who may change a client's bank details from a claim: the call center (its "Fix payment details" task) and managers. */
const PAYMENT_FIXERS: Who[] = ['maria', 'carla'];
/** Who runs the processes (the operations view): operations and admins. */
const OPERATIONS: Who[] = ['admin', 'oscar'];
/** Staff who change contracts (mid-term changes, cancellation, states, beneficiaries): the call center and managers. */
const CONTRACT_EDITORS: Who[] = ['maria', 'carla'];
/** The customer 360 and its interaction log (issue 20): the call center, managers and adjusters; not investigators, operations or the rest. */
const CUSTOMER_SERVICE: Who[] = ['adam', 'maria', 'carla'];
/** Who files a claim for a client by phone and closes follow-ups: the call center and its team leads (managers). */
const CUSTOMER_AGENTS: Who[] = ['maria', 'carla'];
/** Staff who read billing (issue 19): the call center, managers and admins. */
const BILLING_READERS: Who[] = ['maria', 'carla', 'admin'];

/** The status per caller: listed callers get `ok`, the rest `otherwise`, anonymous 401. */
function expected(ok: Who[], okStatus: number, otherwise: number | Partial<Record<Who, number>>): Record<Who, number> {
  const result = {} as Record<Who, number>;
  for (const who of CALLERS) {
    if (who === 'anonymous') result[who] = 401;
    else if (ok.includes(who)) result[who] = okStatus;
    else result[who] = typeof otherwise === 'number' ? otherwise : (otherwise[who] ?? 403);
  }
  return result;
}

describe('access matrix: every endpoint, every role, own and foreign ids', () => {
  let portal: PortalFixture;
  const ids = {} as Record<'alicePolicy' | 'brunoPolicy' | 'claim' | 'brunoClaim' | 'draft' | 'document' | 'customer' | 'task' | 'processInstance' | 'quote' | 'application' | 'workerApplication' | 'applicationDocument', string>;

  beforeAll(async () => {
    portal = await PortalFixture.start('access');
    await portal.deployTestProcess();
    const policies = async (who: string) => (await portal.call(who, 'GET', '/me/policies')).body.items[0].id as string;
    ids.alicePolicy = await policies('alice');
    ids.brunoPolicy = await policies('bruno');
    const file = async (who: string, policyId: string) =>
      (await portal.call(who, 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] } })).body.id as string;
    ids.claim = await file('alice', ids.alicePolicy);
    ids.brunoClaim = await file('bruno', ids.brunoPolicy);
    ids.draft = await file('alice', ids.alicePolicy);
    await portal.portal.dataSource.query('UPDATE claim SET total_approved = 1 WHERE id = $1', [ids.brunoClaim]); // something to pay
    ids.document = (await portal.call('alice', 'POST', `/claims/${ids.claim}/documents`, { form: upload(withType('receipt'), 'file', SAMPLE_FILES.pdf, 'r.pdf') })).body.id;
    for (const [who, claimId] of [['alice', ids.claim], ['bruno', ids.brunoClaim]] as const) expect((await portal.call(who, 'POST', `/claims/${claimId}/submission`)).status).toBe(200);
    ids.customer = (await portal.call('alice', 'GET', '/me')).body.customer.id;
    // The first step of the process records its instance; no workers run here, so the test does.
    ids.processInstance = await eventually(async () => (await portal.processInstancesOf(ids.claim))[0]);
    expect((await portal.call('worker', 'POST', `/internal/claims/${ids.claim}/process-instance`, { json: { processInstanceKey: ids.processInstance } })).status).toBe(200);
    const task = await eventually(async () => (await portal.call('adam', 'GET', `/tasks?claimId=${ids.claim}`)).body.items?.[0]);
    ids.task = task.userTaskKey;
    await portal.deployPricing();
    ids.quote = (await portal.call('alice', 'POST', '/quotes', { json: quoteRequest() })).body.id;
    // No application process runs here: the applications stay as the rows below leave them.
    ids.application = (await portal.call('alice', 'POST', '/applications', { json: applicationFrom(ids.quote) })).body.id;
    const brunoQuote = (await portal.call('bruno', 'POST', '/quotes', { json: quoteRequest() })).body.id;
    ids.workerApplication = (await portal.call('bruno', 'POST', '/applications', { json: applicationFrom(brunoQuote) })).body.id;
    ids.applicationDocument = (await portal.call('alice', 'POST', `/applications/${ids.application}/documents`, { form: upload(new FormData(), 'file', SAMPLE_FILES.pdf, 'report.pdf') })).body.id;
  });

  // Service intake (issue 20): a queued mail with nothing to file, and a survey of alice's claim with its signed link.
  const intake = {} as Record<'queuedMail' | 'surveyId' | 'surveyToken', string>;
  /** Sets the survey unanswered or answered before a caller's try, so that no row depends on who called first. */
  const surveyAnswered = (answered: boolean) =>
    portal.portal.dataSource.query(answered ? `UPDATE satisfaction_survey SET answered_at = now(), score = 4 WHERE id = $1` : `UPDATE satisfaction_survey SET answered_at = NULL, score = NULL, comment = NULL WHERE id = $1`, [intake.surveyId]);
  beforeAll(async () => {
    const db = portal.portal.dataSource;
    intake.queuedMail = (await db.query<[{ id: string }]>(`INSERT INTO intake_email (message_id, from_address, subject, size_bytes, status, queue_reason) VALUES ('matrix@test', 'someone@elsewhere.example', 'Hello', 10, 'queued', 'no-attachment') RETURNING id`))[0].id;
    const [survey] = await db.query<[{ id: string; expires_at: Date }]>(`INSERT INTO satisfaction_survey (claim_id, customer_id, expires_at) SELECT id, customer_id, now() + interval '1 day' FROM claim WHERE id = $1 RETURNING id, expires_at`, [ids.claim]);
    const [{ value }] = await db.query<[{ value: string }]>(`SELECT value FROM service_secret WHERE name = 'survey-link'`);
    intake.surveyId = survey.id;
    intake.surveyToken = await signSurveyLink(new TextEncoder().encode(value), survey.id, survey.expires_at);
  });

  // Premium collections: an invoice of alice's with its collection case (no workers run here: the test plans it as the worker would).
  const collection = { invoice: '', absent: '3f0a4c1e-0000-4000-8000-00000000c011' };
  beforeAll(async () => {
    collection.invoice = await aliceInvoice();
    expect((await portal.call('worker', 'POST', `/internal/invoices/${collection.invoice}/collection-plan`, { json: { processInstanceKey: '1' } })).body.planned).toBe(true);
  });

  afterAll(() => portal?.stop());

  interface Row {
    readonly name: string;
    readonly call: (who: Who) => Promise<{ status: number }>;
    readonly expect: Record<Who, number>;
  }

  const as = (who: Who) => (who === 'anonymous' ? undefined : who);
  // Premium billing (issue 19): alice's next invoice, issued once by the billing service for the rows that read it.
  let aliceInvoiceId: Promise<string> | undefined;
  const aliceInvoice = () => (aliceInvoiceId ??= (async () => {
    const [schedule] = await portal.portal.dataSource.query<{ id: string; next: string }[]>(`SELECT id, to_char(next_period_start, 'YYYY-MM-DD') AS next FROM billing_schedule WHERE policy_id = $1`, [ids.alicePolicy]);
    const issued = await portal.portal.app.get(BillingService).issueInvoiceFor(schedule!.id, schedule!.next);
    if (issued.outcome !== 'invoice') throw new Error(`Expected an invoice for alice, but the billing service answered ${issued.outcome}.`);
    return issued.invoiceId;
  })());
  const rows: Row[] = [
    { name: 'GET /health', call: (who) => portal.call(as(who), 'GET', '/health'), expect: Object.fromEntries(CALLERS.map((w) => [w, 200])) as Record<Who, number> },
    { name: 'GET /me', call: (who) => portal.call(as(who), 'GET', '/me'), expect: expected([...CALLERS].filter((w) => w !== 'anonymous'), 200, 403) },
    { name: 'GET /me/policies', call: (who) => portal.call(as(who), 'GET', '/me/policies'), expect: expected(['alice', 'bruno', 'nina'], 200, 403) },
    { name: 'POST /claims on my policy', call: (who) => portal.call(as(who), 'POST', '/claims', { json: claimOn(ids.alicePolicy) }), expect: expected(['alice'], 201, { bruno: 404, nina: 403 }) }, // nina is told she has no policy to claim on
    { name: 'GET /claims', call: (who) => portal.call(as(who), 'GET', '/claims'), expect: expected(['alice', 'bruno', 'nina', ...STAFF_READ], 200, 403) },
    { name: 'GET /claims/:id (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/claims/${ids.claim}`), expect: expected(['alice', ...STAFF_READ], 200, 404) },
    { name: 'GET /claims/:id/live (alice\'s)', call: (who) => openStream(portal, as(who), `/claims/${ids.claim}/live`), expect: expected(['alice', ...STAFF_READ], 200, 404) },
    { name: 'GET /claims/:id (alice\'s draft)', call: (who) => portal.call(as(who), 'GET', `/claims/${ids.draft}`), expect: expected(['alice', ...STAFF_READ], 200, 404) },
    { name: 'POST /claims/:id/submission (alice\'s draft)', call: (who) => portal.call(as(who), 'POST', `/claims/${ids.draft}/submission`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'POST /claims/:id/submission (alice\'s, already sent)', call: (who) => portal.call(as(who), 'POST', `/claims/${ids.claim}/submission`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'POST /claims/:id/information (alice\'s, not waiting)', call: (who) => portal.call(as(who), 'POST', `/claims/${ids.claim}/information`, { json: { message: 'hello' } }), expect: expected(['alice', 'carla'], 409, 404) },
    { name: 'POST /claims/:id/documents (alice\'s)', call: (who) => portal.call(as(who), 'POST', `/claims/${ids.claim}/documents`, { form: upload(withType('other'), 'file', SAMPLE_FILES.png, 'x.png') }), expect: expected(DOCUMENT_READERS, 201, 404) },
    { name: 'GET /documents/:id (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/documents/${ids.document}`), expect: expected(DOCUMENT_READERS, 200, 404) },
    { name: 'GET /documents/:id/content (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/documents/${ids.document}/content`), expect: expected(DOCUMENT_READERS, 200, 404) },
    { name: 'POST /documents/:id/versions (alice\'s)', call: (who) => portal.call(as(who), 'POST', `/documents/${ids.document}/versions`, { form: upload(new FormData(), 'file', SAMPLE_FILES.pdf, 'v.pdf') }), expect: expected(DOCUMENT_READERS, 201, 404) },
    { name: 'GET /tasks', call: (who) => portal.call(as(who), 'GET', '/tasks'), expect: expected(['adam', 'maria', 'ivan', 'carla', 'anna', 'admin', 'oscar', 'ursula'], 200, 403) },
    { name: 'GET /tasks/:key (adjusters\')', call: (who) => portal.call(as(who), 'GET', `/tasks/${ids.task}`), expect: expected(ADJUSTERS, 200, { ivan: 404, carla: 404, anna: 404, admin: 404, oscar: 404, ursula: 404 }) },
    { name: 'GET /tasks/:key/context', call: (who) => portal.call(as(who), 'GET', `/tasks/${ids.task}/context`), expect: expected(ADJUSTERS, 200, { ivan: 404, carla: 404, anna: 404, admin: 404, oscar: 404, ursula: 404 }) },
    { name: 'DELETE /tasks/:key/assignment (not assigned)', call: (who) => portal.call(as(who), 'DELETE', `/tasks/${ids.task}/assignment`), expect: expected(ADJUSTERS, 409, { ivan: 404, carla: 404, anna: 404, admin: 404, oscar: 404, ursula: 404 }) },
    { name: 'POST /tasks/:key/completion (not assigned)', call: (who) => portal.call(as(who), 'POST', `/tasks/${ids.task}/completion`, { json: { variables: { decision: 'approve' } } }), expect: expected(ADJUSTERS, 409, { ivan: 404, carla: 404, anna: 404, admin: 404, oscar: 404, ursula: 404 }) },
    { name: 'POST /deployments/lint', call: (who) => portal.call(as(who), 'POST', '/deployments/lint', { form: upload(new FormData(), 'resources', Buffer.from('{"id":"f","type":"default","components":[]}'), 'f.form') }), expect: expected(['anna', 'admin'], 200, 403) },
    { name: 'POST /deployments/shadow-run', call: (who) => portal.call(as(who), 'POST', '/deployments/shadow-run', { form: upload(new FormData(), 'resources', Buffer.from('{"id":"f","type":"default","components":[]}'), 'f.form') }), expect: expected(['anna', 'admin'], 200, 403) },
    { name: 'GET /claims/request-form', call: (who) => portal.call(as(who), 'GET', '/claims/request-form'), expect: expected(['alice', 'bruno', 'nina'], 200, 403) },
    { name: 'GET /deployments/forms', call: (who) => portal.call(as(who), 'GET', '/deployments/forms'), expect: expected(['anna', 'admin'], 200, 403) },
    { name: 'GET /deployments/forms/:formId/latest', call: (who) => portal.call(as(who), 'GET', '/deployments/forms/claim-request/latest'), expect: expected(['anna', 'admin'], 200, 403) },
    { name: 'GET /deployments/processes', call: (who) => portal.call(as(who), 'GET', '/deployments/processes'), expect: expected(['anna', 'admin'], 200, 403) },
    { name: 'GET /audit', call: (who) => portal.call(as(who), 'GET', '/audit'), expect: expected(['admin'], 200, 403) },
    { name: 'GET /audit/verification', call: (who) => portal.call(as(who), 'GET', '/audit/verification'), expect: expected(['admin'], 200, 403) },
    { name: 'GET /internal/claims/:id', call: (who) => portal.call(as(who), 'GET', `/internal/claims/${ids.claim}`), expect: expected(['worker'], 200, 403) },
    { name: 'GET /internal/claims/:id/summary', call: (who) => portal.call(as(who), 'GET', `/internal/claims/${ids.claim}/summary`), expect: expected(['worker'], 200, 403) },
    { name: 'GET /internal/claims/:id/fraud-context', call: (who) => portal.call(as(who), 'GET', `/internal/claims/${ids.claim}/fraud-context`), expect: expected(['worker'], 200, 403) },
    { name: 'PATCH /internal/claims/:id', call: (who) => portal.call(as(who), 'PATCH', `/internal/claims/${ids.claim}`, { json: { message: 'note', visibleToClient: false } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/claims/:id/process-instance', call: (who) => portal.call(as(who), 'POST', `/internal/claims/${ids.claim}/process-instance`, { json: { processInstanceKey: ids.processInstance } }), expect: expected(['worker'], 200, 403) },
    { name: 'GET /internal/claims/:id/payment-details', call: (who) => portal.call(as(who), 'GET', `/internal/claims/${ids.claim}/payment-details`), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/claims/:id/benefit-calculation', call: (who) => portal.call(as(who), 'POST', `/internal/claims/${ids.claim}/benefit-calculation`, { json: { items: [{ decision: 'accept' }] } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/claims/:id/payout-intents', call: (who) => portal.call(as(who), 'POST', `/internal/claims/${ids.brunoClaim}/payout-intents`, { json: { amount: 1 } }), expect: expected(['worker'], 201, 403) },
    { name: 'POST /internal/claims/:id/payouts', call: (who) => portal.call(as(who), 'POST', `/internal/claims/${ids.brunoClaim}/payouts`, { json: { attemptKey: `matrix-${who}`, amount: 1, status: 'rejected', rejectionReason: 'test' } }), expect: expected(['worker'], 201, 403) },
    { name: 'GET /internal/customers/:id/contact', call: (who) => portal.call(as(who), 'GET', `/internal/customers/${ids.customer}/contact`), expect: expected(['worker'], 200, 403) },
    { name: 'GET /claims/:id/payment-details (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/claims/${ids.claim}/payment-details`), expect: expected(PAYMENT_FIXERS, 200, 403) },
    { name: 'PUT /claims/:id/payment-details (alice\'s)', call: (who) => portal.call(as(who), 'PUT', `/claims/${ids.claim}/payment-details`, { json: { accountHolder: 'Alice Martin', iban: 'DE89 3704 0044 0532 0130 00' } }), expect: expected(PAYMENT_FIXERS, 200, 403) },
    { name: 'PUT /claims/:id/payment-details (no such claim)', call: (who) => portal.call(as(who), 'PUT', '/claims/3f0a4c1e-0000-4000-8000-000000000000/payment-details', { json: { accountHolder: 'Alice Martin', iban: 'DE89 3704 0044 0532 0130 00' } }), expect: expected(PAYMENT_FIXERS, 404, 403) },
    { name: 'GET /products (public catalog)', call: (who) => portal.call(as(who), 'GET', '/products'), expect: Object.fromEntries(CALLERS.map((w) => [w, 200])) as Record<Who, number> },
    { name: 'GET /products/:code (public catalog)', call: (who) => portal.call(as(who), 'GET', '/products/HEALTH_PLUS'), expect: Object.fromEntries(CALLERS.map((w) => [w, 200])) as Record<Who, number> },
    { name: 'POST /quotes', call: (who) => portal.call(as(who), 'POST', '/quotes', { json: quoteRequest() }), expect: expected(['alice', 'bruno', 'nina'], 201, 403) },
    { name: 'POST /quotes/comparison', call: (who) => portal.call(as(who), 'POST', '/quotes/comparison', { json: comparisonRequest() }), expect: expected(['alice', 'bruno', 'nina'], 201, 403) },
    { name: 'GET /quotes', call: (who) => portal.call(as(who), 'GET', '/quotes'), expect: expected(['alice', 'bruno', 'nina'], 200, 403) },
    { name: 'GET /quotes/:id (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/quotes/${ids.quote}`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    // Prometheus scrapes without a token; counts only, no ids (metrics.int.spec.ts).
    { name: 'GET /metrics (outside /api)', call: async () => ({ status: (await fetch(`${portal.baseUrl}/metrics`)).status }), expect: Object.fromEntries(CALLERS.map((w) => [w, 200])) as Record<Who, number> },
    { name: 'GET /staff/search/claims', call: (who) => portal.call(as(who), 'GET', '/staff/search/claims?status=received,validating&limit=5'), expect: expected(STAFF_READ, 200, 403) },
    { name: 'GET /staff/search/customers', call: (who) => portal.call(as(who), 'GET', '/staff/search/customers?q=alice'), expect: expected(STAFF_READ, 200, 403) },
    // The operations view: the operations role and admins only. Actions on keys that name nothing answer 404 (or 422 for a token not there), changing nothing.
    { name: 'GET /operations/process-definitions', call: (who) => portal.call(as(who), 'GET', '/operations/process-definitions'), expect: expected(OPERATIONS, 200, 403) },
    { name: 'GET /operations/process-instances', call: (who) => portal.call(as(who), 'GET', '/operations/process-instances?hasIncident=false&limit=5'), expect: expected(OPERATIONS, 200, 403) },
    { name: 'GET /operations/process-instances/:key', call: (who) => portal.call(as(who), 'GET', `/operations/process-instances/${ids.processInstance}`), expect: expected(OPERATIONS, 200, 403) },
    { name: 'GET /operations/incidents', call: (who) => portal.call(as(who), 'GET', '/operations/incidents'), expect: expected(OPERATIONS, 200, 403) },
    { name: 'POST /operations/incidents/:key/retry (no such incident)', call: (who) => portal.call(as(who), 'POST', '/operations/incidents/1/retry', { json: {} }), expect: expected(OPERATIONS, 404, 403) },
    { name: 'POST /operations/process-instances/:key/cancellation (no such instance)', call: (who) => portal.call(as(who), 'POST', '/operations/process-instances/1/cancellation'), expect: expected(OPERATIONS, 404, 403) },
    { name: 'POST /operations/process-instances/:key/modification (no token there)', call: (who) => portal.call(as(who), 'POST', `/operations/process-instances/${ids.processInstance}/modification`, { json: { fromElementId: 'claim-closed', toElementId: 'assess-claim' } }), expect: expected(OPERATIONS, 422, 403) },
    { name: 'POST /operations/process-instances/:key/migration (no such version)', call: (who) => portal.call(as(who), 'POST', `/operations/process-instances/${ids.processInstance}/migration`, { json: { targetProcessDefinitionKey: '1' } }), expect: expected(OPERATIONS, 422, 403) },
    { name: 'POST /operations/batches (a process with no instance)', call: (who) => portal.call(as(who), 'POST', '/operations/batches', { json: { type: 'cancel', filter: { processDefinitionId: 'no-such-process' } } }), expect: expected(OPERATIONS, 201, 403) },
    { name: 'GET /operations/batches/:key (no such batch)', call: (who) => portal.call(as(who), 'GET', '/operations/batches/1'), expect: expected(OPERATIONS, 404, 403) },
    // Contracts (issue 18): staff who see claims read a contract; the call center and managers change it; the client reads and declines their own.
    { name: 'GET /policies/:id/contract (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/policies/${ids.alicePolicy}/contract`), expect: expected(STAFF_READ, 200, 403) },
    { name: 'POST /policies/:id/endorsements (outside the term)', call: (who) => portal.call(as(who), 'POST', `/policies/${ids.alicePolicy}/endorsements`, { json: { effectiveFrom: '2000-01-01', deductibleCents: 25_000 } }), expect: expected(CONTRACT_EDITORS, 422, 403) },
    { name: 'POST /policies/:id/cancellation (outside the term)', call: (who) => portal.call(as(who), 'POST', `/policies/${ids.alicePolicy}/cancellation`, { json: { effectiveFrom: '2000-01-01', reason: 'matrix' } }), expect: expected(CONTRACT_EDITORS, 422, 403) },
    { name: 'POST /policies/:id/status-changes (outside the term)', call: (who) => portal.call(as(who), 'POST', `/policies/${ids.alicePolicy}/status-changes`, { json: { status: 'suspended', effectiveFrom: '2000-01-01', reason: 'matrix' } }), expect: expected(CONTRACT_EDITORS, 422, 403) },
    { name: 'PUT /policies/:id/beneficiaries (alice\'s)', call: (who) => portal.call(as(who), 'PUT', `/policies/${ids.alicePolicy}/beneficiaries`, { json: { effectiveFrom: new Date().toISOString().slice(0, 10), beneficiaries: [{ fullName: 'Paul Martin', relationship: 'spouse', sharePercent: 60 }, { fullName: 'Zoé Martin', relationship: 'child', sharePercent: 40 }] } }), expect: expected(CONTRACT_EDITORS, 200, 403) },
    { name: 'PUT /policies/:id/beneficiaries (no such policy)', call: (who) => portal.call(as(who), 'PUT', '/policies/3f0a4c1e-0000-4000-8000-000000000000/beneficiaries', { json: { effectiveFrom: '2026-01-01', beneficiaries: [{ fullName: 'Paul Martin', relationship: 'spouse', sharePercent: 100 }] } }), expect: expected(CONTRACT_EDITORS, 404, 403) },
    { name: 'GET /me/policies/:id/contract (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/me/policies/${ids.alicePolicy}/contract`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'POST /me/policies/:id/renewal/decline (alice\'s, no offer)', call: (who) => portal.call(as(who), 'POST', `/me/policies/${ids.alicePolicy}/renewal/decline`), expect: expected(['alice'], 409, { bruno: 404, nina: 404 }) },
    { name: 'POST /internal/policies/:id/renewal-plan', call: (who) => portal.call(as(who), 'POST', `/internal/policies/${ids.brunoPolicy}/renewal-plan`, { json: { processInstanceKey: '1' } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/policies/:id/renewal-offer (another term)', call: (who) => portal.call(as(who), 'POST', `/internal/policies/${ids.brunoPolicy}/renewal-offer`, { json: { termEndsOn: '2000-01-01' } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/policies/:id/renewal (never offered)', call: (who) => portal.call(as(who), 'POST', `/internal/policies/${ids.brunoPolicy}/renewal`, { json: { termEndsOn: '2000-01-01' } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/policies/:id/expiry (another term)', call: (who) => portal.call(as(who), 'POST', `/internal/policies/${ids.brunoPolicy}/expiry`, { json: { termEndsOn: '2000-01-01' } }), expect: expected(['worker'], 409, 403) },
    { name: 'POST /applications (a quote applied from already)', call: (who) => portal.call(as(who), 'POST', '/applications', { json: applicationFrom(ids.quote) }), expect: expected(['alice'], 409, { bruno: 422, nina: 422 }) },
    { name: 'GET /applications', call: (who) => portal.call(as(who), 'GET', '/applications'), expect: expected(['alice', 'bruno', 'nina'], 200, 403) },
    { name: 'GET /applications/:id (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/applications/${ids.application}`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'POST /applications/:id/information (alice\'s, not waiting)', call: (who) => portal.call(as(who), 'POST', `/applications/${ids.application}/information`, { json: { answer: 'hello' } }), expect: expected(['alice'], 409, { bruno: 404, nina: 404 }) },
    { name: 'POST /applications/:id/acceptance (alice\'s, no offer)', call: (who) => portal.call(as(who), 'POST', `/applications/${ids.application}/acceptance`), expect: expected(['alice'], 409, { bruno: 404, nina: 404 }) },
    { name: 'POST /applications/:id/documents (alice\'s)', call: (who) => portal.call(as(who), 'POST', `/applications/${ids.application}/documents`, { form: upload(new FormData(), 'file', SAMPLE_FILES.png, 'x.png') }), expect: expected(['alice'], 201, { bruno: 404, nina: 404 }) },
    { name: 'GET /underwriting/applications/:id/documents/:id/content', call: (who) => portal.call(as(who), 'GET', `/underwriting/applications/${ids.application}/documents/${ids.applicationDocument}/content`), expect: expected(['ursula', 'maria'], 200, 403) },
    { name: 'GET /underwriting/applications/:id', call: (who) => portal.call(as(who), 'GET', `/underwriting/applications/${ids.application}`), expect: expected(['ursula', 'maria'], 200, 403) },
    { name: 'GET /me/documents', call: (who) => portal.call(as(who), 'GET', '/me/documents'), expect: expected(['alice', 'bruno', 'nina'], 200, 403) },
    { name: 'GET /me/documents/:id/content (no such document)', call: (who) => portal.call(as(who), 'GET', '/me/documents/3f0a4c1e-0000-4000-8000-000000000000/content'), expect: expected(['alice', 'bruno', 'nina'], 404, 403) },
    // The worker rows run in this order on bruno's application: assessed, asked, offered, expired; then no decline and no policy.
    { name: 'GET /internal/applications/:id/rule-inputs', call: (who) => portal.call(as(who), 'GET', `/internal/applications/${ids.workerApplication}/rule-inputs`), expect: expected(['worker'], 200, 403) },
    { name: 'GET /internal/applications/:id/applicant-notice', call: (who) => portal.call(as(who), 'GET', `/internal/applications/${ids.workerApplication}/applicant-notice`), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/applications/:id/assessment', call: (who) => portal.call(as(who), 'POST', `/internal/applications/${ids.workerApplication}/assessment`, { json: { outcome: 'refer', reasonCodes: ['SMOKER'], processInstanceKey: '1' } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/applications/:id/information-request', call: (who) => portal.call(as(who), 'POST', `/internal/applications/${ids.workerApplication}/information-request`, { json: { question: 'Please send your last check-up report.', kind: 'information', due: '2026-12-31T00:00:00Z' } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/applications/:id/offer', call: (who) => portal.call(as(who), 'POST', `/internal/applications/${ids.workerApplication}/offer`, { json: { validUntil: '2027-01-31T00:00:00Z' } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/applications/:id/expiry', call: (who) => portal.call(as(who), 'POST', `/internal/applications/${ids.workerApplication}/expiry`), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/applications/:id/decline (expired)', call: (who) => portal.call(as(who), 'POST', `/internal/applications/${ids.workerApplication}/decline`, { json: { reasonCodes: ['SMOKER'] } }), expect: expected(['worker'], 409, 403) },
    { name: 'POST /internal/applications/:id/policy (not accepted)', call: (who) => portal.call(as(who), 'POST', `/internal/applications/${ids.workerApplication}/policy`), expect: expected(['worker'], 409, 403) },
    // Managers (maria) and admins read the claims report and its exports.
    { name: 'GET /dashboards/claims', call: (who) => portal.call(as(who), 'GET', '/dashboards/claims?route=review'), expect: expected(['maria', 'admin'], 200, 403) },
    { name: 'GET /dashboards/claims.pdf', call: (who) => portal.call(as(who), 'GET', '/dashboards/claims.pdf'), expect: expected(['maria', 'admin'], 200, 403) },
    { name: 'GET /dashboards/claims.xlsx', call: (who) => portal.call(as(who), 'GET', '/dashboards/claims.xlsx'), expect: expected(['maria', 'admin'], 200, 403) },
    { name: 'POST /internal/notifications', call: (who) => portal.call(as(who), 'POST', '/internal/notifications', { json: { dedupKey: `matrix-${who}`, channel: 'email', recipient: 'a@example.com', template: 't' } }), expect: expected(['worker'], 200, 403) },
    // Premium billing (issue 19): a client reads their own invoices and next-invoice preview (another's: 404); operations and admins start a run (a day long past: nothing due).
    { name: 'GET /me/invoices', call: (who) => portal.call(as(who), 'GET', '/me/invoices'), expect: expected(['alice', 'bruno', 'nina'], 200, 403) },
    { name: 'GET /me/invoices/:id (alice\'s)', call: async (who) => portal.call(as(who), 'GET', `/me/invoices/${await aliceInvoice()}`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'GET /me/invoices/preview (alice\'s policy)', call: (who) => portal.call(as(who), 'GET', `/me/invoices/preview?policyId=${ids.alicePolicy}`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'POST /billing/runs (a day in the future)', call: (who) => portal.call(as(who), 'POST', '/billing/runs', { json: { billingDay: '2999-01-01' } }), expect: expected(OPERATIONS, 422, 403) },
    // Customer service (issue 20): the 360 page, the interaction log and its corrections for the call center, managers and adjusters;
    // phone claims and follow-up closing for the call center and managers; the follow-up process's steps for the workers.
    { name: 'GET /customers/:id/overview (alice)', call: (who) => portal.call(as(who), 'GET', `/customers/${ids.customer}/overview`), expect: expected(CUSTOMER_SERVICE, 200, 403) },
    { name: 'GET /customers/:id/overview (no such customer)', call: (who) => portal.call(as(who), 'GET', '/customers/3f0a4c1e-0000-4000-8000-000000000000/overview'), expect: expected(CUSTOMER_SERVICE, 404, 403) },
    { name: 'GET /customers/:id/timeline (alice)', call: (who) => portal.call(as(who), 'GET', `/customers/${ids.customer}/timeline?limit=5`), expect: expected(CUSTOMER_SERVICE, 200, 403) },
    { name: 'POST /customers/:id/interactions (alice)', call: (who) => portal.call(as(who), 'POST', `/customers/${ids.customer}/interactions`, { json: { channel: 'call', direction: 'in', summary: `matrix call by ${who}` } }), expect: expected(CUSTOMER_SERVICE, 201, 403) },
    { name: 'POST /customers/:id/interactions/:id/corrections (no such interaction)', call: (who) => portal.call(as(who), 'POST', `/customers/${ids.customer}/interactions/3f0a4c1e-0000-4000-8000-000000000000/corrections`, { json: { channel: 'call', direction: 'in', summary: 'corrected' }, headers: { 'idempotency-key': `matrix-correction-${who}` } }), expect: expected(CUSTOMER_SERVICE, 404, 403) },
    { name: 'POST /customers/:id/claims (on another customer\'s policy)', call: (who) => portal.call(as(who), 'POST', `/customers/${ids.customer}/claims`, { json: claimOn(ids.brunoPolicy), headers: { 'idempotency-key': `matrix-${who}` } }), expect: expected(CUSTOMER_AGENTS, 404, 403) },
    { name: 'POST /follow-ups/:id/closure (no such follow-up)', call: (who) => portal.call(as(who), 'POST', '/follow-ups/3f0a4c1e-0000-4000-8000-000000000000/closure', { json: { outcome: 'done' } }), expect: expected(CUSTOMER_AGENTS, 404, 403) },
    { name: 'POST /internal/follow-ups/:id/process-instance (no such follow-up)', call: (who) => portal.call(as(who), 'POST', '/internal/follow-ups/3f0a4c1e-0000-4000-8000-000000000000/process-instance', { json: { processInstanceKey: '1' } }), expect: expected(['worker'], 404, 403) },
    { name: 'POST /internal/follow-ups/:id/escalation (no such follow-up)', call: (who) => portal.call(as(who), 'POST', '/internal/follow-ups/3f0a4c1e-0000-4000-8000-000000000000/escalation'), expect: expected(['worker'], 404, 403) },
    { name: 'POST /internal/follow-ups/:id/closure (no such follow-up)', call: (who) => portal.call(as(who), 'POST', '/internal/follow-ups/3f0a4c1e-0000-4000-8000-000000000000/closure', { json: {} }), expect: expected(['worker'], 404, 403) },
    // Service intake (issue 20): the claims mailbox's queue (call center and managers), the agent figures (dashboard readers),
    // and the public survey, where the signed link is the only credential (the same answer whoever calls, signed in or not).
    { name: 'GET /service/intake', call: (who) => portal.call(as(who), 'GET', '/service/intake'), expect: expected(['maria', 'carla'], 200, 403) },
    { name: 'GET /service/intake/:id', call: (who) => portal.call(as(who), 'GET', `/service/intake/${intake.queuedMail}`), expect: expected(['maria', 'carla'], 200, 403) },
    { name: 'GET /service/intake/:id (no such mail)', call: (who) => portal.call(as(who), 'GET', '/service/intake/3f0a4c1e-0000-4000-8000-000000000000'), expect: expected(['maria', 'carla'], 404, 403) },
    { name: 'POST /service/intake/:id/assignment (nothing to file)', call: (who) => portal.call(as(who), 'POST', `/service/intake/${intake.queuedMail}/assignment`, { json: { customerId: ids.customer } }), expect: expected(['maria', 'carla'], 422, 403) },
    { name: 'POST /service/intake/:id/dismissal (maria first, then handled)', call: (who) => portal.call(as(who), 'POST', `/service/intake/${intake.queuedMail}/dismissal`, { json: { reason: 'Not a claim.' } }), expect: expected(['maria'], 200, { carla: 409 }) },
    { name: 'PUT /claims/:id/items (alice\'s, already sent)', call: (who) => portal.call(as(who), 'PUT', `/claims/${ids.claim}/items`, { json: { items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] } }), expect: expected(['alice'], 409, { bruno: 404, nina: 404 }) },
    { name: 'GET /dashboards/agents', call: (who) => portal.call(as(who), 'GET', '/dashboards/agents'), expect: expected(['maria', 'admin'], 200, 403) },
    { name: 'POST /surveys/lookup (valid link)', call: async (who) => (await surveyAnswered(false), portal.call(as(who), 'POST', '/surveys/lookup', { json: { token: intake.surveyToken } })), expect: Object.fromEntries(CALLERS.map((w) => [w, 200])) as Record<Who, number> },
    { name: 'POST /surveys/lookup (forged link)', call: (who) => portal.call(as(who), 'POST', '/surveys/lookup', { json: { token: `${intake.surveyToken.slice(0, -4)}AAAA` } }), expect: Object.fromEntries(CALLERS.map((w) => [w, 403])) as Record<Who, number> },
    { name: 'POST /surveys/answer (unanswered link)', call: async (who) => (await surveyAnswered(false), portal.call(as(who), 'POST', '/surveys/answer', { json: { token: intake.surveyToken, score: 5 } })), expect: Object.fromEntries(CALLERS.map((w) => [w, 200])) as Record<Who, number> },
    { name: 'POST /surveys/answer (answered already)', call: async (who) => (await surveyAnswered(true), portal.call(as(who), 'POST', '/surveys/answer', { json: { token: intake.surveyToken, score: 5 } })), expect: Object.fromEntries(CALLERS.map((w) => [w, 409])) as Record<Who, number> },
    // Billing for staff (issue 19): the call center, managers and admins read; the call center and managers ask for adjustments; managers decide; the client reads their own invoice PDF.
    { name: 'GET /billing/customers/:id (alice)', call: (who) => portal.call(as(who), 'GET', `/billing/customers/${ids.customer}`), expect: expected(BILLING_READERS, 200, 403) },
    { name: 'GET /billing/arrears', call: (who) => portal.call(as(who), 'GET', '/billing/arrears'), expect: expected(BILLING_READERS, 200, 403) },
    { name: 'GET /billing/invoices/:id/pdf (no such invoice)', call: (who) => portal.call(as(who), 'GET', '/billing/invoices/3f0a4c1e-0000-4000-8000-000000000000/pdf'), expect: expected(BILLING_READERS, 404, 403) },
    { name: 'GET /billing/reconciliation', call: (who) => portal.call(as(who), 'GET', `/billing/reconciliation?day=${new Date().toISOString().slice(0, 10)}`), expect: expected(BILLING_READERS, 200, 403) },
    { name: 'GET /billing/adjustments?status=pending', call: (who) => portal.call(as(who), 'GET', '/billing/adjustments?status=pending'), expect: expected(BILLING_READERS, 200, 403) },
    { name: 'POST /billing/adjustments (an invoice not of the policy)', call: (who) => portal.call(as(who), 'POST', '/billing/adjustments', { json: { policyId: ids.alicePolicy, invoiceId: '3f0a4c1e-0000-4000-8000-000000000000', cents: -100, reason: 'matrix' }, headers: { 'idempotency-key': `matrix-${who}` } }), expect: expected(CONTRACT_EDITORS, 422, 403) },
    { name: 'POST /billing/adjustments/:id/decision (no such adjustment)', call: (who) => portal.call(as(who), 'POST', '/billing/adjustments/3f0a4c1e-0000-4000-8000-000000000000/decision', { json: { decision: 'approve' } }), expect: expected(['maria'], 404, 403) },
    { name: 'GET /billing/invoices/:id/pdf (alice\'s)', call: async (who) => portal.call(as(who), 'GET', `/billing/invoices/${await aliceInvoice()}/pdf`), expect: expected(BILLING_READERS, 200, 403) },
    { name: 'GET /me/invoices/:id/pdf (alice\'s)', call: async (who) => portal.call(as(who), 'GET', `/me/invoices/${await aliceInvoice()}/pdf`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'GET /me/invoices/:id/pdf (no such invoice)', call: (who) => portal.call(as(who), 'GET', '/me/invoices/3f0a4c1e-0000-4000-8000-000000000000/pdf'), expect: expected(['alice', 'bruno', 'nina'], 404, 403) },
    // Premium collections (issue 19): payment methods, the client's view of a collection and "Pay now", the process's steps.
    { name: 'GET /me/payment-methods', call: (who) => portal.call(as(who), 'GET', '/me/payment-methods'), expect: expected(['alice', 'bruno', 'nina'], 200, 403) },
    { name: 'PUT /me/payment-methods/:policyId (alice\'s)', call: (who) => portal.call(as(who), 'PUT', `/me/payment-methods/${ids.alicePolicy}`, { json: { kind: 'card', cardToken: 'tok_visa', cardLast4: '4242' } }), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'GET /me/invoices/:id/collection (alice\'s)', call: (who) => portal.call(as(who), 'GET', `/me/invoices/${collection.invoice}/collection`), expect: expected(['alice'], 200, { bruno: 404, nina: 404 }) },
    { name: 'POST /me/invoices/:id/payment (alice\'s)', call: (who) => portal.call(as(who), 'POST', `/me/invoices/${collection.invoice}/payment`), expect: expected(['alice'], 202, { bruno: 404, nina: 404 }) },
    { name: 'POST /internal/invoices/:id/collection-plan', call: (who) => portal.call(as(who), 'POST', `/internal/invoices/${collection.invoice}/collection-plan`, { json: { processInstanceKey: '1' } }), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/invoices/:id/collection-attempts (a pay-now in flight)', call: (who) => portal.call(as(who), 'POST', `/internal/invoices/${collection.invoice}/collection-attempts`, { json: { attempt: 1 } }), expect: expected(['worker'], 200, 403) },
    { name: 'GET /internal/collection-attempts/:id (none)', call: (who) => portal.call(as(who), 'GET', `/internal/collection-attempts/${collection.absent}`), expect: expected(['worker'], 404, 403) },
    { name: 'POST /internal/collection-attempts/:id/outcome (none)', call: (who) => portal.call(as(who), 'POST', `/internal/collection-attempts/${collection.absent}/outcome`, { json: { status: 'collected', providerReference: 'py_1' } }), expect: expected(['worker'], 404, 403) },
    { name: 'GET /internal/invoices/:id/collection-notice', call: (who) => portal.call(as(who), 'GET', `/internal/invoices/${collection.invoice}/collection-notice`), expect: expected(['worker'], 200, 403) },
    { name: 'POST /internal/invoices/:id/lapse (none)', call: (who) => portal.call(as(who), 'POST', `/internal/invoices/${collection.absent}/lapse`), expect: expected(['worker'], 404, 403) },
    { name: 'POST /internal/invoices/:id/reinstatement (none)', call: (who) => portal.call(as(who), 'POST', `/internal/invoices/${collection.absent}/reinstatement`), expect: expected(['worker'], 404, 403) },
    { name: 'POST /internal/collection-returns (no such payment)', call: (who) => portal.call(as(who), 'POST', '/internal/collection-returns', { json: { providerPaymentId: 'py_none', code: 'MD06', kind: 'hard', reason: 'Returned' } }), expect: expected(['worker'], 404, 403) },
    { name: 'POST /internal/invoices/:id/write-off (none)', call: (who) => portal.call(as(who), 'POST', `/internal/invoices/${collection.absent}/write-off`), expect: expected(['worker'], 404, 403) },
  ];

  test.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const got: Partial<Record<Who, number>> = {};
    for (const who of CALLERS) got[who] = (await row.call(who)).status;
    expect(got).toEqual(row.expect);
  });

  test('lists never show another client\'s claims or documents', async () => {
    const bruno = await portal.call('bruno', 'GET', '/claims');
    expect(bruno.body.items.map((c: { id: string }) => c.id)).toEqual([ids.brunoClaim]);
    expect((await portal.call('bruno', 'GET', `/documents?claimId=${ids.claim}`)).body.items).toEqual([]);
    expect((await portal.call('carla', 'GET', `/documents?claimId=${ids.claim}`)).body.items).toEqual([]);
    expect((await portal.call('alice', 'GET', `/claims?customerId=${(await portal.call('bruno', 'GET', '/me')).body.customer.id}`)).body.items.every((c: { customerId: string }) => c.customerId === ids.customer)).toBe(true);
    // A new client: no customer record, so nothing of anyone's.
    expect((await portal.call('nina', 'GET', '/me')).body.customer).toBeNull();
    expect((await portal.call('nina', 'GET', '/me/policies')).body.items).toEqual([]);
    expect((await portal.call('nina', 'GET', '/claims')).body).toEqual({ items: [], total: 0 });
    const ivanTasks = await portal.call('ivan', 'GET', '/tasks');
    expect(ivanTasks.body.items.map((t: { userTaskKey: string }) => t.userTaskKey)).not.toContain(ids.task);
  });

  test('the customer 360 lists document kinds, never contents, and file names only for staff who may read documents', async () => {
    const forAgent = (await portal.call('carla', 'GET', `/customers/${ids.customer}/overview`)).body;
    expect(forAgent.documents).toEqual(expect.arrayContaining([expect.objectContaining({ id: ids.document, kind: 'receipt' })]));
    for (const document of forAgent.documents) expect(document).not.toHaveProperty('name');
    expect(JSON.stringify(forAgent)).not.toContain('/content');
    const forAdjuster = (await portal.call('adam', 'GET', `/customers/${ids.customer}/overview`)).body;
    expect(forAdjuster.documents.find((d: { id: string }) => d.id === ids.document)).toMatchObject({ kind: 'receipt', name: expect.stringMatching(/\.pdf$/) });
    // The agent still cannot read the document itself.
    expect((await portal.call('carla', 'GET', `/documents/${ids.document}/content`)).status).toBe(404);
  });

  // Claims mailbox review fix (issue 20): the same rule as the 360 page for a mail's attachments and text.
  test('a mailed receipt shows its file name and the mail text only to staff who may read documents', async () => {
    const db = portal.portal.dataSource;
    const [{ id }] = await db.query<[{ id: string }]>(
      `INSERT INTO intake_email (message_id, from_address, subject, body_text, size_bytes, status, queue_reason) VALUES ('matrix-names@test', 'someone@elsewhere.example', 'Receipt', 'My psychiatrist visit', 10, 'queued', 'unknown-sender') RETURNING id`,
    );
    await db.query(`INSERT INTO intake_attachment (email_id, position, file_name, media_type, size_bytes, sha256, storage_key) VALUES ($1, 1, 'psychiatry-invoice.pdf', 'application/pdf', 1234, 'x', 'k')`, [id]);
    const forAgent = (await portal.call('carla', 'GET', `/service/intake/${id}`)).body;
    expect(forAgent).toMatchObject({ subject: 'Receipt', attachments: 1, attachmentList: [{ position: 1, mediaType: 'application/pdf', size: 1234, refusedReason: null, filed: false }] });
    expect(forAgent).not.toHaveProperty('text');
    expect(forAgent.attachmentList[0]).not.toHaveProperty('fileName');
    expect(JSON.stringify(forAgent)).not.toMatch(/psychiatr/);
    const forManager = (await portal.call('maria', 'GET', `/service/intake/${id}`)).body;
    expect(forManager).toMatchObject({ text: 'My psychiatrist visit', attachmentList: [expect.objectContaining({ fileName: 'psychiatry-invoice.pdf' })] });
  });

  test('a client cannot submit another client\'s draft, nor reach it in any way', async () => {
    const brunoDraft = (await portal.call('bruno', 'POST', '/claims', { json: claimOn(ids.brunoPolicy) })).body.id as string;
    const answer = await portal.call('alice', 'POST', `/claims/${brunoDraft}/submission`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect((await portal.call('alice', 'GET', `/claims/${brunoDraft}`)).status).toBe(404);
    expect((await portal.call('bruno', 'GET', `/claims/${brunoDraft}`)).body.status).toBe('draft');
    expect(await portal.processInstancesOf(brunoDraft)).toEqual([]);
  });

  test('a client cannot file a claim on another client\'s policy', async () => {
    const before = await portal.count('claim');
    const answer = await portal.call('alice', 'POST', '/claims', { json: claimOn(ids.brunoPolicy) });
    expect(answer.status).toBe(404);
    expect(answer.body.errors).toEqual([{ name: 'policyId', reason: 'is not one of your policies' }]);
    expect(await portal.count('claim')).toBe(before);
  });

  test('a forged or foreign token is refused', async () => {
    const token = await portal.token('alice');
    const [header, payload] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), realm_access: { roles: ['admin'] } })).toString('base64url');
    const forged = await fetch(`${portal.baseUrl}/api/audit`, { headers: { authorization: `Bearer ${header}.${forgedPayload}.${token.split('.')[2]}` } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    const garbage = await fetch(`${portal.baseUrl}/api/me`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(garbage.status).toBe(401);
  });
});

function claimOn(policyId: string) {
  return { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. B', careCode: 'GP_VISIT', amount: 20 }] };
}

function applicationFrom(quoteId: string) {
  return { quoteId, people: [{ role: 'policyholder', fullName: 'Test Applicant', birthDate: '1990-05-01' }], questionnaire: [{ heightCm: 170, weightKg: 65, smoker: false, chronicCondition: false, hospitalisedLastFiveYears: false, ongoingTreatment: false }], contact: { email: 'applicant@example.com' } };
}

function quoteRequest() {
  return { productCode: 'HEALTH_PLUS', region: 'urban', deductibleCents: 10_000, paymentFrequency: 'yearly', insured: [{ role: 'policyholder', birthDate: '1990-05-01' }] };
}

function comparisonRequest() {
  const { productCode: _code, deductibleCents: _deductible, ...terms } = quoteRequest();
  return { ...terms, products: [{ productCode: 'HEALTH_PLUS', deductibleCents: 10_000 }, { productCode: 'HEALTH_PREMIUM', deductibleCents: 0 }] };
}

function withType(type: string): FormData {
  const form = new FormData();
  form.append('type', type);
  return form;
}

/** Opens a live stream and closes it as soon as the status line arrives. */
async function openStream(portal: PortalFixture, who: string | undefined, url: string): Promise<{ status: number }> {
  const controller = new AbortController();
  const response = await fetch(`${portal.baseUrl}/api${url}`, { headers: who ? { authorization: `Bearer ${await portal.token(who)}` } : {}, signal: controller.signal });
  controller.abort();
  return { status: response.status };
}
