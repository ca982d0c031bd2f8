import { randomUUID } from 'node:crypto';
import { PortalFixture } from '../testing/portal-fixture';

/** The record of a sent notification: once per dedup key, however often and however concurrently the worker records it. */
describe('recording a sent notification', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('notification-record');
  });

  afterAll(() => portal?.stop());

  const record = (dedupKey: string, extra: Record<string, unknown> = {}) =>
    portal.call('worker', 'POST', '/internal/notifications', { json: { dedupKey, channel: 'email', recipient: 'alice@example.com', template: 'claim-received', subject: 'Received', ...extra } });
  const rows = async (dedupKey: string) => portal.portal.dataSource.query(`SELECT id, claim_id, recipient, subject FROM notification WHERE dedup_key = $1`, [dedupKey]);

  test('a repeat answers the first record, and the first one stays as it was', async () => {
    const first = await record('once-1');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ id: expect.any(String), dedupKey: 'once-1', sentAt: expect.any(String) });
    const again = await record('once-1', { recipient: 'other@example.com', subject: 'Changed' });
    expect(again.body).toEqual(first.body);
    expect(await rows('once-1')).toEqual([{ id: first.body.id, claim_id: null, recipient: 'alice@example.com', subject: 'Received' }]);
    expect((await portal.call('worker', 'GET', '/internal/notifications?dedupKey=once-1')).body).toEqual({ sent: true, sentAt: first.body.sentAt });
  });

  test('sent twenty times at once, it is recorded once and every answer names that record', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => record('racing-1')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const [only, ...more] = await rows('racing-1');
    expect(more).toEqual([]);
    expect(new Set(answers.map((a) => a.body.id))).toEqual(new Set([only.id]));
  });

  test('a claim that does not exist is refused with 404 and nothing is recorded', async () => {
    const missing = randomUUID();
    const answer = await record('missing-claim-1', { claimId: missing });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.detail).toContain(missing);
    expect(await rows('missing-claim-1')).toEqual([]);
  });

  test("a claim's notification names it", async () => {
    const policies = await portal.call('alice', 'GET', '/me/policies');
    const policyId = policies.body.items.find((p: { number: string }) => p.number === 'POL-100001').id;
    const claim = await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-02', providerName: 'Dr. Laura Chen', careCode: 'GP_VISIT', amount: 60 }] } });
    expect((await record('claim-1', { claimId: claim.body.id })).status).toBe(200);
    expect(await rows('claim-1')).toEqual([expect.objectContaining({ claim_id: claim.body.id })]);
  });
});
