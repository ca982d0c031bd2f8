/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import fc from 'fast-check';
import { sampleValue } from '@claims/deploy/src/metrics/read-metrics';
import { PortalFixture } from '../testing/portal-fixture';

/**
 * The customer-service endpoints through HTTP on a real PostgreSQL: the
 * timeline pages through everything once, newest first, whatever the page
 * size and however many entries share a time (against the list of what was
 * logged); contacts logged at the same moment with one key are one contact;
 * a correction reads in place of the original, which stays; the metrics count
 * open and overdue follow-ups.
 */
describe('customer service API', () => {
  let portal: PortalFixture;
  let customers = 0;

  beforeAll(async () => {
    portal = await PortalFixture.start('customer-service');
  });

  afterAll(() => portal?.stop());

  /** A customer of their own for each case, with nothing on their timeline yet. */
  const newCustomer = async () => {
    customers += 1;
    const [row] = await portal.portal.dataSource.query<{ id: string }[]>(`INSERT INTO customer (subject, full_name, email) VALUES ($1, 'Timeline Case', 'case@example.com') RETURNING id`, [`timeline-${customers}`]);
    return row!.id;
  };
  const log = (customerId: string, json: Record<string, unknown>, headers: Record<string, string> = {}) => portal.call('carla', 'POST', `/customers/${customerId}/interactions`, { json: { channel: 'call', direction: 'in', summary: 'A call', ...json }, headers });

  test('pages through the timeline once, newest first, for any times and page size (ties included)', async () => {
    const base = Date.parse('2026-06-01T12:00:00Z');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 18 }), fc.integer({ min: 1, max: 7 }), async (minutes, pageSize) => {
        const customerId = await newCustomer();
        // Logged in parallel: the order they land in is not the order of their times.
        const logged = await Promise.all(minutes.map((m, i) => log(customerId, { summary: `call ${i}`, occurredAt: new Date(base + m * 60_000).toISOString() })));
        expect(logged.map((r) => r.status)).toEqual(minutes.map(() => 201));
        const seen: any[] = [];
        let before: string | null | undefined;
        do {
          const page = await portal.call('carla', 'GET', `/customers/${customerId}/timeline?limit=${pageSize}${before ? `&before=${encodeURIComponent(before)}` : ''}`);
          expect(page.status).toBe(200);
          expect(page.body.items.length).toBeLessThanOrEqual(pageSize);
          seen.push(...page.body.items);
          before = page.body.next;
        } while (before);
        // The reference: every contact logged, once, by its time, newest first.
        expect(seen.map((e) => e.id).sort()).toEqual(logged.map((r) => r.body.interaction.id as string).sort());
        const times = seen.map((e) => Date.parse(e.at));
        expect(times).toEqual([...minutes].sort((a, b) => b - a).map((m) => base + m * 60_000));
      }),
      { numRuns: 6 },
    );
  }, 120_000);

  test('the same contact sent eight times at once with one key is one contact, with one follow-up', async () => {
    const customerId = await newCustomer();
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const answers = await Promise.all(Array.from({ length: 8 }, () => log(customerId, { followUp: { dueAt, assigneeTeam: 'call-center' } }, { 'idempotency-key': 'call-once' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.interaction.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.followUp.id)).size).toBe(1);
    const [{ interactions, followUps }] = await portal.portal.dataSource.query<any[]>('SELECT (SELECT count(*)::int FROM customer_interaction WHERE customer_id = $1) AS interactions, (SELECT count(*)::int FROM follow_up WHERE customer_id = $1) AS "followUps"', [customerId]);
    expect({ interactions, followUps }).toEqual({ interactions: 1, followUps: 1 });
    // The metrics count it open, then overdue once its due date is past.
    const metric = async (state: string) => sampleValue(await (await fetch(`${portal.baseUrl}/metrics`)).text(), 'portal_follow_ups_open', { state, component: 'portal' });
    expect([await metric('open'), await metric('overdue'), await metric('escalated')]).toEqual([1, 0, 0]);
    await portal.portal.dataSource.query(`UPDATE follow_up SET due_at = now() - interval '1 minute' WHERE customer_id = $1`, [customerId]);
    expect(await metric('overdue')).toBe(1);
  });

  test('a correction reads in place of the original, which stays, and an adjuster may write it', async () => {
    const customerId = await newCustomer();
    const original = (await log(customerId, { summary: 'Asked about a refnd', outcome: 'Answered', notes: 'first words' })).body.interaction;
    const corrected = await portal.call('adam', 'POST', `/customers/${customerId}/interactions/${original.id}/corrections`, { json: { channel: 'call', direction: 'in', summary: 'Asked about a refund', outcome: 'Answered' } });
    expect(corrected.status).toBe(201);
    const overview = (await portal.call('maria', 'GET', `/customers/${customerId}/overview`)).body;
    expect(overview.interactions).toEqual([expect.objectContaining({ id: original.id, summary: 'Asked about a refund', corrected: true, agent: 'adam', notes: null })]);
    expect(overview.timeline.items).toEqual([expect.objectContaining({ kind: 'interaction', id: original.id, title: 'Call from the customer: Asked about a refund', detail: expect.stringContaining('corrected') })]);
    const rows = await portal.portal.dataSource.query<any[]>('SELECT summary, corrects_id FROM customer_interaction WHERE customer_id = $1 ORDER BY created_at', [customerId]);
    expect(rows).toEqual([{ summary: 'Asked about a refnd', corrects_id: null }, { summary: 'Asked about a refund', corrects_id: original.id }]);
    // Another customer's interaction cannot be corrected through this one.
    const other = await newCustomer();
    expect((await portal.call('carla', 'POST', `/customers/${other}/interactions/${original.id}/corrections`, { json: { channel: 'call', direction: 'in', summary: 'x' } })).status).toBe(404);
  });
});
