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
});
