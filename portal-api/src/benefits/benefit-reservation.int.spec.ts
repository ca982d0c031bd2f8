/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { PortalFixture } from '../testing/portal-fixture';

/**
 * Limits and the deductible are reserved when a benefit is calculated, under
 * a lock on the policy: claims of one policy calculated at the same moment
 * never use a limit twice nor bear the deductible twice. And a payout is an
 * intent before it is a payment, for the approved total only.
 */
describe('benefit reservations and payout intents', () => {
  let portal: PortalFixture;
  const policies: Record<string, string> = {};
  const DAY = 86_400_000;
  const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

  beforeAll(async () => {
    portal = await PortalFixture.start('reservations');
    await portal.deployTestProcess();
    for (const who of ['alice', 'bruno', 'chloe']) {
      for (const p of (await portal.call(who, 'GET', '/me/policies')).body.items) policies[p.number] = p.id;
    }
  });

  afterAll(() => portal?.stop());

  async function file(who: string, policyNumber: string, items: { careCode: string; amount: number; serviceDate?: string }[]): Promise<{ id: string; itemIds: string[] }> {
    const answer = await portal.call(who, 'POST', '/claims', { json: { policyId: policies[policyNumber], items: items.map((i) => ({ serviceDate: i.serviceDate ?? daysAgo(2), providerName: 'Dr. Test', careCode: i.careCode, amount: i.amount })) } });
    expect(answer.status).toBe(201);
    const claim = (await portal.call('worker', 'GET', `/internal/claims/${answer.body.id}`)).body;
    return { id: answer.body.id, itemIds: claim.items.map((i: { id: string }) => i.id) };
  }

  const acceptAll = (itemIds: string[]) => ({ items: itemIds.map((itemId) => ({ itemId, decision: 'accept' })) });
  const calculate = (claimId: string, body: unknown) => portal.call('worker', 'POST', `/internal/claims/${claimId}/benefit-calculation`, { json: body });
  const sumOf = (lines: any[], field: string) => Math.round(lines.reduce((sum, line) => sum + line[field] * 100, 0));

  async function breakdowns(claimIds: string[]): Promise<any[]> {
    return (await Promise.all(claimIds.map(async (id) => (await portal.call('adam', 'GET', `/claims/${id}`)).body.breakdown))).flat();
  }

  test('N claims calculated at once on one policy: the care limit is used once, the deductible borne once', async () => {
    // Alice's GP visits: 100 per item, 1,000 a year; deductible 100; the policy pays 80 %.
    const claims = await Promise.all(Array.from({ length: 8 }, () => file('alice', 'POL-100001', [{ careCode: 'GP_VISIT', amount: 100 }, { careCode: 'GP_VISIT', amount: 100 }])));
    const answers = await Promise.all(claims.map((c) => calculate(c.id, acceptAll(c.itemIds))));
    expect(answers.map((a) => a.status)).toEqual(claims.map(() => 200));
    const lines = await breakdowns(claims.map((c) => c.id));
    expect(sumOf(lines, 'eligible')).toBe(100_000); // 1,600 claimed, 1,000 the yearly limit
    expect(sumOf(lines, 'deductible')).toBe(10_000);
    expect(sumOf(lines, 'paid')).toBe(72_000); // (1,000 − 100) × 80 %
    expect(answers.reduce((sum, a) => sum + Math.round(a.body.totalPayable * 100), 0)).toBe(72_000);
    const coverage = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].coverage;
    expect(coverage).toMatchObject({ deductibleUsed: 100, deductibleRemaining: 0, annualUsed: 720 });
    expect(coverage.benefits.find((b: any) => b.careCode === 'GP_VISIT')).toMatchObject({ used: 1000, remaining: 0 });

    // A retried calculation replaces the claim's own reservation instead of adding to it.
    const again = await Promise.all(claims.slice(0, 3).map((c) => calculate(c.id, acceptAll(c.itemIds))));
    expect(again.map((a) => a.body.totalPayable)).toEqual(answers.slice(0, 3).map((a) => a.body.totalPayable));
    expect(sumOf(await breakdowns(claims.map((c) => c.id)), 'eligible')).toBe(100_000);

    // A declined claim gives its reservation back.
    const reserving = claims.find((_, i) => answers[i]!.body.totalPayable > 0)!;
    const released = Math.round((await breakdowns([reserving.id])).reduce((s, l) => s + l.eligible * 100, 0));
    expect((await portal.call('worker', 'PATCH', `/internal/claims/${reserving.id}`, { json: { status: 'rejected' } })).status).toBe(200);
    const after = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].coverage;
    expect(Math.round(after.benefits.find((b: any) => b.careCode === 'GP_VISIT').used * 100)).toBe(100_000 - released);
  });

  test('the annual limit caps what the insurer pays, across claims calculated at once', async () => {
    await portal.portal.dataSource.query('UPDATE policy SET annual_limit = 300 WHERE id = $1', [policies['POL-100002']]);
    // Bruno: deductible 250, 70 %; six specialist visits of 200 would pay 665 without the limit.
    const claims = await Promise.all(Array.from({ length: 6 }, () => file('bruno', 'POL-100002', [{ careCode: 'SPECIALIST', amount: 200 }])));
    const answers = await Promise.all(claims.map((c) => calculate(c.id, acceptAll(c.itemIds))));
    expect(answers.map((a) => a.status)).toEqual(claims.map(() => 200));
    const lines = await breakdowns(claims.map((c) => c.id));
    expect(sumOf(lines, 'paid')).toBe(30_000);
    expect(sumOf(lines, 'deductible')).toBe(25_000);
    expect(lines.filter((l) => l.note === 'POLICY_LIMIT').length).toBeGreaterThan(0);
  });

  test('items count in the policy year of their own service date', async () => {
    // Chloe's policy started 400 days ago: a new policy year began 35 days ago, with a new deductible of 100.
    const claim = await file('chloe', 'POL-100003', [{ careCode: 'GP_VISIT', amount: 100, serviceDate: daysAgo(40) }, { careCode: 'GP_VISIT', amount: 100, serviceDate: daysAgo(30) }]);
    const answer = await calculate(claim.id, acceptAll(claim.itemIds));
    expect(answer.body.breakdown.map((l: any) => [l.eligible, l.deductible, l.paid])).toEqual([[100, 100, 0], [100, 100, 0]]);
    const coverage = (await portal.call('chloe', 'GET', '/me/policies')).body.items.find((p: any) => p.number === 'POL-100003').coverage;
    expect(coverage).toMatchObject({ deductibleUsed: 100 });
    expect(coverage.benefits.find((b: any) => b.careCode === 'GP_VISIT')).toMatchObject({ used: 100 });
  });

  test('decisions are matched by item id; ones that do not fit the claim are refused naming the field', async () => {
    const claim = await file('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 150 }, { careCode: 'SPECIALIST', amount: 50 }]);
    // Listed in the other order, the second one declined: the decline lands on the 50.
    const answer = await calculate(claim.id, { items: [{ itemId: claim.itemIds[1], decision: 'decline', reasonCode: 'ADJUSTER_DECISION' }, { itemId: claim.itemIds[0], decision: 'accept' }] });
    expect(answer.body.breakdown.map((l: any) => [l.claimed, l.eligible])).toEqual([[150, 150], [50, 0]]);
    const foreign = await calculate(claim.id, { items: [{ itemId: claim.itemIds[0], decision: 'accept' }, { itemId: '00000000-0000-4000-8000-000000000001', decision: 'accept' }] });
    expect(foreign.status).toBe(422);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    expect(foreign.body.errors).toEqual([{ name: 'items[1].itemId', reason: 'is not an item of this claim' }]);
    const short = await calculate(claim.id, { items: [{ decision: 'accept' }] });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].name).toBe('items');
  });

  test('a payout is an intent first, for the approved total only; after a rejection the next attempt; once paid, never again', async () => {
    const claim = await file('chloe', 'POL-100003', [{ careCode: 'SPECIALIST', amount: 125.5 }]);
    const calculated = await calculate(claim.id, acceptAll(claim.itemIds));
    const total = calculated.body.totalPayable as number;
    expect(total).toBe(100.4); // 80 % of 125.50, the deductible borne by the earlier claim
    const intent = (amount: number) => portal.call('worker', 'POST', `/internal/claims/${claim.id}/payout-intents`, { json: { amount } });
    const payouts = () => portal.portal.dataSource.query<{ status: string; attempt_key: string }[]>('SELECT status, attempt_key FROM payout WHERE claim_id = $1 ORDER BY created_at', [claim.id]);

    const wrong = await intent(100.41);
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ name: 'amount', reason: "must equal the claim's approved total 100.4" }]);
    expect(await payouts()).toEqual([]);
    const legacy = await portal.call('worker', 'POST', `/internal/claims/${claim.id}/payouts`, { json: { attemptKey: 'old-worker-key', amount: 90, status: 'paid' } });
    expect(legacy.status).toBe(422);

    const first = await intent(total);
    expect(first.status).toBe(201);
    expect(first.body.payout).toMatchObject({ status: 'pending', attemptKey: `claim:${claim.id}:payout:1`, amount: total });
    const repeat = await intent(total);
    expect([repeat.status, repeat.body.payout.id]).toEqual([200, first.body.payout.id]);
    // A recalculation while a payout is open would change what is being paid: refused.
    expect((await calculate(claim.id, acceptAll(claim.itemIds))).status).toBe(409);

    const rejected = await portal.call('worker', 'POST', `/internal/claims/${claim.id}/payouts`, { json: { attemptKey: first.body.payout.attemptKey, amount: total, status: 'rejected', rejectionReason: 'Account closed.' } });
    expect([rejected.status, rejected.body.payout.status]).toEqual([201, 'rejected']);
    const second = await intent(total);
    expect(second.body.payout).toMatchObject({ status: 'pending', attemptKey: `claim:${claim.id}:payout:2` });
    const paid = await portal.call('worker', 'POST', `/internal/claims/${claim.id}/payouts`, { json: { attemptKey: second.body.payout.attemptKey, amount: total, status: 'paid', providerReference: 'BANK-2' } });
    expect([paid.status, paid.body.payout.status]).toEqual([201, 'paid']);
    const afterPaid = await intent(total);
    expect([afterPaid.status, afterPaid.body.payout.status, afterPaid.body.payout.attemptKey]).toEqual([200, 'paid', `claim:${claim.id}:payout:2`]);
    expect((await payouts()).map((p) => [p.status, p.attempt_key])).toEqual([
      ['rejected', `claim:${claim.id}:payout:1`],
      ['paid', `claim:${claim.id}:payout:2`],
    ]);
    expect((await portal.call('adam', 'GET', `/claims/${claim.id}`)).body.totalPaid).toBe(total);
  });

  test('a claim with nothing payable can be closed as such, and only then', async () => {
    const payable = await file('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 10 }]);
    await calculate(payable.id, acceptAll(payable.itemIds));
    expect((await portal.call('worker', 'PATCH', `/internal/claims/${payable.id}`, { json: { status: 'closed-nothing-payable' } })).status).toBe(409);
    const nothing = await file('alice', 'POL-100001', [{ careCode: 'SPECIALIST', amount: 10 }]);
    await calculate(nothing.id, { items: [{ itemId: nothing.itemIds[0], decision: 'decline', reasonCode: 'ADJUSTER_DECISION' }] });
    expect((await portal.call('worker', 'PATCH', `/internal/claims/${nothing.id}`, { json: { status: 'closed-nothing-payable' } })).status).toBe(200);
    const seen = (await portal.call('alice', 'GET', `/claims/${nothing.id}`)).body;
    expect(seen).toMatchObject({ status: 'closed-nothing-payable', statusText: 'Your request is closed: under your policy nothing is payable for it.' });
    expect((await portal.call('worker', 'POST', `/internal/claims/${nothing.id}/payout-intents`, { json: { amount: 1 } })).status).toBe(422);
    // Closed for good.
    expect((await calculate(nothing.id, acceptAll(nothing.itemIds))).status).toBe(409);
  });
});
