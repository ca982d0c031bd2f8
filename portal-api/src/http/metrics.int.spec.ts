import { sampleValue } from '@claims/deploy/src/metrics/read-metrics';
import { PortalFixture } from '../testing/portal-fixture';

/** Prometheus text format at GET /metrics on the portal and on the engine, with what the alert rules read. */
describe('metrics endpoints', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('metrics');
  });

  afterAll(() => portal?.stop());

  test('the portal times requests by route pattern and counts claims by status and stuck claims', async () => {
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    const claim = (await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] } })).body.id as string;
    await portal.call('adam', 'GET', `/claims/${claim}`);
    // Left in validating for two days: stuck.
    await portal.portal.dataSource.query(`UPDATE claim SET status = 'validating', updated_at = now() - interval '2 days' WHERE id = $1`, [claim]);
    const answer = await fetch(`${portal.baseUrl}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/plain');
    const text = await answer.text();
    expect(sampleValue(text, 'claims_by_status', { status: 'validating', component: 'portal' })).toBe(1);
    expect(sampleValue(text, 'claims_stuck', { status: 'validating', component: 'portal' })).toBe(1);
    expect(sampleValue(text, 'portal_task_commands_pending', { component: 'portal' })).toBe(0);
    // No claim process is deployed on this engine: a submitted claim waits for the process starter.
    await portal.portal.dataSource.query(`UPDATE claim SET status = 'received', process_instance_key = NULL, updated_at = now() WHERE id = $1`, [claim]);
    const later = await (await fetch(`${portal.baseUrl}/metrics`)).text();
    expect(sampleValue(later, 'portal_claim_submissions_waiting', { component: 'portal' })).toBe(1);
    // The pattern, never the id: one series per route.
    expect(sampleValue(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/api/claims/:claimId', status: '200', component: 'portal' })).toBe(1);
    expect(text).not.toContain(claim);
    expect(text).toContain('process_cpu_seconds_total');
  });

  test('the engine counts open incidents, waiting jobs and batch work left', async () => {
    await portal.engine.http('GET', '/v2/topology');
    const text = await (await fetch(`${portal.engine.baseUrl}/metrics`)).text();
    // Nothing in progress: the items left read 0, not absent (a rule on it sees an idle engine).
    expect(sampleValue(text, 'engine_batch_items_left', { component: 'engine' })).toBe(0);
    expect(text).toContain('# TYPE engine_batch_operations_active gauge');
    expect(sampleValue(text, 'engine_incidents_open', { component: 'engine' })).toBe(0);
    expect(sampleValue(text, 'engine_element_instances_active', { component: 'engine' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/v2/topology', status: '200', component: 'engine' })).toBeGreaterThanOrEqual(1);
  });
});
