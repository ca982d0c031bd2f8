import { eventually } from '@claims/engine/src/testing/engine-fixture';
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

/** A staff member takes the open task at a step and completes it with the form's data. */
async function work(claimId: string, elementId: string, who: string, variables: Record<string, unknown>) {
  const task = await life.openTask(claimId, elementId, who);
  expect((await life.portal.call(who, 'POST', `/tasks/${task.userTaskKey}/assignment`)).status).toBe(201);
  const done = await life.portal.call(who, 'POST', `/tasks/${task.userTaskKey}/completion`, { json: { variables } });
  expect(done.status).toBe(200);
  return task;
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

async function instanceState(processInstanceKey: string): Promise<string | undefined> {
  return (await life.portal.engine.client.searchProcessInstances({ filter: { processInstanceKey } })).items[0]?.state;
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
  expect(mail.Text).toContain(`http://claims.test/claims/${claimId}`);
  expect(mail.HTML).toContain('<a href="http://claims.test/claims/');
  expect((await life.smsTo('+33612345601', reference)).body).toContain('we have paid');
}, 60_000);

it('never pays a paid claim again: a second process instance reaching the pay task calls no provider', async () => {
  const { claimId, reference } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 50 }]);
  await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(providerCalls(reference)).toHaveLength(1);
  const second = await startAtPayTask(claimId, reference, 40);
  await eventually(async () => ((await instanceState(second)) === 'COMPLETED' ? true : undefined), 30_000);
  expect(providerCalls(reference)).toEqual([expect.objectContaining({ idempotencyKey: `claim:${claimId}:payout:1`, amount: 40, executed: true })]);
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'paid', amount: '40.00' })]);
}, 60_000);

it('sends a large claim to an adjuster, then to a manager above the adjuster\'s authority', async () => {
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'HOSPITAL', amount: 4000 }], ['receipt', 'medical-report']);
  await life.claimWhen(claimId, (c) => c.status === 'in-review');
  const staffMail = await life.mailTo('adjuster@claims.example', reference);
  const assess = await work(claimId, 'assess-claim', 'adam', { items: [{ label: '1. Hospital stay', amount: 4000, decision: 'accept' }], assessment: 'approve', decisionNote: 'Stay confirmed by the report.' });
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
  await work(claimId, 'approve-payment', 'maria', { paymentApproved: 'approve' });
  const claim = await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(claim.totalApproved).toBe(3120); // (4,000 − 100 deductible) × 80 %
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'paid', amount: '3120.00' })]);
}, 90_000);

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
  await life.mailTo('alice@example.com', `Claim ${reference}: we need more information`);
  const documentId = await life.uploadDocument('alice', claimId, 'prescription');
  expect((await life.portal.call('alice', 'POST', `/claims/${claimId}/information`, { json: { message: 'Here it is.', documentIds: [documentId] } })).status).toBe(202);
  const claim = await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(claim.totalApproved).toBe(40); // deductible used up by the first claim: 80 % of 50
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
  await work(claimId, 'assess-claim', 'adam', { items: [1, 2, 3, 4].map((n) => ({ label: `${n}`, amount: 1, decision: 'decline', reasonCode: 'ADJUSTER_DECISION' })), assessment: 'decline', decisionNote: 'Not medically necessary.' });
  await life.claimWhen(claimId, (c) => c.status === 'rejected');
}, 60_000);

it('handles a payout the bank rejects: the call center fixes the bank details and it is paid once', async () => {
  const customerId = (await life.portal.call('chloe', 'GET', '/me')).body.customer.id as string;
  await life.portal.portal.dataSource.query("UPDATE customer SET iban = 'NL00ABNA0000000000' WHERE id = $1", [customerId]);
  const { claimId, reference } = await life.fileClaim('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 150 }]);
  await life.claimWhen(claimId, (c) => c.status === 'payment-failed');
  await life.mailTo('chloe@example.com', `Claim ${reference}: we could not pay into your account`);
  expect(await payouts(claimId)).toEqual([expect.objectContaining({ status: 'rejected' })]);
  const fixed = await life.portal.call('carla', 'PUT', `/customers/${customerId}/payment-details`, { json: { accountHolder: 'Chloé Dubois', iban: 'NL91 ABNA 0417 1643 00' } });
  expect(fixed.status).toBe(200);
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
