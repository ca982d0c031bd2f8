/* eslint-disable no-console -- a benchmark reports on the terminal */
// npm run bench -w portal-api (after dashboard-bench.ts)
//
// The premium billing run over 100,000 policies with monthly schedules,
// seeded by SQL (a fifth with a dependant, a tenth with a mid-term change
// inside the first month), billed by four runs at once as four API instances
// would: every policy's first month in one run (the worst billing day, all
// periods due at once: invoices per second), then an ordinary day (the
// policies whose next month starts at the lead-day horizon).
import { createLogger, recordBenchFigures } from '@claims/deploy';
import { runBilling } from '../src/billing/billing-run';
import { withBenchStack } from './bench-stack';

const POLICIES = Number(process.env.BENCH_BILLING_POLICIES ?? 100_000);
const RUNNERS = Number(process.env.BENCH_BILLING_RUNNERS ?? 4);
/** A night's window: all 100,000 invoiced well inside an hour would do; aim at a minute. */
const AIM_PER_SECOND = POLICIES / 60;

withBenchStack('portal_billing', async ({ portal }) => {
  const query = (sql: string, params?: unknown[]) => portal.dataSource.query(sql, params);
  const t0 = performance.now();
  // Anchors on days 1–28 of January 2026, premiums 20–420 EUR a month.
  await query(`INSERT INTO customer (subject, full_name, email) SELECT 'bench-billing-' || n, 'Bench Client ' || n, 'b' || n || '@example.test' FROM generate_series(1, $1) n`, [POLICIES]);
  await query(`
    INSERT INTO policy (number, customer_id, product, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit, payment_frequency)
    SELECT 'POL-B' || lpad(substr(c.subject, 15), 7, '0'), c.id, 'Health Essential', 'active', d.starts_on, d.starts_on + interval '1 year' - interval '1 day', 'EUR', 300, 0.8, 100000, 'monthly'
      FROM customer c, LATERAL (SELECT date '2026-01-01' + (abs(hashtext(c.subject)) % 28) AS starts_on) d
     WHERE c.subject LIKE 'bench-billing-%'`);
  await query(`
    INSERT INTO billing_schedule (policy_id, frequency, anchor, anchor_date, issued_period_premium_cents, currency, next_period_start)
    SELECT p.id, 'monthly', 'issue-date', p.starts_on, 2000 + abs(hashtext(p.number)) % 40000, 'EUR', p.starts_on FROM policy p WHERE p.number LIKE 'POL-B%'`);
  await query(`
    INSERT INTO policy_member (policy_id, kind, full_name, relationship, birth_date, effective_from)
    SELECT p.id, 'dependant', 'Bench Child', 'child', '2016-05-01', p.starts_on FROM policy p WHERE p.number LIKE 'POL-B%' AND abs(hashtext(p.number || 'dep')) % 5 = 0`);
  await query(`
    INSERT INTO policy_version (policy_id, version, kind, effective_from, annual_deductible_cents, insured_count, period_premium_cents, change, recorded_by)
    SELECT p.id, 1, 'mid-term-change', p.starts_on + 10, 30000, 1, s.issued_period_premium_cents + 1500, 'Deductible lowered', 'bench'
      FROM policy p JOIN billing_schedule s ON s.policy_id = p.id WHERE p.number LIKE 'POL-B%' AND abs(hashtext(p.number || 'chg')) % 10 = 0`);
  await query('VACUUM ANALYZE customer, policy, billing_schedule, policy_member, policy_version');
  console.log(`seeded ${POLICIES.toLocaleString('en')} policies with billing schedules in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const silent = createLogger('bench-billing', { LOG_LEVEL: 'warn' });
  const run = async (billingDay: string, leadDays: number) => {
    const started = performance.now();
    const counts = await Promise.all(Array.from({ length: RUNNERS }, () => runBilling(portal.dataSource, silent, billingDay, leadDays)));
    const seconds = (performance.now() - started) / 1000;
    const invoices = counts.reduce((sum, c) => sum + c.invoices + c.creditNotes, 0);
    const failed = counts.reduce((sum, c) => sum + c.failed, 0);
    return { seconds, invoices, failed };
  };

  // The worst day: every policy's first month due at once.
  const all = await run('2025-12-31', 28);
  const perSecond = all.invoices / all.seconds;
  console.log(`first run: ${all.invoices.toLocaleString('en')} invoices in ${all.seconds.toFixed(1)} s (${perSecond.toFixed(0)} a second), ${all.failed} failed`);
  // An ordinary day: the February periods starting on the 1st, at the 14-day horizon.
  const day = await run('2026-01-18', 14);
  console.log(`one billing day (2026-01-18, 14 lead days): ${day.invoices.toLocaleString('en')} invoices in ${day.seconds.toFixed(2)} s`);
  const [{ gaps }] = await portal.dataSource.query<[{ gaps: number }]>(`SELECT (max(substr(number, 10)::int) - count(*))::int AS gaps FROM invoice WHERE number LIKE 'INV-2025-%' OR number LIKE 'INV-2026-%' GROUP BY substr(number, 1, 8) ORDER BY 1 DESC LIMIT 1`);
  if (all.failed + day.failed > 0 || all.invoices !== POLICIES || gaps !== 0) throw new Error(`Expected ${POLICIES} invoices without failure or gap, but got ${all.invoices} (${all.failed} failed, ${gaps} numbers missing).`);

  await recordBenchFigures('portal-api-billing', [
    { figure: `billing run, ${POLICIES.toLocaleString('en')} monthly policies all due (${RUNNERS} runs at once), invoices per second`, value: `${perSecond.toFixed(0)} /s (${all.seconds.toFixed(1)} s)`, aim: `> ${AIM_PER_SECOND.toFixed(0)} /s`, met: perSecond > AIM_PER_SECOND },
    { figure: `one ordinary billing day over ${POLICIES.toLocaleString('en')} policies (${day.invoices.toLocaleString('en')} invoices due)`, value: `${day.seconds.toFixed(2)} s`, aim: '< 60 s', met: day.seconds < 60 },
  ]);
});
