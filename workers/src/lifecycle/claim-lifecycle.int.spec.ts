/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { formatDate } from '../notifications/dates';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { ProcessStarter } from '@claims/portal-api/src/claims/process-starter';
import { LifecycleFixture } from '../testing/lifecycle-fixture';

/**
 * The whole claim-reimbursement diagram on the engine, with the real workers,
 * the portal API and the outbox: every path the lifecycle promises.
 */
let life: LifecycleFixture;
const DAY = 86_400_000;

beforeAll(async () => {
  life = await LifecycleFixture.start('lifecycle');
  await life.startWorkers();
}, 120_000);

afterAll(async () => {
  await life?.stop();
});

/** The form's data: fixed values, or made from the variables the task presents (its rows of items, as form-js submits them). */
type TaskData = Record<string, unknown> | ((presented: Record<string, any>) => Record<string, unknown>);

/** A staff member takes the open task at a step and completes it with the form's data. */
async function work(claimId: string, elementId: string, who: string, data: TaskData) {
  const task = await life.openTask(claimId, elementId, who);
  expect((await life.portal.call(who, 'POST', `/tasks/${task.userTaskKey}/assignment`)).status).toBe(201);
  const done = await complete(task, who, data);
  expect(done.status).toBe(200);
  return task;
}

async function complete(task: Record<string, any>, who: string, data: TaskData) {
  const presented = (await life.portal.call(who, 'GET', `/tasks/${task.userTaskKey}`)).body.variables as Record<string, any>;
  const variables = typeof data === 'function' ? data(presented) : data;
  return life.portal.call(who, 'POST', `/tasks/${task.userTaskKey}/completion`, { json: { variables } });
}

/** The presented rows of items, each with the decision fields `decide` gives it. */
function decideRows(presented: Record<string, any>, decide: (row: Record<string, any>, index: number) => Record<string, unknown>) {
  return (presented.items as Record<string, any>[]).map((row, index) => ({ itemId: row.itemId, label: row.label, amount: row.amount, ...decide(row, index) }));
}

/** What the payment provider itself received for a claim (its own record, shared by every worker process). */
function providerCalls(reference: string) {
  return life.ledger().filter((call) => call.reference === `Claim ${reference}`);
}

/** Starts another instance of the claim process for the same claim, right at the pay task. */
async function startAtPayTask(claimId: string, reference: string, totalPayable: number): Promise<string> {
  const customerId = ((await life.portal.call('worker', 'GET', `/internal/claims/${claimId}`)).body as { customer: { id: string } }).customer.id;
  const created = await life.portal.engine.http('POST', '/v2/process-instances', { processDefinitionId: 'claim-reimbursement', variables: { claimId, claimReference: reference, customerId, totalPayable, currency: 'EUR' }, startInstructions: [{ elementId: 'pay-benefit' }] });
  expect(created.status).toBe(200);
  return (created.body as { processInstanceKey: string }).processInstanceKey;
}

async function payouts(claimId: string) {
  return life.portal.portal.dataSource.query<{ status: string; amount: string; attempt_key: string }[]>('SELECT status, amount, attempt_key FROM payout WHERE claim_id = $1 ORDER BY created_at', [claimId]);
}

it('pays a small clean claim straight through, with a breakdown, an email and an SMS', async () => {
  const { claimId, reference } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 180 }, { careCode: 'GP_VISIT', amount: 120 }]);
  const claim = await life.claimWhen(claimId, (c) => c.status === 'paid');
  // GP visit capped at its 100 limit; the 100 deductible comes off first; the policy pays 80 % of the rest.
  expect(claim.breakdown).toEqual([
    expect.objectContaining({ claimed: 180, eligible: 180, deductible: 100, paid: 64 }),
    expect.objectContaining({ claimed: 120, eligible: 100, deductible: 0, paid: 80, note: 'ITEM_LIMIT' }),
  ]);
  expect(claim.totalApproved).toBe(144);
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'paid', amount: '144.00', attempt_key: `claim:${claimId}:payout:1` })]);
  expect(providerCalls(reference)).toEqual([expect.objectContaining({ idempotencyKey: `claim:${claimId}:payout:1`, amount: 144, executed: true })]);
  expect(claim.timeline.map((e: { status: string | null }) => e.status).filter(Boolean)).toEqual(expect.arrayContaining(['approved', 'payment-pending', 'paid']));
  const mail = await life.mailTo('alice@example.com', `Claim ${reference}:`);
  expect(mail.Subject).toContain('is on its way');
  // Kinds of care in words and dates as amounts are written (en-GB), on the web and in the mail.
  const today = formatDate(new Date().toISOString().slice(0, 10));
  expect(mail.Text).toContain(`2. General practitioner visit, ${today}: claimed €120.00, we pay €80.00`);
  expect(mail.Text).not.toMatch(/\d{4}-\d{2}-\d{2}|GP_VISIT|Gp visit/);
  const asClient = (await life.portal.call('alice', 'GET', `/claims/${claimId}`)).body as Record<string, any>;
  expect(asClient.items.map((i: { careLabel: string }) => i.careLabel)).toEqual(['Specialist consultation', 'General practitioner visit']);
  expect(mail.Text).toContain(`http://claims.test/claims/${claimId}`);
  expect(mail.HTML).toContain('<a href="http://claims.test/claims/');
  expect((await life.smsTo('+33612345601', reference)).body).toContain('we have paid');
}, 60_000);

it('validates a claim with every document uploaded to its draft, at once: nothing asked for, paid', async () => {
  const { claimId } = await life.fileDraft('alice', 'POL-100001', [{ careCode: 'PHARMACY', amount: 30 }], ['receipt', 'prescription']);
  // A draft starts no process, whatever the workers do meanwhile.
  expect(await life.portal.processInstancesOf(claimId)).toEqual([]);
  expect((await life.portal.call('alice', 'GET', `/claims/${claimId}`)).body.status).toBe('draft');
  const sent = performance.now();
  await life.submit('alice', claimId);
  const validating = await life.claimWhen(claimId, (c) => c.status !== 'received');
  // The first step ran as soon as the claim was sent: no upload grace (it was 60 s by default) and no retry (5 s apart).
  expect(performance.now() - sent).toBeLessThan(5_000);
  expect(validating.processInstanceKey).toMatch(/^\d+$/);
  const claim = await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(claim.timeline.map((e: { status: string | null }) => e.status)).not.toContain('information-requested');
  expect(await life.portal.processInstancesOf(claimId)).toEqual([claim.processInstanceKey]);
}, 60_000);

it('submissions at the same moment start one instance, and none more once it has ended', async () => {
  const { claimId } = await life.fileDraft('alice', 'POL-100001', [{ careCode: 'GP_VISIT', amount: 12 }]);
  const answers = await Promise.all([1, 2, 3, 4].map(() => life.portal.call('alice', 'POST', `/claims/${claimId}/submission`)));
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  const paid = await life.claimWhen(claimId, (c) => c.status === 'paid');
  await eventually(async () => ((await life.portal.engine.instanceState(paid.processInstanceKey)) === 'COMPLETED' ? true : undefined));
  // The sweep after the instance ended: the claim is no longer waiting, nothing is published.
  await life.portal.portal.app.get(ProcessStarter).sweep();
  expect(await life.portal.processInstancesOf(claimId)).toEqual([paid.processInstanceKey]);
}, 60_000);

it('a second process instance for a claim, should one start, cancels itself before doing anything', async () => {
  const { claimId } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'GP_VISIT', amount: 10 }]);
  const paid = await life.claimWhen(claimId, (c) => c.status === 'paid');
  await eventually(async () => ((await life.portal.engine.instanceState(paid.processInstanceKey)) === 'COMPLETED' ? true : undefined));
  const paidBefore = await payouts(claimId);
  // A stray start the engine cannot refuse: another message id, after the first instance ended.
  const claimVariables = { claimId, claimReference: paid.reference, customerId: paid.customerId, policyId: paid.policyId, totalClaimed: paid.totalClaimed, currency: paid.currency };
  await life.portal.engine.http('POST', '/v2/messages/publication', { name: 'claim-submitted', correlationKey: claimId, messageId: `${claimId}:stray`, timeToLive: 0, variables: claimVariables });
  const stray = await eventually(async () => (await life.portal.processInstancesOf(claimId)).find((key) => key !== paid.processInstanceKey));
  await eventually(async () => ((await life.portal.engine.instanceState(stray)) === 'TERMINATED' ? true : undefined));
  const after = await life.claimWhen(claimId, () => true);
  expect(after).toMatchObject({ status: 'paid', processInstanceKey: paid.processInstanceKey, totalPaid: paid.totalPaid });
  expect(await payouts(claimId)).toEqual(paidBefore);
}, 60_000);

it('never pays a paid claim again: a second process instance reaching the pay task calls no provider', async () => {
  const { claimId, reference } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 50 }]);
  await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(providerCalls(reference)).toHaveLength(1);
  const second = await startAtPayTask(claimId, reference, 40);
  await eventually(async () => ((await life.portal.engine.instanceState(second)) === 'COMPLETED' ? true : undefined), 30_000);
  expect(providerCalls(reference)).toEqual([expect.objectContaining({ idempotencyKey: `claim:${claimId}:payout:1`, amount: 40, executed: true })]);
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'paid', amount: '40.00' })]);
}, 60_000);

it('sends a large claim to an adjuster, then to a manager above the adjuster\'s authority; the assessor may not approve it', async () => {
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'HOSPITAL', amount: 4000 }], ['receipt', 'medical-report']);
  await life.claimWhen(claimId, (c) => c.status === 'in-review');
  const staffMail = await life.mailTo('adjuster@claims.example', reference);
  // Maria is a manager and an adjuster: she may assess, but then not approve.
  const assess = await work(claimId, 'assess-claim', 'maria', (presented) => ({ items: decideRows(presented, () => ({ decision: 'accept' })), assessment: 'approve', decisionNote: 'Stay confirmed by the report.' }));
  expect(staffMail.Text).toContain(`http://claims.test/staff/tasks/${assess.userTaskKey}`);
  await life.claimWhen(claimId, (c) => c.status === 'awaiting-approval');
  expect(await payouts(claimId)).toEqual([]);
  // A pay task asked for an amount other than the approved total is refused and becomes an incident at once.
  const wrong = await startAtPayTask(claimId, reference, 3120.01);
  const incident = await eventually(async () => (await life.portal.engine.client.searchIncidents({ filter: { processInstanceKey: wrong, state: 'ACTIVE' } })).items[0], 30_000);
  expect(incident.errorMessage).toContain('the approved total the calculation recorded is 3120');
  expect(providerCalls(reference)).toEqual([]);
  expect(await payouts(claimId)).toEqual([]);
  await life.portal.engine.client.cancelProcessInstance({ processInstanceKey: wrong });
  const approval = await life.openTask(claimId, 'approve-payment', 'maria');
  expect((await life.portal.call('maria', 'POST', `/tasks/${approval.userTaskKey}/assignment`)).status).toBe(201);
  const refused = await complete(approval, 'maria', { paymentApproved: 'approve' });
  expect(refused.status).toBe(403);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  expect(refused.body.detail).toContain('You assessed this claim');
  expect(await life.portal.portal.dataSource.query("SELECT actor_name FROM audit_entry WHERE action = 'task.completion-refused' AND entity_id = $1", [approval.userTaskKey])).toEqual([{ actor_name: 'maria' }]);
  expect((await life.portal.call('maria', 'GET', `/tasks/${approval.userTaskKey}`)).body.state).toBe('CREATED');
  expect(await payouts(claimId)).toEqual([]);
  // The second manager approves.
  expect((await life.portal.call('maria', 'DELETE', `/tasks/${approval.userTaskKey}/assignment`)).status).toBe(200);
  await work(claimId, 'approve-payment', 'marc', { paymentApproved: 'approve' });
  const claim = await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(claim.totalApproved).toBe(3120); // (4,000 − 100 deductible) × 80 %
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'paid', amount: '3120.00' })]);
}, 90_000);

it('keeps the adjuster\'s note for the file from the client, who reads the reason written for them', async () => {
  const fileNote = 'FILE-ONLY: provider under review by the fraud team';
  const clientReason = 'The stay was planned care that your policy does not cover.';
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'HOSPITAL', amount: 3500 }], ['receipt', 'medical-report']);
  await life.claimWhen(claimId, (c) => c.status === 'in-review');
  const controller = new AbortController();
  const stream = await fetch(`${life.portal.baseUrl}/api/claims/${claimId}/live`, { headers: { authorization: `Bearer ${await life.portal.token('chloe')}` }, signal: controller.signal });
  const reader = stream.body!.getReader();
  let live = '';
  const readUntil = async (needle: string) => {
    while (!live.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before "${needle}"`);
      live += Buffer.from(value).toString('utf8');
    }
  };
  try {
    const task = await life.openTask(claimId, 'assess-claim', 'adam');
    expect((await life.portal.call('adam', 'POST', `/tasks/${task.userTaskKey}/assignment`)).status).toBe(201);
    // What the form shows read-only stays as presented, and what it hides gets no value.
    const tampered = await complete(task, 'adam', (presented) => ({ items: decideRows(presented, (row) => ({ amount: row.amount / 10, decision: 'accept', approvedAmount: 1 })), assessment: 'approve' }));
    expect(tampered.status).toBe(400);
    expect(tampered.headers.get('content-type')).toContain('application/problem+json');
    expect(tampered.body.errors).toEqual([
      { name: 'items[0].amount', reason: 'is read-only and must keep the value the task presented' },
      { name: 'items[0].approvedAmount', reason: 'is hidden by the form and must not be given a value' },
    ]);
    const swapped = await complete(task, 'adam', (presented) => ({ items: decideRows(presented, () => ({ decision: 'accept' })).map((row) => ({ ...row, itemId: '00000000-0000-4000-8000-000000000000' })), assessment: 'approve' }));
    expect(swapped.body.errors).toEqual([{ name: 'items[0].itemId', reason: 'is read-only and must keep the value the task presented' }]);
    const done = await complete(task, 'adam', (presented) => ({ items: decideRows(presented, () => ({ decision: 'decline', reasonCode: 'NOT_COVERED' })), assessment: 'decline', clientReason, decisionNote: fileNote }));
    expect(done.status).toBe(200);
    await readUntil('"status":"rejected"');
  } finally {
    controller.abort();
  }
  const mail = await life.mailTo('chloe@example.com', `Claim ${reference} has been declined`);
  const asClient = (await life.portal.call('chloe', 'GET', `/claims/${claimId}`)).body as Record<string, any>;
  expect(asClient.decisionNote).toBe(clientReason);
  expect(mail.Text).toContain(clientReason);
  for (const seen of [JSON.stringify(asClient), live, mail.Text, mail.HTML, (await life.smsTo('+33612345603', reference)).body]) expect(seen).not.toContain('FILE-ONLY');
  const asStaff = (await life.portal.call('adam', 'GET', `/claims/${claimId}`)).body as Record<string, any>;
  expect((asStaff.timeline as { message: string }[]).some((e) => e.message.includes(`Note for the file: ${fileNote}`))).toBe(true);
}, 60_000);

it('keeps the approver\'s note for the file from the client when a manager declines the payment', async () => {
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'HOSPITAL', amount: 3100 }], ['receipt', 'medical-report']);
  await work(claimId, 'assess-claim', 'adam', (presented) => ({ items: decideRows(presented, () => ({ decision: 'accept' })), assessment: 'approve' }));
  await life.claimWhen(claimId, (c) => c.status === 'awaiting-approval');
  const clientReason = 'A second review found the stay was not needed for your treatment.';
  await work(claimId, 'approve-payment', 'marc', { paymentApproved: 'decline', approvalClientReason: clientReason, approvalNote: 'FILE-ONLY: same surgeon as the flagged claims' });
  await life.claimWhen(claimId, (c) => c.status === 'rejected');
  const mail = await life.mailTo('chloe@example.com', `Claim ${reference} has been declined`);
  const asClient = (await life.portal.call('chloe', 'GET', `/claims/${claimId}`)).body as Record<string, any>;
  expect(asClient.decisionNote).toBe(clientReason);
  expect(mail.Text).toContain(clientReason);
  for (const seen of [JSON.stringify(asClient), mail.Text, mail.HTML]) expect(seen).not.toContain('FILE-ONLY');
  const asStaff = (await life.portal.call('adam', 'GET', `/claims/${claimId}`)).body as Record<string, any>;
  expect((asStaff.timeline as { message: string }[]).some((e) => e.message.includes('FILE-ONLY: same surgeon'))).toBe(true);
}, 60_000);

it('declines a claim with a reason per item', async () => {
  const { claimId, reference } = await life.fileClaim('bruno', 'POL-100002', [{ careCode: 'HOSPITAL', amount: 900 }, { careCode: 'DENTAL', amount: 200 }], ['receipt', 'medical-report']);
  const claim = await life.claimWhen(claimId, (c) => c.status === 'rejected');
  expect(claim.items.map((i: { reasonCode: string }) => i.reasonCode)).toEqual(['WAITING_PERIOD', 'NOT_COVERED']);
  const mail = await life.mailTo('bruno@example.com', `Claim ${reference} has been declined`);
  expect(mail.Text).toContain('waiting period');
  expect(mail.Text).toContain('not covered by your policy');
  expect(await payouts(claimId)).toEqual([]);
}, 60_000);

it('asks for a missing prescription, and carries on when the client sends it', async () => {
  const { claimId, reference } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'PHARMACY', amount: 50 }], ['receipt']);
  const waiting = await life.claimWhen(claimId, (c) => c.status === 'information-requested');
  expect(waiting.informationRequested).toContain('prescription');
  const asked = await life.mailTo('alice@example.com', `Claim ${reference}: we need more information`);
  expect(asked.Text).toContain(`Please answer by ${formatDate(waiting.informationDue as string)}.`);
  const documentId = await life.uploadDocument('alice', claimId, 'prescription');
  expect((await life.portal.call('alice', 'POST', `/claims/${claimId}/information`, { json: { message: 'Here it is.', documentIds: [documentId] } })).status).toBe(202);
  const claim = await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(claim.totalApproved).toBe(40); // deductible used up by the first claim: 80 % of 50
}, 60_000);

it('gives the client\'s written answer to the next assessment: in its variables, beside the task and in the history', async () => {
  const { claimId } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'HOSPITAL', amount: 2900 }], ['receipt', 'medical-report']);
  const question = 'Please tell us why the stay lasted five nights.';
  await work(claimId, 'assess-claim', 'adam', (presented) => ({ items: decideRows(presented, () => ({ decision: 'accept' })), assessment: 'request-information', informationRequest: question }));
  await life.claimWhen(claimId, (c) => c.status === 'information-requested');
  const answer = 'The surgeon kept me in because of a fever after the operation.';
  expect((await life.portal.call('chloe', 'POST', `/claims/${claimId}/information`, { json: { message: answer } })).status).toBe(202);
  const again = await life.openTask(claimId, 'assess-claim', 'amelia');
  const shown = (await life.portal.call('amelia', 'GET', `/tasks/${again.userTaskKey}`)).body;
  expect(shown.variables).toMatchObject({ informationQuestion: question, informationAnswer: answer });
  const context = (await life.portal.call('amelia', 'GET', `/tasks/${again.userTaskKey}/context`)).body;
  expect(context.informationAnswers).toEqual([expect.objectContaining({ question, answer, answeredBy: 'chloe' })]);
  expect((context.claim.timeline as { message: string }[]).some((e) => e.message.includes(answer))).toBe(true);
}, 60_000);

it('closes the claim as abandoned when the information never comes (clock pinned past the deadline)', async () => {
  const { claimId, reference } = await life.fileClaim('bruno', 'POL-100002', [{ careCode: 'GP_VISIT', amount: 60 }], []);
  await life.claimWhen(claimId, (c) => c.status === 'information-requested');
  await life.portal.engine.pinClock(Date.now() + 15 * DAY);
  try {
    await life.claimWhen(claimId, (c) => c.status === 'abandoned');
  } finally {
    await life.portal.engine.resetClock();
  }
  await life.mailTo('bruno@example.com', `Claim ${reference} is closed`);
}, 60_000);

it('alerts the managers when the assessment is overdue (clock pinned past the due date)', async () => {
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 190 }, { careCode: 'GP_VISIT', amount: 95 }, { careCode: 'PHYSIO', amount: 60 }, { careCode: 'DENTAL', amount: 300 }], ['receipt', 'prescription']);
  const task = await life.openTask(claimId, 'assess-claim', 'adam');
  expect(task.priority).toBe(50);
  await life.portal.engine.pinClock(Date.now() + 3 * DAY);
  try {
    const mail = await life.mailTo('manager@claims.example', `Overdue: assessment of claim ${reference}`);
    expect(mail.Text).toContain(`http://claims.test/staff/tasks/${task.userTaskKey}`);
  } finally {
    await life.portal.engine.resetClock();
  }
  const escalated = await life.openTask(claimId, 'assess-claim', 'maria');
  expect(escalated.priority).toBe(90);
  expect(escalated.candidateGroups).toEqual(expect.arrayContaining(['adjuster', 'manager']));
  // The task stays open and the claim goes on once it is assessed.
  await work(claimId, 'assess-claim', 'adam', (presented) => ({ items: decideRows(presented, () => ({ decision: 'decline', reasonCode: 'ADJUSTER_DECISION' })), assessment: 'decline', clientReason: 'This care was not medically necessary.', decisionNote: 'Not medically necessary.' }));
  await life.claimWhen(claimId, (c) => c.status === 'rejected');
}, 60_000);

it('handles a payout the bank rejects: the call center fixes the bank details and it is paid once', async () => {
  const customerId = (await life.portal.call('chloe', 'GET', '/me')).body.customer.id as string;
  await life.portal.portal.dataSource.query("UPDATE customer SET iban = 'NL00ABNA0000000000' WHERE id = $1", [customerId]);
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 150 }]);
  await life.claimWhen(claimId, (c) => c.status === 'payment-failed');
  await life.mailTo('chloe@example.com', `Claim ${reference}: we could not pay into your account`);
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'rejected' })]);
  const fixed = await life.portal.call('carla', 'PUT', `/claims/${claimId}/payment-details`, { json: { accountHolder: 'Chloé Dubois', iban: 'NL91 ABNA 0417 1643 00' } });
  expect(fixed.status).toBe(200);
  const told = await life.mailTo('chloe@example.com', 'Your bank details were changed');
  expect(told.Text).toContain('ending in 4300');
  expect(told.Text).not.toContain('0417');
  await work(claimId, 'fix-payment-details', 'carla', { paymentDetailsConfirmed: true, contactNote: 'Client gave the right account on the phone.' });
  await life.claimWhen(claimId, (c) => c.status === 'paid');
  const made = await payouts(claimId);
  expect(made.map((p) => [p.status, p.attempt_key])).toEqual([['rejected', `claim:${claimId}:payout:1`], ['paid', `claim:${claimId}:payout:2`]]);
  // The fixed details are a new attempt, so the bank is asked again, once.
  expect(providerCalls(reference).map((c) => [c.idempotencyKey, c.outcome.status, c.executed])).toEqual([[`claim:${claimId}:payout:1`, 'rejected', true], [`claim:${claimId}:payout:2`, 'paid', true]]);
}, 60_000);

it('closes a claim with nothing payable as such, and tells the client why instead of "paid"', async () => {
  // Bruno's deductible (250) has not been touched: the whole visit is his to bear.
  const { claimId, reference } = await life.fileClaim('bruno', 'POL-100002', [{ careCode: 'GP_VISIT', amount: 60 }]);
  const routed = await life.claimWhen(claimId, (c) => ['in-review', 'closed-nothing-payable'].includes(c.status));
  if (routed.status === 'in-review') await work(claimId, 'assess-claim', 'adam', { items: [{ label: '1. General practitioner visit', amount: 60, decision: 'accept' }], assessment: 'approve', decisionNote: 'Visit confirmed.' });
  const claim = await life.claimWhen(claimId, (c) => c.status === 'closed-nothing-payable');
  expect(claim).toMatchObject({ totalApproved: 0, totalPaid: null, statusText: 'Your request is closed: under your policy nothing is payable for it.' });
  expect(claim.breakdown).toEqual([expect.objectContaining({ eligible: 60, deductible: 60, paid: 0 })]);
  expect(claim.timeline.map((e: { message: string }) => e.message).join(' ')).toContain('€60.00 counts towards your yearly deductible');
  expect(claim.timeline.map((e: { message: string }) => e.message)).not.toContain('Your reimbursement has been paid.');
  const mail = await life.mailTo('bruno@example.com', `Claim ${reference}: nothing is payable`);
  expect(mail.Text).toContain('€60.00 counts towards your yearly deductible');
  expect(mail.Text).not.toContain('on its way');
  expect(life.outbox.mails.some((m) => m.Subject.includes(reference) && m.Subject.includes('on its way'))).toBe(false);
  expect(await payouts(claimId)).toEqual([]);
  expect(providerCalls(reference)).toEqual([]);
}, 60_000);

it('pays exactly once when the worker dies in the middle of a payout and the job runs again', async () => {
  await life.stopWorkers();
  const { claimId, reference } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'GP_VISIT', amount: 70 }]);
  // A slow bank and a short job timeout: the payment job is held by the process we kill.
  const doomed = life.spawnWorkers({ LEDGER_DELAY_MS: '4000', JOB_TIMEOUT_MS: '3000' });
  try {
    // The bank has executed the payment; its answer has not come back yet.
    await life.ledgerWhen(() => providerCalls(reference).length > 0, 60_000);
  } finally {
    doomed.kill('SIGKILL');
  }
  await new Promise((resolve) => doomed.once('exit', resolve));
  await life.startWorkers();
  await life.claimWhen(claimId, (c) => c.status === 'paid');
  // The job ran again and called the provider again, with the same key: the provider moved money once.
  const calls = providerCalls(reference);
  expect(calls.map((c) => [c.idempotencyKey, c.amount, c.executed])).toEqual([
    [`claim:${claimId}:payout:1`, 56, true],
    [`claim:${claimId}:payout:1`, 56, false],
  ]);
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'paid', amount: '56.00' })]);
}, 90_000);
