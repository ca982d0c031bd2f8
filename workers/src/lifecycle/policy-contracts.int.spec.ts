/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { RenewalStarter } from '@claims/portal-api/src/contracts/renewal-starter';
import { LifecycleFixture } from '../testing/lifecycle-fixture';

/**
 * Contract administration on the engine with the real workers, portal and
 * outbox: a lapse the claim validation honours, a mid-term change with its
 * price effect and the terms a claim then uses, and bpmn/policy-renewal.bpmn
 * renewing one policy and letting a declined one expire (clock pinned).
 * The clock is pinned only in the last test, after every claim has settled.
 */
let life: LifecycleFixture;
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  life = await LifecycleFixture.start('contracts');
  await life.startWorkers();
}, 120_000);

afterAll(async () => {
  await life?.stop();
});

async function policyOf(client: string, number: string): Promise<{ id: string }> {
  const items = (await life.portal.call(client, 'GET', '/me/policies')).body.items as { id: string; number: string }[];
  return items.find((p) => p.number === number)!;
}

/** A BigInt reference for the pro-rata charge, rounded half away from zero. */
function proRata(before: number, after: number, daysLeft: number, daysInYear: number): number {
  const exact = BigInt(Math.abs(after - before)) * BigInt(daysLeft);
  const whole = Number((2n * exact + BigInt(daysInYear)) / (2n * BigInt(daysInYear)));
  return after < before && whole !== 0 ? -whole : whole;
}

it('refuses care during a lapse with the reason the client reads, and pays care after the reinstatement', async () => {
  const policy = await policyOf('alice', 'POL-100001');
  const lapsed = await life.portal.call('carla', 'POST', `/policies/${policy.id}/status-changes`, { json: { status: 'lapsed', effectiveFrom: day(-10), effectiveTo: day(-5), reason: 'Premium of November unpaid' } });
  expect(lapsed.status).toBe(200);
  expect(lapsed.body.statusHistory.map((p: any) => [p.status, p.effectiveFrom, p.effectiveTo])).toEqual([
    ['active', expect.any(String), day(-11)],
    ['lapsed', day(-10), day(-5)],
    ['active', day(-4), null],
  ]);
  const { claimId } = await life.fileClaim('alice', 'POL-100001', [{ careCode: 'GP_VISIT', amount: 60, serviceDate: day(-7) }, { careCode: 'SPECIALIST', amount: 90 }]);
  const claim = await life.claimWhen(claimId, (c) => ['paid', 'closed-nothing-payable', 'in-review', 'rejected'].includes(c.status));
  const mine = (await life.portal.call('alice', 'GET', `/claims/${claimId}`)).body;
  const [duringLapse, afterIt] = [...mine.items].sort((a: any, b: any) => a.lineNumber - b.lineNumber);
  expect(duringLapse).toEqual(expect.objectContaining({ status: 'rejected', reasonCode: 'POLICY_LAPSED', reason: expect.stringContaining('lapsed on the date of this care') }));
  expect(afterIt.status).not.toBe('rejected');
  expect(claim.status).not.toBe('rejected');
  // The client sees the state and its dates, not the note for the file.
  const contract = (await life.portal.call('alice', 'GET', `/me/policies/${policy.id}/contract`)).body;
  expect(contract.statusHistory[1]).toEqual({ status: 'lapsed', effectiveFrom: day(-10), effectiveTo: day(-5) });
  expect(JSON.stringify(contract)).not.toContain('Premium of November unpaid');
});

it('re-prices a mid-term change from its day, charges the rest of the policy year, and a claim uses the terms in force on the care date', async () => {
  const policy = await policyOf('chloe', 'POL-100003');
  const changed = await life.portal.call('carla', 'POST', `/policies/${policy.id}/endorsements`, { json: { effectiveFrom: day(-3), deductibleCents: 25_000, addDependants: [{ fullName: 'Léa Dubois', relationship: 'child', birthDate: '2018-05-04' }] } });
  expect(changed.status).toBe(201);
  const [issued, endorsement] = changed.body.versions as any[];
  expect(issued).toEqual(expect.objectContaining({ version: 1, kind: 'issued', effectiveTo: day(-4), annualDeductibleCents: 10_000, insuredCount: 1 }));
  expect(endorsement).toEqual(expect.objectContaining({ version: 2, kind: 'mid-term-change', effectiveFrom: day(-3), effectiveTo: null, annualDeductibleCents: 25_000, insuredCount: 2, change: 'Dependant added: Léa Dubois; Deductible changed from €100.00 to €250.00' }));
  // A child costs more than the higher deductible saves; the change is charged for the days left in the policy year.
  expect(endorsement.yearlyPremiumCents).toBeGreaterThan(issued.yearlyPremiumCents);
  const year = changed.body.policy.startsOn as string;
  const yearFrom = (() => {
    let from = year;
    while (Date.parse(from) + 365 * DAY <= Date.parse(day(-3))) from = new Date(Date.UTC(Number(from.slice(0, 4)) + 1, Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10)))).toISOString().slice(0, 10);
    return from;
  })();
  const yearTo = new Date(Date.UTC(Number(yearFrom.slice(0, 4)) + 1, Number(yearFrom.slice(5, 7)) - 1, Number(yearFrom.slice(8, 10))) - DAY).toISOString().slice(0, 10);
  const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1;
  expect(endorsement.adjustmentCents).toBe(proRata(issued.yearlyPremiumCents, endorsement.yearlyPremiumCents, days(day(-3), yearTo), days(yearFrom, yearTo)));
  expect(endorsement.breakdown.find((s: any) => s.factor === 'dependants')).toBeDefined();
  expect(changed.body.dependants).toEqual([expect.objectContaining({ fullName: 'Léa Dubois', effectiveFrom: day(-3), effectiveTo: null })]);
  // The same request again changes nothing: a second change from the same day is refused, nothing charged twice.
  const again = await life.portal.call('carla', 'POST', `/policies/${policy.id}/endorsements`, { json: { effectiveFrom: day(-3), deductibleCents: 25_000, addDependants: [{ fullName: 'Léa Dubois', relationship: 'child', birthDate: '2018-05-04' }] } });
  expect(again.status).toBe(422);
  expect((await life.portal.call('carla', 'GET', `/policies/${policy.id}/contract`)).body.versions).toHaveLength(2);
  // Care before the change is calculated on the old deductible, care after it on the new one.
  const before = await life.fileDraft('chloe', 'POL-100003', [{ careCode: 'GP_VISIT', amount: 40, serviceDate: day(-5) }]);
  const after = await life.fileDraft('chloe', 'POL-100003', [{ careCode: 'GP_VISIT', amount: 40 }]);
  expect((await life.portal.call('worker', 'GET', `/internal/claims/${before.claimId}`)).body.policy.annualDeductible).toBe(100);
  expect((await life.portal.call('worker', 'GET', `/internal/claims/${after.claimId}`)).body.policy.annualDeductible).toBe(250);
});

it('renews a policy on the current product version unless the client declines, lets the declined one expire and a cancelled one end (clock pinned)', async () => {
  // Two policies of alice's ending in 30 days, sold on Health Plus version 1 (the catalog now sells version 2).
  const db = life.portal.portal.dataSource;
  const insert = (number: string) =>
    db.query<{ id: string }[]>(
      `INSERT INTO policy (number, customer_id, product, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit, product_version_id, holder_birth_date, region)
       SELECT $1, customer_id, product, 'active', $2, $3, currency, annual_deductible, coinsurance_rate, annual_limit, product_version_id, holder_birth_date, region FROM policy WHERE number = 'POL-100001' RETURNING id`,
      [number, day(-335), day(30)],
    );
  const [[kept], [declined], [cancelled]] = await Promise.all([insert('POL-R00001'), insert('POL-R00002'), insert('POL-R00003')]);
  // The starter's pass (a pass under way when asked makes the call a no-op, so ask until each is watched).
  await eventually(async () => {
    await life.portal.portal.app.get(RenewalStarter).sweep();
    const watched = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM policy WHERE id = ANY($1) AND renewal_process_key IS NOT NULL', [[kept!.id, declined!.id, cancelled!.id]]);
    return watched[0]!.n === 3 || undefined;
  });
  // The offer is due already (45 days before the end): priced and mailed at once.
  await life.mailTo('alice@example.com', 'Policy POL-R00001: your renewal offer');
  const offerMail = await life.mailTo('alice@example.com', 'Policy POL-R00002: your renewal offer');
  expect(offerMail.Text).toMatch(/We will renew it until .+ for €[\d,.]+ a year/);
  const [current] = await db.query<{ id: string }[]>(`SELECT v.id FROM product_version v JOIN product p ON p.id = v.product_id WHERE p.code = 'HEALTH_PLUS' AND v.effective_to IS NULL`);
  const offer = (await life.portal.call('alice', 'GET', `/me/policies/${kept!.id}/contract`)).body.renewal;
  expect(offer).toEqual(expect.objectContaining({ status: 'offered', termEndsOn: day(30), declinable: true, yearlyPremiumCents: expect.any(Number) }));
  expect((await db.query(`SELECT product_version_id FROM policy_renewal WHERE policy_id = $1`, [kept!.id]))[0].product_version_id).toBe(current!.id);

  // Another client cannot decline alice's renewal; alice declines the second one (twice: the same answer).
  expect((await life.portal.call('bruno', 'POST', `/me/policies/${declined!.id}/renewal/decline`)).status).toBe(404);
  const decline = await life.portal.call('alice', 'POST', `/me/policies/${declined!.id}/renewal/decline`);
  expect(decline.status).toBe(200);
  expect(decline.body.renewal).toEqual(expect.objectContaining({ status: 'declined', declinable: false }));
  expect((await life.portal.call('alice', 'POST', `/me/policies/${declined!.id}/renewal/decline`)).status).toBe(200);

  // The third is cancelled by the call center from 10 days before its end, after its offer went out.
  await life.mailTo('alice@example.com', 'Policy POL-R00003: your renewal offer');
  expect((await life.portal.call('carla', 'POST', `/policies/${cancelled!.id}/cancellation`, { json: { effectiveFrom: day(20), reason: 'Moved abroad' } })).status).toBe(200);

  // 13 days before the end: the reminder, for the policy still renewing only.
  await life.portal.engine.pinClock(Date.parse(`${day(17)}T12:00:00Z`));
  const reminder = await life.mailTo('alice@example.com', 'Policy POL-R00001: renews on');
  expect(reminder.Text).toContain('A reminder');
  expect(life.outbox.mails.some((m) => m.Subject.startsWith('Policy POL-R00002: renews on') || m.Subject.startsWith('Policy POL-R00003: renews on'))).toBe(false);

  // The day after the end: one renewed for a year on the offered terms, the other expired.
  await life.portal.engine.pinClock(Date.parse(`${day(31)}T12:00:00Z`));
  await life.mailTo('alice@example.com', 'Policy POL-R00001: renewed until');
  await life.mailTo('alice@example.com', 'Policy POL-R00002: your cover has ended');
  const renewed = await eventually(async () => {
    const body = (await life.portal.call('carla', 'GET', `/policies/${kept!.id}/contract`)).body;
    return body.renewal?.status === 'renewed' ? body : undefined;
  });
  expect(renewed.policy.endsOn).toBe(new Date(Date.UTC(Number(day(30).slice(0, 4)) + 1, Number(day(30).slice(5, 7)) - 1, Number(day(30).slice(8, 10)))).toISOString().slice(0, 10));
  expect(renewed.versions.at(-1)).toEqual(expect.objectContaining({ kind: 'renewal', effectiveFrom: day(31), yearlyPremiumCents: offer.yearlyPremiumCents }));
  const ended = (await life.portal.call('carla', 'GET', `/policies/${declined!.id}/contract`)).body;
  expect(ended.statusHistory.at(-1)).toEqual(expect.objectContaining({ status: 'expired', effectiveFrom: day(31), effectiveTo: null }));
  expect(ended.renewal.status).toBe('declined');
  // The cancelled one neither renews nor "expires": its instance ends at "Policy cancelled", and the client is not told its cover ended a second time.
  const instance = (await db.query<{ renewal_process_key: string }[]>('SELECT renewal_process_key FROM policy WHERE id = $1', [cancelled!.id]))[0]!.renewal_process_key;
  await eventually(async () => {
    const found = await life.portal.engine.http('POST', '/v2/element-instances/search', { filter: { processInstanceKey: instance, elementId: 'policy-cancelled' } });
    return ((found.body as { items: unknown[] }).items.length > 0) || undefined;
  });
  const third = (await life.portal.call('carla', 'GET', `/policies/${cancelled!.id}/contract`)).body;
  expect(third.policy.endsOn).toBe(day(30));
  expect(third.statusHistory.at(-1)).toEqual(expect.objectContaining({ status: 'cancelled', effectiveFrom: day(20), reason: 'Moved abroad' }));
  expect(life.outbox.mails.some((m) => m.Subject.startsWith('Policy POL-R00003: renewed') || m.Subject.startsWith('Policy POL-R00003: your cover has ended'))).toBe(false);
}, 120_000);
