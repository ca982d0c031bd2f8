import { PortalFixture } from '../testing/portal-fixture';
import { PolicyStatusSweep } from './policy-status-sweep';

/** A state recorded ahead takes its policy's own status on its day (here: the day is today). */
describe('policy status sweep', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('policy-status-sweep');
  });

  afterAll(() => portal?.stop());

  test('moves the status column to the state of today\'s period, and leaves others alone', async () => {
    const policies = (await portal.call('alice', 'GET', '/me/policies')).body.items as { id: string; status: string }[];
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    // A suspension recorded yesterday to start tomorrow: the column stays active.
    const recorded = await portal.call('carla', 'POST', `/policies/${policies[0]!.id}/status-changes`, { json: { status: 'suspended', effectiveFrom: tomorrow, reason: 'Client abroad' } });
    expect(recorded.status).toBe(200);
    expect(recorded.body.policy.status).toBe('active');
    // The day comes (moved here to today in the history itself, as the clock of the database cannot be pinned).
    await portal.portal.dataSource.query(`UPDATE policy_status_period SET effective_to = $2 WHERE policy_id = $1 AND status = 'active' AND effective_to = $3`, [policies[0]!.id, new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), today]);
    await portal.portal.dataSource.query(`UPDATE policy_status_period SET effective_from = $2 WHERE policy_id = $1 AND status = 'suspended'`, [policies[0]!.id, today]);
    await portal.portal.app.get(PolicyStatusSweep).sweep();
    expect((await portal.call('alice', 'GET', '/me/policies')).body.items[0].status).toBe('suspended');
    expect((await portal.call('bruno', 'GET', '/me/policies')).body.items[0].status).toBe('active');
  });
});
