import { createLogger } from '@claims/deploy';
import { addDays, todayUtc } from '../products/quote-dates';
import { PortalFixture } from '../testing/portal-fixture';
import { runBilling } from './billing-run';
import { balances } from './ledger-store';
import { billChangeOnIssuedPeriods, billedBeforeChange } from './mid-term-billing';
import { type BillingDatabase, seedPolicy, startBillingDatabase } from './testing/billing-database';

const logger = createLogger('test-mid-term-billing', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });

interface Line { kind: string; code: string; insuredPersonId: string | null; periodFrom: string; periodTo: string; cents: number }

/** Days from `from` to `to`, both included. */
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/**
 * The price of the last `daysAfter` of `days` days of a period costing
 * `cents`, in whole cents: the exact share rounded, a half going to the days
 * before (plain integer arithmetic, independent of the billing code).
 */
const shareOfDays = (cents: number, daysAfter: number, days: number) => Math.floor((cents * daysAfter) / days) + (2 * ((cents * daysAfter) % days) > days ? 1 : 0);

/** The process of a mid-term change with proration: a dependant added inside periods already invoiced, through the contracts endpoint. */
describe('a mid-term change to periods already invoiced', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('mid-term-billing');
    await portal.deployPricing();
  });

  afterAll(() => portal?.stop());

  test('the client\'s next invoice carries the prorated difference for each invoiced period, exact to the cent, once under retries', async () => {
    const policyId = (await portal.call('bruno', 'GET', '/me/policies')).body.items[0].id as string;
    expect((await portal.call('oscar', 'POST', '/billing/runs', { json: {} })).body).toMatchObject({ failed: 0 });
    // Bruno's monthly policy: the current month and the next one are invoiced already.
    const issued = ((await portal.call('bruno', 'GET', '/me/invoices')).body.items as { id: string; periodFrom: string; periodTo: string; totalCents: number }[]).reverse();
    expect(issued).toHaveLength(2);
    const [current, next] = issued as [typeof issued[0], typeof issued[0]];
    const today = todayUtc();
    expect(current.periodFrom < today && today <= current.periodTo).toBe(true);

    // A child joins from today. Sent twice at once (a retry racing the first): one change, the other refused.
    const endorsement = { effectiveFrom: today, addDependants: [{ fullName: 'Léo Petit', relationship: 'child', birthDate: '2016-04-02' }] };
    const answers = await Promise.all([0, 1].map(() => portal.call('carla', 'POST', `/policies/${policyId}/endorsements`, { json: endorsement })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    const changed = answers.find((a) => a.status === 201)!.body;
    // The terms before the change (the policy's first version, priced with the table) and after it.
    const premiumFrom = (from: string) => changed.versions.find((v: { effectiveFrom: string }) => v.effectiveFrom === from).periodPremiumCents as number;
    const oldPremium = premiumFrom(changed.versions[0].effectiveFrom);
    const newPremium = premiumFrom(today);
    expect(changed.versions).toHaveLength(2);
    expect(newPremium).toBeGreaterThan(oldPremium);
    // And once more after it committed: refused, nothing billed again.
    expect((await portal.call('carla', 'POST', `/policies/${policyId}/endorsements`, { json: endorsement })).status).toBe(422);

    // The period premium is shared by the two insured, the policyholder first; the month already begun is prorated from today.
    const holderShare = Math.ceil(newPremium / 2);
    const childShare = newPremium - holderShare;
    const days = daysBetween(current.periodFrom, current.periodTo);
    const daysFromChange = daysBetween(today, current.periodTo);
    const currentDifference = shareOfDays(holderShare, daysFromChange, days) + shareOfDays(childShare, daysFromChange, days) - shareOfDays(oldPremium, daysFromChange, days);
    const nextDifference = newPremium - oldPremium;
    expect(currentDifference).toBeGreaterThan(0);

    // The run after: the month after next is invoiced at the new premium, with one line per invoiced period the change reached.
    const billingDay = addDays(next.periodTo, -13);
    await Promise.all([0, 1].map(() => runBilling(portal.portal.dataSource, logger, billingDay, 14)));
    await runBilling(portal.portal.dataSource, logger, billingDay, 14);
    const after = ((await portal.call('bruno', 'GET', '/me/invoices')).body.items as { id: string; periodFrom: string; totalCents: number }[]);
    expect(after).toHaveLength(3);
    const third = after.find((i) => i.periodFrom === addDays(next.periodTo, 1))!;
    const lines = (await portal.call('bruno', 'GET', `/me/invoices/${third.id}`)).body.lines as Line[];
    const adjustments = lines.filter((l) => l.kind === 'adjustment').map((l) => ({ code: l.code, cents: l.cents }));
    expect(adjustments.sort((a, b) => a.code.localeCompare(b.code))).toEqual([
      { code: `mid-term:${current.periodFrom}`, cents: currentDifference },
      { code: `mid-term:${next.periodFrom}`, cents: nextDifference },
    ]);
    const premiumLines = lines.filter((l) => l.kind === 'premium').map((l) => l.cents).sort((a, b) => b - a);
    expect(premiumLines).toEqual([holderShare, childShare]);
    expect(third.totalCents).toBe(newPremium + currentDifference + nextDifference);
    // The two invoices issued before are as they were; the ledger's receivable is what the three ask.
    expect(after.filter((i) => i.id !== third.id).map((i) => i.totalCents).sort()).toEqual([current.totalCents, next.totalCents].sort());
    const [{ asked }] = await portal.portal.dataSource.query(`SELECT sum(total_cents)::float8 AS asked FROM invoice`);
    expect((await balances(portal.portal.dataSource.manager)).premiums_receivable).toBe(asked);
    const [{ rows }] = await portal.portal.dataSource.query(`SELECT count(*)::int AS rows FROM manual_adjustment WHERE policy_id = $1`, [policyId]);
    expect(rows).toBe(2);
  });
});

/** The same on the billing tables alone: a premium lowered from inside the first of two invoiced months is credited on the next invoice. */
describe('billing a change on the periods already invoiced', () => {
  let db: BillingDatabase;

  beforeAll(async () => {
    db = await startBillingDatabase('mid-term-billing-core');
  });

  afterAll(() => db?.stop());

  test('a lower premium from 21 March: March credited for 11 of 31 days, April in full, once, on May\'s invoice', async () => {
    const { policyId, scheduleId } = await seedPolicy(db.dataSource, { startsOn: '2026-03-01', periodPremiumCents: 10_000, frequency: 'monthly' });
    await db.dataSource.query(`INSERT INTO policy_version (policy_id, version, kind, effective_from, annual_deductible_cents, insured_count, period_premium_cents, change, recorded_by)
                               VALUES ($1, 1, 'issued', '2026-03-01', 30000, 1, 10000, 'issued', 'test')`, [policyId]);
    for (const month of ['2026-03-01', '2026-04-01']) await db.billing.issueInvoiceFor(scheduleId, month, { issuedOn: '2026-03-01' });

    const differences = await db.dataSource.transaction(async (manager) => {
      const before = (await billedBeforeChange(manager, policyId))!;
      await manager.query(`UPDATE policy_version SET effective_to = '2026-03-20' WHERE policy_id = $1`, [policyId]);
      const [version] = await manager.query<{ id: string }[]>(
        `INSERT INTO policy_version (policy_id, version, kind, effective_from, annual_deductible_cents, insured_count, period_premium_cents, change, recorded_by)
         VALUES ($1, 2, 'mid-term-change', '2026-03-21', 100000, 1, 7000, 'Deductible raised', 'carla') RETURNING id`,
        [policyId],
      );
      const change = { id: version!.id, effectiveFrom: '2026-03-21', recordedBy: 'carla', description: 'Deductible raised' };
      const first = await billChangeOnIssuedPeriods(manager, before, change);
      // The step retried in the same transaction: the same differences, no second adjustment.
      expect(await billChangeOnIssuedPeriods(manager, before, change)).toEqual(first);
      return first;
    });
    const march = shareOfDays(7_000, 11, 31) - shareOfDays(10_000, 11, 31);
    expect(differences.map((d) => [d.period.from, d.cents])).toEqual([['2026-03-01', march], ['2026-04-01', -3_000]]);
    const [{ rows }] = await db.dataSource.query(`SELECT count(*)::int AS rows FROM manual_adjustment WHERE policy_id = $1`, [policyId]);
    expect(rows).toBe(2);

    const may = await db.billing.issueInvoiceFor(scheduleId, '2026-05-01', { issuedOn: '2026-04-20' });
    expect(may).toMatchObject({ outcome: 'invoice', totalCents: 7_000 + march - 3_000 });
    const lines = await db.dataSource.query(`SELECT code, cents::float8 AS cents FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.schedule_id = $1 AND i.period_from = '2026-05-01' AND l.kind = 'adjustment' ORDER BY code`, [scheduleId]);
    expect(lines).toEqual([{ code: 'mid-term:2026-03-01', cents: march }, { code: 'mid-term:2026-04-01', cents: -3_000 }]);
    // June carries none of it again.
    const june = await db.billing.issueInvoiceFor(scheduleId, '2026-06-01', { issuedOn: '2026-05-20' });
    expect(june).toMatchObject({ outcome: 'invoice', totalCents: 7_000 });
  });
});
