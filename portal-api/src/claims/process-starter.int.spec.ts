import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { PortalFixture } from '../testing/portal-fixture';
import { ProcessStarter } from './process-starter';

/**
 * A claim submitted before any claim diagram is deployed (the portal up
 * before the workers deployed the models): nothing is published, since
 * Zeebe would start nothing and then refuse the message's id; once the
 * diagram is deployed the sweep starts it, once, however often it runs.
 */
describe('starting the process of a claim submitted before the diagram was deployed', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('starter');
  });

  afterAll(() => portal?.stop());

  test('the sweep starts it once the diagram is deployed, and only once', async () => {
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    const draft = await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] } });
    const sent = await portal.call('alice', 'POST', `/claims/${draft.body.id}/submission`);
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('received');
    expect(await portal.processInstancesOf(draft.body.id)).toEqual([]);

    await portal.deployTestProcess();
    await portal.portal.dataSource.query(`UPDATE claim SET submitted_at = now() - interval '1 minute' WHERE id = $1`, [draft.body.id]);
    const starter = portal.portal.app.get(ProcessStarter);
    await starter.sweep();
    const instances = await eventually(async () => {
      const found = await portal.processInstancesOf(draft.body.id);
      return found.length > 0 ? found : undefined;
    });
    await starter.sweep();
    await starter.sweep();
    expect(await portal.processInstancesOf(draft.body.id)).toEqual(instances);
    expect(instances).toHaveLength(1);
  });
});
