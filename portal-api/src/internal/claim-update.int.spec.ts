import { PortalFixture } from '../testing/portal-fixture';

/**
 * A worker's update of a claim answers the claim file after it, unless the
 * step asks for a minimal answer (RFC 7240), which most steps do: then 204
 * and no file is assembled, and the update is recorded all the same.
 */
describe("a worker's update of a claim", () => {
  let portal: PortalFixture;
  let policyId: string;

  beforeAll(async () => {
    portal = await PortalFixture.start('claim-update');
    const policies = await portal.call('alice', 'GET', '/me/policies');
    policyId = policies.body.items.find((p: { number: string }) => p.number === 'POL-100001').id;
  });

  afterAll(() => portal?.stop());

  async function submittedClaim(): Promise<string> {
    const created = await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-02', providerName: 'Dr. Laura Chen', careCode: 'GP_VISIT', amount: 60 }] } });
    expect(created.status).toBe(201);
    await portal.portal.dataSource.query(`UPDATE claim SET status = 'received', submitted_at = now() WHERE id = $1`, [created.body.id]);
    return created.body.id as string;
  }

  test('answers the claim file after the update by default', async () => {
    const claimId = await submittedClaim();
    const answer = await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'validating' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ claim: { id: claimId, status: 'validating' }, items: [{ careCode: 'GP_VISIT' }], customer: { fullName: expect.any(String) } });
    expect(answer.headers.get('preference-applied')).toBeNull();
  });

  test('the summary is the head of the file: the claim and its items, nothing else', async () => {
    const claimId = await submittedClaim();
    const file = (await portal.call('worker', 'GET', `/internal/claims/${claimId}`)).body;
    const summary = await portal.call('worker', 'GET', `/internal/claims/${claimId}/summary`);
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({ claim: file.claim, items: file.items });
  });

  test('with Prefer: return=minimal answers 204 with no body, and the update and its timeline entry are recorded', async () => {
    const claimId = await submittedClaim();
    const answer = await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'validating' }, headers: { prefer: 'return=minimal' } });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('preference-applied')).toBe('return=minimal');
    expect(answer.body).toBeFalsy();
    const file = await portal.call('worker', 'GET', `/internal/claims/${claimId}`);
    expect(file.body.claim.status).toBe('validating');
    const [event] = await portal.portal.dataSource.query(`SELECT status FROM claim_event WHERE claim_id = $1 AND status = 'validating'`, [claimId]);
    expect(event).toEqual({ status: 'validating' });
  });

  test('a refused update answers its problem whatever the preference', async () => {
    const claimId = await submittedClaim();
    const answer = await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { totalApproved: 12 }, headers: { prefer: 'return=minimal' } });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  test('a field given as null is cleared, one left out keeps its value, and the version moves only with a change', async () => {
    const claimId = await submittedClaim();
    const due = '2026-12-24T12:00:00.000Z';
    const minimal = { headers: { prefer: 'return=minimal' } };
    expect((await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'information-requested', informationRequested: 'Your receipt, please.', informationDue: due, fraudScore: 12, fraudFlags: [{ rule: 'frequentClaims', reason: 'test', weight: 12 }] }, ...minimal })).status).toBe(204);
    const read = async () => (await portal.portal.dataSource.query(`SELECT status, route, information_requested, information_due, fraud_score, fraud_flags, decision_note, version FROM claim WHERE id = $1`, [claimId]))[0];
    const asked = await read();
    expect(asked).toMatchObject({ status: 'information-requested', information_requested: 'Your receipt, please.', fraud_score: 12, fraud_flags: [{ rule: 'frequentClaims', reason: 'test', weight: 12 }], decision_note: null });
    expect(asked.information_due.toISOString()).toBe(due);
    // A note alone: a timeline entry and an audit entry, the claim's row untouched.
    expect((await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { message: 'Staff only.', visibleToClient: false }, ...minimal })).status).toBe(204);
    expect(await read()).toEqual(asked);
    expect((await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { informationRequested: null, informationDue: null, decisionNote: 'Checked.' }, ...minimal })).status).toBe(204);
    expect(await read()).toMatchObject({ status: 'information-requested', information_requested: null, information_due: null, fraud_score: 12, decision_note: 'Checked.', version: asked.version + 1 });
    const events = await portal.portal.dataSource.query(`SELECT kind, status, message, visible_to_client FROM claim_event WHERE claim_id = $1 ORDER BY id`, [claimId]);
    // The third update gave no status and no message: no timeline entry.
    expect(events.slice(-2)).toEqual([
      { kind: 'status-changed', status: 'information-requested', message: expect.any(String), visible_to_client: true },
      { kind: 'note', status: null, message: 'Staff only.', visible_to_client: false },
    ]);
    const client = await portal.call('alice', 'GET', `/claims/${claimId}`);
    expect(JSON.stringify(client.body)).toContain('We need more information from you.');
    expect(JSON.stringify(client.body)).not.toContain('Staff only.');
  });

  test("item decisions are recorded, another claim's item is refused naming it and nothing is written", async () => {
    const claimId = await submittedClaim();
    const other = await submittedClaim();
    const [mine] = await portal.portal.dataSource.query(`SELECT id FROM claim_item WHERE claim_id = $1`, [claimId]);
    const [theirs] = await portal.portal.dataSource.query(`SELECT id FROM claim_item WHERE claim_id = $1`, [other]);
    const refused = await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'rejected', items: [{ id: mine.id, status: 'rejected', reasonCode: 'NOT_COVERED' }, { id: theirs.id, status: 'rejected', reasonCode: 'NOT_COVERED' }] } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ name: 'items[1].id' })]);
    expect((await portal.portal.dataSource.query(`SELECT status FROM claim WHERE id = $1`, [claimId]))[0].status).toBe('received');
    const done = await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'rejected', totalApproved: 0, items: [{ id: mine.id, status: 'rejected', reasonCode: 'NOT_COVERED', approvedAmount: 0 }] }, headers: { prefer: 'return=minimal' } });
    expect(done.status).toBe(204);
    expect(await portal.portal.dataSource.query(`SELECT status, reason_code, approved_amount::text AS approved FROM claim_item WHERE claim_id = $1`, [claimId])).toEqual([{ status: 'rejected', reason_code: 'NOT_COVERED', approved: '0.00' }]);
    expect((await portal.portal.dataSource.query(`SELECT status, total_approved::text AS total FROM claim WHERE id = $1`, [claimId]))[0]).toEqual({ status: 'rejected', total: '0.00' });
  });

  test('updates of one claim sent at once are all recorded, each audited on one unbroken chain', async () => {
    const claimId = await submittedClaim();
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { message: `Note ${n}`, visibleToClient: false }, headers: { prefer: 'return=minimal' } })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(204));
    const notes = await portal.portal.dataSource.query(`SELECT message FROM claim_event WHERE claim_id = $1 AND kind = 'note'`, [claimId]);
    expect(notes.map((n: { message: string }) => n.message).sort()).toEqual(Array.from({ length: 12 }, (_, n) => `Note ${n}`).sort());
    const entries = await portal.portal.dataSource.query(`SELECT prev_hash, hash FROM audit_entry WHERE stream = $1 ORDER BY seq`, [`claim:${claimId}`]);
    expect(entries.length).toBeGreaterThanOrEqual(13);
    entries.slice(1).forEach((entry: { prev_hash: string }, n: number) => expect(entry.prev_hash).toBe(entries[n].hash));
    expect((await portal.call('admin', 'GET', '/audit/verification')).body).toMatchObject({ valid: true });
  });
});
