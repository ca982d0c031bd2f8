import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { ProcessStarter } from '../claims/process-starter';
import { PortalFixture, upload } from '../testing/portal-fixture';
import { SAMPLE_FILES } from '../testing/sample-files';

/**
 * A claim through the API as each role plays its part: the client files a
 * draft (twice, as a double click would), uploads a receipt to it and submits
 * it (again twice, and another draft four times at once); the workers' service
 * account moves it along and asks for information; the client answers and
 * watches it live; an adjuster claims and completes the task with the form's
 * data; the payout is recorded once; the admin checks the audit chain.
 */
describe('a claim through the portal API', () => {
  let portal: PortalFixture;
  let policyId: string;
  let claimId: string;

  beforeAll(async () => {
    portal = await PortalFixture.start('journey');
    await portal.deployTestProcess();
    const policies = await portal.call('alice', 'GET', '/me/policies');
    policyId = policies.body.items.find((p: { number: string }) => p.number === 'POL-100001').id;
  });

  afterAll(() => portal?.stop());

  const claimBody = () => ({
    policyId,
    description: 'Visit and medicines',
    items: [
      { serviceDate: '2026-10-02', providerName: 'Dr. Laura Chen', careCode: 'GP_VISIT', amount: 60, invoiceNumber: 'INV-1' },
      { serviceDate: '2026-10-02', providerName: 'Pharmacie du Centre', careCode: 'PHARMACY', amount: 42.5 },
    ],
  });

  test('the client sees her policies with the coverage left', async () => {
    const answer = await portal.call('alice', 'GET', '/me/policies');
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((p: { number: string }) => p.number)).toEqual(['POL-100001']);
    const gp = answer.body.items[0].coverage.benefits.find((b: { careCode: string }) => b.careCode === 'GP_VISIT');
    expect(gp).toMatchObject({ annualLimit: 1000, used: 0, remaining: 1000 });
  });

  test('the client files a draft; a repeated filing with the same key is the same draft; a draft starts no process', async () => {
    const first = await portal.call('alice', 'POST', '/claims', { json: claimBody(), headers: { 'idempotency-key': 'alice-claim-1' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ reference: expect.stringMatching(/^CLM-\d{4}-\d{6}$/), status: 'draft', statusText: expect.stringContaining('Not sent yet'), totalClaimed: 102.5 });
    claimId = first.body.id;
    const again = await portal.call('alice', 'POST', '/claims', { json: claimBody(), headers: { 'idempotency-key': 'alice-claim-1' } });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(claimId);
    expect(await portal.count('claim')).toBe(1);
    expect(await portal.processInstancesOf(claimId)).toEqual([]);
    // The client sees her draft; staff lists leave drafts out unless asked for them.
    expect((await portal.call('alice', 'GET', '/claims')).body.items.map((c: { id: string }) => c.id)).toEqual([claimId]);
    expect((await portal.call('adam', 'GET', '/claims')).body.items).toEqual([]);
    expect((await portal.call('adam', 'GET', '/claims?status=draft')).body.items.map((c: { id: string }) => c.id)).toEqual([claimId]);
  });

  test('the client uploads a receipt, then a better scan as its second version', async () => {
    const first = await portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(fieldForm('receipt'), 'file', SAMPLE_FILES.pdf, 'receipt.pdf', 'application/pdf') });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'receipt', name: 'receipt.pdf', currentVersion: 1, mediaType: 'application/pdf' });
    const second = await portal.call('alice', 'POST', `/documents/${first.body.id}/versions`, { form: upload(new FormData(), 'file', SAMPLE_FILES.png, 'receipt-scan.png', 'image/png') });
    expect(second.status).toBe(201);
    expect(second.body.currentVersion).toBe(2);
    expect(second.body.versions.map((v: { mediaType: string }) => v.mediaType)).toEqual(['image/png', 'application/pdf']);
    const content = await fetch(`${portal.baseUrl}/api/documents/${first.body.id}/content?version=1`, { headers: { authorization: `Bearer ${await portal.token('alice')}` } });
    expect(content.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await content.arrayBuffer()).equals(SAMPLE_FILES.pdf)).toBe(true);
    const found = await portal.call('adam', 'GET', `/documents?claimId=${claimId}&type=receipt&name=RECEIPT`);
    expect(found.body.items.map((d: { id: string }) => d.id)).toEqual([first.body.id]);
  });

  test('the client submits the draft: received, one process, and a repeat answers the same claim', async () => {
    await portal.call('alice', 'PUT', '/me/claim-draft', { json: { data: { description: 'left over' } } });
    const sent = await portal.call('alice', 'POST', `/claims/${claimId}/submission`);
    expect(sent.status).toBe(200);
    expect(sent.headers.get('idempotent-replayed')).toBeNull();
    expect(sent.body).toMatchObject({ id: claimId, status: 'received', statusText: 'We have received your request.' });
    const instances = await eventually(async () => {
      const found = await portal.processInstancesOf(claimId);
      return found.length > 0 ? found : undefined;
    });
    expect(instances).toHaveLength(1);
    const repeat = await portal.call('alice', 'POST', `/claims/${claimId}/submission`);
    expect(repeat.status).toBe(200);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(sent.body);
    expect(await portal.processInstancesOf(claimId)).toEqual(instances);
    // The request is sent: the form draft it was finished from is gone.
    expect((await portal.call('alice', 'GET', '/me/claim-draft')).body.draft).toBeNull();
    const seen = await portal.call('alice', 'GET', `/claims/${claimId}`);
    expect(seen.body.timeline.map((e: { status: string | null }) => e.status).filter(Boolean)).toEqual(['draft', 'received']);
    // The first step of the process records its instance (the workers do it; here the test plays them).
    const recorded = await portal.call('worker', 'POST', `/internal/claims/${claimId}/process-instance`, { json: { processInstanceKey: instances[0] } });
    expect(recorded.status).toBe(200);
    expect((await portal.call('adam', 'GET', `/claims/${claimId}`)).body.processInstanceKey).toBe(instances[0]);
    const other = await portal.call('worker', 'POST', `/internal/claims/${claimId}/process-instance`, { json: { processInstanceKey: '2251799813999999' } });
    expect(other.status).toBe(409);
  });

  test('submissions at the same moment give one submission and one process instance', async () => {
    const draft = await portal.call('alice', 'POST', '/claims', { json: { ...claimBody(), description: 'Concurrent' } });
    expect(draft.status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 4 }, () => portal.call('alice', 'POST', `/claims/${draft.body.id}/submission`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    const instances = await eventually(async () => {
      const found = await portal.processInstancesOf(draft.body.id);
      return found.length > 0 ? found : undefined;
    });
    const timeline = (await portal.call('alice', 'GET', `/claims/${draft.body.id}`)).body.timeline as { status: string | null }[];
    expect(timeline.filter((e) => e.status === 'received')).toHaveLength(1);
    const submittedAudits = await portal.portal.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'claim.submitted' AND entity_id = $1`, [draft.body.id]);
    expect(submittedAudits[0]!.n).toBe(1);
    // A lost engine answer: nothing recorded the instance, so the sweep publishes again; the engine starts no second one.
    await portal.portal.dataSource.query(`UPDATE claim SET submitted_at = now() - interval '1 minute' WHERE id = $1`, [draft.body.id]);
    await portal.portal.app.get(ProcessStarter).sweep();
    await portal.portal.app.get(ProcessStarter).sweep();
    // The engine's clock past the submission message's time to live: the claim's running instance still refuses a second start.
    await portal.engine.pinClock(Date.now() + 2 * 3_600_000);
    try {
      await portal.portal.app.get(ProcessStarter).sweep();
    } finally {
      await portal.engine.resetClock();
    }
    expect(await portal.processInstancesOf(draft.body.id)).toEqual(instances);
    expect(instances).toHaveLength(1);
  });

  test('the client follows the claim live while the workers move it along', async () => {
    const controller = new AbortController();
    const response = await fetch(`${portal.baseUrl}/api/claims/${claimId}/live`, { headers: { authorization: `Bearer ${await portal.token('alice')}` }, signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let received = '';
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before "${needle}"`);
        received += Buffer.from(value).toString('utf8');
      }
    };
    await readUntil('event: status');
    const moved = await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'in-review' } });
    expect(moved.status).toBe(200);
    await readUntil('A claims adjuster is reviewing your request.');
    controller.abort();
    expect(received).toContain('"status":"in-review"');
  });

  test('an adjuster claims the task and completes it with data the form accepts', async () => {
    const list = await portal.call('adam', 'GET', '/tasks?scope=unassigned');
    expect(list.status).toBe(200);
    const task = list.body.items.find((t: { claim: { id: string } | null }) => t.claim?.id === claimId);
    expect(task).toMatchObject({ name: 'Assess claim', candidateGroups: ['adjuster'], assignee: null, claim: { customerName: 'Alice Martin' } });
    const key = task.userTaskKey as string;

    expect((await portal.call('adam', 'POST', `/tasks/${key}/completion`, { json: { variables: { decision: 'approve' } } })).status).toBe(409); // not claimed yet
    const claimed = await portal.call('adam', 'POST', `/tasks/${key}/assignment`);
    expect(claimed.status).toBe(201);
    expect(claimed.body.assignee).toBe('adam');
    expect(claimed.body.form.id).toBe('assess-claim-test');
    // Taken: said in words, with who and when, not as an engine error.
    const taken = await portal.call('maria', 'POST', `/tasks/${key}/assignment`);
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toBe('Adam took this task a moment ago.');
    const notHers = await portal.call('maria', 'DELETE', `/tasks/${key}/assignment`);
    expect(notHers.status).toBe(409);
    expect(notHers.body.detail).toBe('Adam took this task a moment ago. Only they can give it back.');

    const context = await portal.call('adam', 'GET', `/tasks/${key}/context`);
    expect(context.status).toBe(200);
    expect(context.body.diagram.activeElementIds).toContain('assess-claim');
    expect(context.body.diagram.xml).toContain('claim-reimbursement');
    expect(context.body.claim.documents).toHaveLength(1);
    expect(context.body.policy.number).toBe('POL-100001');

    const refused = await portal.call('adam', 'POST', `/tasks/${key}/completion`, { json: { variables: { decision: 'maybe', note: 'x'.repeat(501), approvedAmount: -1, totalPaid: 1e6 } } });
    expect(refused.status).toBe(400);
    // approvedAmount is hidden unless the decision is "approve": it may not receive a value either.
    expect(refused.body.errors.map((e: { name: string }) => e.name).sort()).toEqual(['approvedAmount', 'decision', 'note', 'totalPaid']);
    const done = await portal.call('adam', 'POST', `/tasks/${key}/completion`, { json: { variables: { decision: 'approve', approvedAmount: 102.5, note: 'All in order.' } } });
    expect(done.status).toBe(200);
    const completed = await portal.call('adam', 'GET', '/tasks?scope=completed');
    expect(completed.body.items.map((t: { userTaskKey: string }) => t.userTaskKey)).toContain(key);
  });

  test('the workers ask for information; the client answers and the process resumes', async () => {
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString();
    await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'information-requested', informationRequested: 'Please send the prescription for the medicines.', informationDue: due } });
    const mine = await portal.call('alice', 'GET', `/claims/${claimId}`);
    expect(mine.body).toMatchObject({ status: 'information-requested', informationRequested: 'Please send the prescription for the medicines.' });
    const answered = await portal.call('alice', 'POST', `/claims/${claimId}/information`, { json: { message: 'Prescription attached.' } });
    expect(answered.status).toBe(202);
    expect((await portal.call('alice', 'POST', `/claims/${claimId}/information`, { json: { message: 'again' } })).status).toBe(409);
    // The answer is kept with its question, and is in the history.
    expect(await portal.portal.dataSource.query('SELECT question, answer, answered_by FROM claim_information_answer WHERE claim_id = $1', [claimId])).toEqual([
      { question: 'Please send the prescription for the medicines.', answer: 'Prescription attached.', answered_by: 'alice' },
    ]);
    const staffView = (await portal.call('adam', 'GET', `/claims/${claimId}`)).body as { timeline: { kind: string; message: string }[] };
    expect(staffView.timeline.find((e) => e.kind === 'information-provided')?.message).toContain('Prescription attached.');
    const instanceKey = (await portal.call('adam', 'GET', `/claims/${claimId}`)).body.processInstanceKey as string;
    // The process has it too, for the next assessment.
    const variables = await eventually(async () => {
      const found = await portal.engine.http('POST', '/v2/variables/search', { filter: { processInstanceKey: instanceKey, name: 'informationAnswer' } });
      return (found.body as { items: { value: string }[] }).items[0];
    });
    expect(JSON.parse(variables.value)).toBe('Prescription attached.');
    await eventually(async () => {
      const instance = await portal.engine.http('GET', `/v2/process-instances/${instanceKey}`);
      return (instance.body as { state: string }).state === 'COMPLETED' ? true : undefined;
    });
  });

  test('the payout is recorded once, however often the payment step runs', async () => {
    const claim = (await portal.call('worker', 'GET', `/internal/claims/${claimId}`)).body;
    // The deductible (100) takes the visit and 40 of the medicines; the policy pays 80 % of the last 2.50.
    const calculated = await portal.call('worker', 'POST', `/internal/claims/${claimId}/benefit-calculation`, { json: { items: claim.items.map((item: { id: string }) => ({ itemId: item.id, decision: 'accept' })) } });
    expect(calculated.body.totalPayable).toBe(2);
    await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'approved' } });
    const first = await portal.call('worker', 'POST', `/internal/claims/${claimId}/payouts`, { json: { attemptKey: 'job-1', amount: 2, status: 'paid', providerReference: 'BANK-1' } });
    const replay = await portal.call('worker', 'POST', `/internal/claims/${claimId}/payouts`, { json: { attemptKey: 'job-1', amount: 2, status: 'paid' } });
    const otherAttempt = await portal.call('worker', 'POST', `/internal/claims/${claimId}/payouts`, { json: { attemptKey: 'job-2', amount: 2, status: 'paid' } });
    expect([first.status, replay.status, otherAttempt.status]).toEqual([201, 200, 200]);
    expect(new Set([first.body.payout.id, replay.body.payout.id, otherAttempt.body.payout.id]).size).toBe(1);
    expect(await portal.count('payout')).toBe(1);
    await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'paid' } });

    const seen = await portal.call('alice', 'GET', `/claims/${claimId}`);
    expect(seen.body).toMatchObject({ status: 'paid', totalPaid: 2, statusText: 'Your reimbursement has been paid.' });
    expect(seen.body.breakdown).toHaveLength(2);
    expect(seen.body.timeline.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining(['We have received your request.', 'We need more information from you.', 'You sent the information we asked for. We are checking your request again.\nYour answer: Prescription attached.', 'Your reimbursement has been paid.']),
    );
    expect(seen.body.timeline.some((e: { kind: string }) => e.kind === 'task-completed')).toBe(false); // staff-only entries stay with staff
    expect(seen.body).not.toHaveProperty('fraudFlags');
    const policies = await portal.call('alice', 'GET', '/me/policies');
    expect(policies.body.items[0].coverage.benefits.find((b: { careCode: string }) => b.careCode === 'GP_VISIT')).toMatchObject({ used: 60, remaining: 940 });
  });

  test('each role sees what it should of the claim', async () => {
    expect((await portal.call('maria', 'GET', `/claims/${claimId}`)).body.documents).toHaveLength(1);
    const callCenter = await portal.call('carla', 'GET', `/claims/${claimId}`);
    expect(callCenter.status).toBe(200);
    expect(callCenter.body.documents).toEqual([]); // no medical documents for call-center agents
    expect((await portal.call('anna', 'GET', `/claims/${claimId}`)).status).toBe(404);
    expect((await portal.call('bruno', 'GET', `/claims/${claimId}`)).status).toBe(404);
    expect((await portal.call('bruno', 'GET', '/claims')).body.items).toEqual([]);
  });

  test('every change and every read of a medical document is in the audit chain, and tampering shows', async () => {
    const documentId = (await portal.call('ivan', 'GET', `/documents?claimId=${claimId}`)).body.items[0].id;
    await fetch(`${portal.baseUrl}/api/documents/${documentId}/content`, { headers: { authorization: `Bearer ${await portal.token('ivan')}` } }).then((r) => r.arrayBuffer());
    const reads = await portal.call('admin', 'GET', `/audit?action=document.read&entityId=${documentId}`);
    expect(reads.body.items.map((e: { actorName: string }) => e.actorName)).toEqual(['ivan', 'alice']);
    const actions = (await portal.call('admin', 'GET', '/audit?limit=500')).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['claim.created', 'claim.submitted', 'claim.process-started', 'document.created', 'document.version-added', 'task.claimed', 'task.completed', 'claim.information-provided', 'claim.updated', 'payout.paid']));
    expect((await portal.call('admin', 'GET', '/audit/verification')).body).toMatchObject({ valid: true });

    await expect(portal.portal.dataSource.query(`UPDATE audit_entry SET actor_name = 'someone' WHERE action = 'payout.paid'`)).rejects.toThrow(/append-only/);
    await expect(portal.portal.dataSource.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
    // Someone with the database owner's rights switches the guard off and edits a row:
    await portal.portal.dataSource.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_change`);
    await portal.portal.dataSource.query(`UPDATE audit_entry SET details = '{"amount": 1}' WHERE action = 'payout.paid'`);
    const check = await portal.call('admin', 'GET', '/audit/verification');
    expect(check.body).toMatchObject({ valid: false, reason: expect.stringContaining('changed') });
  });
});

function fieldForm(type: string): FormData {
  const form = new FormData();
  form.append('type', type);
  return form;
}
