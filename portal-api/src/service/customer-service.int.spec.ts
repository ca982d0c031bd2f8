/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import fc from 'fast-check';
import { sampleValue } from '@claims/deploy/src/metrics/read-metrics';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
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
    // Other suites' follow-ups share the gauge: counted relative to before.
    const metric = async (state: string) => sampleValue(await (await fetch(`${portal.baseUrl}/metrics`)).text(), 'portal_follow_ups_open', { state, component: 'portal' }) ?? 0;
    const gauges = () => Promise.all(['open', 'overdue', 'escalated'].map(metric));
    const before = await gauges();
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const answers = await Promise.all(Array.from({ length: 8 }, () => log(customerId, { followUp: { dueAt, assigneeTeam: 'call-center' } }, { 'idempotency-key': 'call-once' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.interaction.id)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.followUp.id)).size).toBe(1);
    const [{ interactions, followUps }] = await portal.portal.dataSource.query<any[]>('SELECT (SELECT count(*)::int FROM customer_interaction WHERE customer_id = $1) AS interactions, (SELECT count(*)::int FROM follow_up WHERE customer_id = $1) AS "followUps"', [customerId]);
    expect({ interactions, followUps }).toEqual({ interactions: 1, followUps: 1 });
    // The metrics count it open, then overdue once its due date is past.
    expect(await gauges()).toEqual([before[0]! + 1, before[1], before[2]]);
    await portal.portal.dataSource.query(`UPDATE follow_up SET due_at = now() - interval '1 minute' WHERE customer_id = $1`, [customerId]);
    expect(await metric('overdue')).toBe(before[1]! + 1);
  });

  test('a key used again with another contact or follow-up is refused; another agent’s same key is their own', async () => {
    const customerId = await newCustomer();
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const first = await log(customerId, { summary: 'Asked about a refund', followUp: { dueAt, assigneeAgent: 'carla' } }, { 'idempotency-key': 'reused' });
    expect(first.status).toBe(201);
    for (const changed of [{ summary: 'Asked about something else', followUp: { dueAt, assigneeAgent: 'carla' } }, { summary: 'Asked about a refund', followUp: { dueAt, assigneeTeam: 'call-center' } }, { summary: 'Asked about a refund' }]) {
      const refused = await log(customerId, changed, { 'idempotency-key': 'reused' });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ name: 'Idempotency-Key' })]);
    }
    const again = await log(customerId, { summary: 'Asked about a refund', followUp: { dueAt, assigneeAgent: 'carla' } }, { 'idempotency-key': 'reused' });
    expect(again.status).toBe(200);
    expect(again.body.interaction.id).toBe(first.body.interaction.id);
    // Adam picked the same key for his own call with the customer: a contact of his own.
    const adams = await portal.call('adam', 'POST', `/customers/${customerId}/interactions`, { json: { channel: 'call', direction: 'out', summary: 'Called back' }, headers: { 'idempotency-key': 'reused' } });
    expect(adams.status).toBe(201);
    expect(adams.body.interaction.id).not.toBe(first.body.interaction.id);
    const [{ n }] = await portal.portal.dataSource.query<[{ n: number }]>('SELECT count(*)::int AS n FROM customer_interaction WHERE customer_id = $1', [customerId]);
    expect(n).toBe(2);
  });

  test('a retry after the follow-up’s due date has passed gets the stored answer', async () => {
    const customerId = await newCustomer();
    const dueAt = new Date(Date.now() + 2_000).toISOString();
    const request = { summary: 'Promised a quick call back', followUp: { dueAt, assigneeTeam: 'call-center' } };
    const first = await log(customerId, request, { 'idempotency-key': 'late-retry' });
    expect(first.status).toBe(201);
    await eventually(() => Promise.resolve(Date.now() > Date.parse(dueAt) ? true : undefined));
    const retried = await log(customerId, request, { 'idempotency-key': 'late-retry' });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toMatchObject({ interaction: { id: first.body.interaction.id }, followUp: { id: first.body.followUp.id } });
    // A new key with that due date is a new contact, refused: the date has passed.
    expect((await log(customerId, request, { 'idempotency-key': 'late-new' })).status).toBe(400);
  });

  test('a phone claim whose submission fails tells the client nothing; its retry sends it and tells them once', async () => {
    const customerId = (await portal.call('alice', 'GET', '/me')).body.customer.id as string;
    const policy = ((await portal.call('alice', 'GET', '/me/policies')).body.items as any[]).find((p) => p.number === 'POL-100001');
    const key = `phone-${customers}-${Date.now()}`;
    const file = () => portal.call('carla', 'POST', `/customers/${customerId}/claims`, { json: { policyId: policy.id, callSummary: 'GP visit', items: [{ serviceDate: new Date().toISOString().slice(0, 10), providerName: 'Dr. Phone', careCode: 'GP_VISIT', amount: 40 }] }, headers: { 'idempotency-key': key } });
    const told = async () => (await portal.portal.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM client_notice n JOIN claim c ON c.id = n.claim_id WHERE c.idempotency_key = $1 AND n.template = 'claim-filed-by-phone'`, [key]))[0].n;
    const db = portal.portal.dataSource;
    // The submission fails once: the claim stays a draft.
    await db.query(`CREATE FUNCTION refuse_phone_submission() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'submission refused for the test'; END $$`);
    await db.query(`CREATE TRIGGER refuse_phone_submission BEFORE UPDATE ON claim FOR EACH ROW WHEN (OLD.status = 'draft' AND NEW.status = 'received' AND NEW.intake_channel = 'phone') EXECUTE FUNCTION refuse_phone_submission()`);
    try {
      expect((await file()).status).toBe(500);
    } finally {
      await db.query('DROP TRIGGER refuse_phone_submission ON claim');
      await db.query('DROP FUNCTION refuse_phone_submission()');
    }
    expect(await told()).toBe(0);
    const retried = await file();
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'received', intakeChannel: 'phone' });
    expect((await file()).status).toBe(200);
    expect(await told()).toBe(1);
  });

  test('the customer page lists the customer’s drafts, marked as drafts and not sent', async () => {
    const customerId = (await portal.call('alice', 'GET', '/me')).body.customer.id as string;
    const policy = ((await portal.call('alice', 'GET', '/me/policies')).body.items as any[]).find((p) => p.number === 'POL-100001');
    const draft = await portal.call('alice', 'POST', '/claims', { json: { policyId: policy.id, items: [{ serviceDate: new Date().toISOString().slice(0, 10), providerName: 'Dr. Draft', careCode: 'GP_VISIT', amount: 30 }] } });
    expect(draft.status).toBe(201);
    const overview = (await portal.call('carla', 'GET', `/customers/${customerId}/overview`)).body;
    expect(overview.claims).toContainEqual(expect.objectContaining({ id: draft.body.id, status: 'draft', draft: true, submittedAt: null, statusText: 'Draft: not sent yet' }));
    expect(overview.claims.filter((c: any) => c.status !== 'draft').every((c: any) => c.draft === false && typeof c.submittedAt === 'string')).toBe(true);
  });

  test('a correction reads in place of the original, which stays, and an adjuster may write it', async () => {
    const customerId = await newCustomer();
    const original = (await log(customerId, { summary: 'Asked about a refnd', outcome: 'Answered', notes: 'first words' })).body.interaction;
    const correct = () => portal.call('adam', 'POST', `/customers/${customerId}/interactions/${original.id}/corrections`, { json: { channel: 'call', direction: 'in', summary: 'Asked about a refund', outcome: 'Answered' }, headers: { 'idempotency-key': 'fix-typo' } });
    const corrected = await correct();
    expect(corrected.status).toBe(201);
    // A retry after a lost answer records no second correction.
    const retried = await correct();
    expect(retried.status).toBe(200);
    expect(retried.body.interaction.id).toBe(corrected.body.interaction.id);
    const overview = (await portal.call('maria', 'GET', `/customers/${customerId}/overview`)).body;
    expect(overview.interactions).toEqual([expect.objectContaining({ id: original.id, summary: 'Asked about a refund', corrected: true, agent: 'adam', notes: null })]);
    expect(overview.timeline.items).toEqual([expect.objectContaining({ kind: 'interaction', id: original.id, title: 'Call from the customer: Asked about a refund', detail: expect.stringContaining('corrected') })]);
    const rows = await portal.portal.dataSource.query<any[]>('SELECT summary, corrects_id FROM customer_interaction WHERE customer_id = $1 ORDER BY created_at', [customerId]);
    expect(rows).toEqual([{ summary: 'Asked about a refnd', corrects_id: null }, { summary: 'Asked about a refund', corrects_id: original.id }]);
    // Another customer's interaction cannot be corrected through this one.
    const other = await newCustomer();
    expect((await portal.call('carla', 'POST', `/customers/${other}/interactions/${original.id}/corrections`, { json: { channel: 'call', direction: 'in', summary: 'x' }, headers: { 'idempotency-key': 'other' } })).status).toBe(404);
  });
});
