import { PortalFixture } from '../testing/portal-fixture';

/**
 * Staff search on a real PostgreSQL with pg_trgm: customers found through
 * typos, by phone as people say it, by customer and policy number; claims by
 * every filter, paged, newest first, drafts left out.
 */
describe('staff search', () => {
  let portal: PortalFixture;
  const claims: Record<'aliceOld' | 'aliceBig' | 'bruno' | 'chloe' | 'draft', string> = {} as never;

  beforeAll(async () => {
    portal = await PortalFixture.start('search');
    const policyOf = async (who: string) => ((await portal.call(who, 'GET', '/me/policies')).body.items as { id: string; status: string }[]).find((p) => p.status === 'active')!.id;
    const file = async (who: string, amount: number) => {
      const answer = await portal.call(who, 'POST', '/claims', { json: { policyId: await policyOf(who), items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount }] } });
      return answer.body.id as string;
    };
    claims.aliceOld = await file('alice', 40);
    claims.aliceBig = await file('alice', 900);
    claims.bruno = await file('bruno', 75);
    claims.chloe = await file('chloe', 120);
    claims.draft = await file('alice', 60);
    // Where each claim stands, as the workers would have left it (no process runs here).
    const set = (id: string, status: string, route: string | null, submittedAt: string) =>
      portal.portal.dataSource.query('UPDATE claim SET status = $2, route = $3, submitted_at = $4 WHERE id = $1', [id, status, route, submittedAt]);
    await set(claims.aliceOld, 'paid', 'straight-through', '2026-01-15T10:00:00Z');
    await set(claims.aliceBig, 'in-review', 'review', '2026-03-02T09:00:00Z');
    await set(claims.bruno, 'investigating', 'investigation', '2026-03-20T12:00:00Z');
    await set(claims.chloe, 'validating', null, '2026-04-01T08:00:00Z');
  });

  afterAll(() => portal?.stop());

  const customers = async (q: string, who = 'carla') => {
    const answer = await portal.call(who, 'GET', `/staff/search/customers?q=${encodeURIComponent(q)}`);
    expect(answer.status).toBe(200);
    return answer.body as { items: { name: string; number: string; policyNumbers: string[]; policies?: { id: string; number: string }[]; claims: number }[]; total: number };
  };
  const claimSearch = async (query: string, who = 'oscar') => {
    const answer = await portal.call(who, 'GET', `/staff/search/claims?${query}`);
    expect(answer.status).toBe(200);
    return answer.body as { items: { id: string; reference: string; route: string | null; customer: { name: string } }[]; total: number; totalCapped: boolean };
  };

  test('customers are numbered, and found by name with a typo, by email, phone, customer and policy number', async () => {
    const all = await portal.portal.dataSource.query<{ full_name: string; number: string }[]>('SELECT full_name, number FROM customer ORDER BY number');
    expect(all.map((c) => c.number)).toEqual(['CUS-000001', 'CUS-000002', 'CUS-000003']);
    expect((await customers('alice martn')).items[0]).toMatchObject({ name: 'Alice Martin', policyNumbers: ['POL-100001'], claims: 2 });
    // Each policy with its id, which the staff app links to the contract view.
    const [alicePolicy] = await portal.portal.dataSource.query<{ id: string }[]>(`SELECT id FROM policy WHERE number = 'POL-100001'`);
    expect((await customers('alice martn')).items[0]).toMatchObject({ policies: [{ id: alicePolicy!.id, number: 'POL-100001' }] });
    expect((await customers('Keler')).items.map((c) => c.name)).toEqual(['Bruno Keller']);
    expect((await customers('chloe@exmple.com')).items[0]!.name).toBe('Chloé Dubois');
    // Said on the phone in national form; stored as +33612345602.
    expect((await customers('06 12 34 56 02')).items.map((c) => c.name)).toEqual(['Bruno Keller']);
    expect((await customers('cus-000003')).items.map((c) => c.name)).toEqual(['Chloé Dubois']);
    // Chloé's cancelled policy finds her too.
    expect((await customers('POL-090017')).items.map((c) => c.name)).toEqual(['Chloé Dubois']);
    expect((await customers('zzqx')).items).toEqual([]);
  });

  test('customer results are paged', async () => {
    const first = await portal.call('carla', 'GET', '/staff/search/customers?q=example.com&limit=2');
    expect(first.body.total).toBe(3);
    expect(first.body.items).toHaveLength(2);
    const rest = await portal.call('carla', 'GET', '/staff/search/customers?q=example.com&limit=2&offset=2');
    expect(rest.body.items).toHaveLength(1);
    expect([...first.body.items, ...rest.body.items].map((c: { name: string }) => c.name).sort()).toEqual(['Alice Martin', 'Bruno Keller', 'Chloé Dubois']);
  });

  test('claims by every filter, newest first, drafts left out', async () => {
    const ids = (found: { items: { id: string }[] }) => found.items.map((c) => c.id);
    expect(ids(await claimSearch(''))).toEqual([claims.chloe, claims.bruno, claims.aliceBig, claims.aliceOld]);
    expect(ids(await claimSearch('status=paid,in-review'))).toEqual([claims.aliceBig, claims.aliceOld]);
    expect(ids(await claimSearch('status=paid&status=investigating'))).toEqual([claims.bruno, claims.aliceOld]);
    expect(ids(await claimSearch('route=investigation'))).toEqual([claims.bruno]);
    expect(ids(await claimSearch('client=alice%20martn'))).toEqual([claims.aliceBig, claims.aliceOld]);
    expect(ids(await claimSearch('client=POL-100002'))).toEqual([claims.bruno]);
    expect(ids(await claimSearch('minAmount=100&maxAmount=900'))).toEqual([claims.chloe, claims.aliceBig]);
    expect(ids(await claimSearch('submittedFrom=2026-03-01&submittedTo=2026-03-20'))).toEqual([claims.bruno, claims.aliceBig]);
    const reference = (await portal.call('adam', 'GET', `/claims/${claims.bruno}`)).body.reference as string;
    const found = await claimSearch(`reference=${reference.slice(-6)}`);
    expect(found.items.map((c) => [c.id, c.route, c.customer.name])).toEqual([[claims.bruno, 'investigation', 'Bruno Keller']]);
    const customerId = (await portal.call('chloe', 'GET', '/me')).body.customer.id as string;
    expect(ids(await claimSearch(`customerId=${customerId}`))).toEqual([claims.chloe]);
    const paged = await claimSearch('limit=3&offset=3');
    expect({ ids: ids(paged), total: paged.total, capped: paged.totalCapped }).toEqual({ ids: [claims.aliceOld], total: 4, capped: false });
  });

  test('the searches can use the trigram and submission-time indexes', async () => {
    const plan = async (sql: string, params: unknown[]) =>
      portal.portal.dataSource.transaction(async (manager) => {
        // Three customers make a sequential scan cheapest; the question is whether the index can serve the condition at all.
        await manager.query('SET LOCAL enable_seqscan = off');
        return (await manager.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');
      });
    expect(await plan('SELECT id FROM customer WHERE $1 <% full_name', ['alice martn'])).toMatch(/customer_full_name_trgm/);
    expect(await plan('SELECT id FROM policy WHERE number ILIKE $1', ['%100002%'])).toMatch(/policy_number_trgm/);
    expect(await plan('SELECT id FROM claim WHERE reference ILIKE $1', ['%000042%'])).toMatch(/claim_reference_trgm/);
    expect(await plan(`SELECT id FROM claim WHERE status = ANY($1) ORDER BY submitted_at DESC, id LIMIT 25`, [['paid']])).toMatch(/claim_status_submitted/);
  });

  test('a claim moving on records its route', async () => {
    const id = claims.chloe;
    const route = async () => (await portal.portal.dataSource.query<{ route: string | null }[]>('SELECT route FROM claim WHERE id = $1', [id]))[0]!.route;
    await portal.call('worker', 'PATCH', `/internal/claims/${id}`, { json: { status: 'screening' } });
    expect(await route()).toBeNull();
    await portal.call('worker', 'PATCH', `/internal/claims/${id}`, { json: { status: 'in-review' } });
    expect(await route()).toBe('review');
    await portal.call('worker', 'PATCH', `/internal/claims/${id}`, { json: { status: 'approved' } });
    expect(await route()).toBe('review');
  });
});
