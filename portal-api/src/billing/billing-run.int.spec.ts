import { fork } from 'node:child_process';
import path from 'node:path';
import { createLogger, REPOSITORY_ROOT } from '@claims/deploy';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { type PaymentFrequency } from '../products/premium-arithmetic';
import { addDays, todayUtc } from '../products/quote-dates';
import { billingPeriod } from './billing-periods';
import { BILLING_DAY_MAX_DAYS_BACK, checkBillingDay, runBilling } from './billing-run';
import { balances } from './ledger-store';
import { type BillingDatabase, seedPolicy, startBillingDatabase } from './testing/billing-database';

const logger = createLogger('test-billing-run', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
const FREQUENCIES: PaymentFrequency[] = ['monthly', 'quarterly', 'half-yearly', 'yearly'];

interface Seeded {
  scheduleId: string;
  startsOn: string;
  endsOn: string;
  frequency: PaymentFrequency;
  premium: number;
}

/** Policies with starts spread over a year and every frequency; what is due by `horizon` follows from the periods alone. */
async function seedMany(db: BillingDatabase, count: number, salt: number): Promise<Seeded[]> {
  const seeded: Seeded[] = [];
  for (let i = 0; i < count; i += 1) {
    const startsOn = addDays('2025-06-01', (i * 37 + salt) % 365);
    const frequency = FREQUENCIES[(i + salt) % FREQUENCIES.length]!;
    const premium = 1_000 + ((i * 7_919 + salt) % 50_000);
    const endsOn = addDays(`${Number(startsOn.slice(0, 4)) + 1}${startsOn.slice(4)}`, -1);
    const { scheduleId } = await seedPolicy(db.dataSource, { startsOn, frequency, periodPremiumCents: premium });
    seeded.push({ scheduleId, startsOn, endsOn, frequency, premium });
  }
  return seeded;
}

/** Each schedule's periods that start by the horizon and inside cover: what the run must have issued, once each. */
function duePeriods(seeded: readonly Seeded[], horizon: string): Map<string, string[]> {
  const due = new Map<string, string[]>();
  for (const s of seeded) {
    const starts: string[] = [];
    for (let n = 0; ; n += 1) {
      const { from } = billingPeriod(s.startsOn, s.frequency, n);
      if (from > horizon || from > s.endsOn) break;
      starts.push(from);
    }
    due.set(s.scheduleId, starts);
  }
  return due;
}

/** The state the runs left: every due period issued once, numbers 1…n without gap, the ledger's receivable the invoices' total. */
async function expectIssuedOnce(db: BillingDatabase, seeded: readonly Seeded[], horizon: string): Promise<void> {
  const rows = await db.dataSource.query<{ schedule_id: string; period_from: string; number: string; total: number }[]>(
    `SELECT schedule_id, to_char(period_from, 'YYYY-MM-DD') AS period_from, number, total_cents::float8 AS total FROM invoice ORDER BY schedule_id, period_from`,
  );
  const issued = new Map<string, string[]>();
  for (const row of rows) issued.set(row.schedule_id, [...(issued.get(row.schedule_id) ?? []), row.period_from]);
  const due = duePeriods(seeded, horizon);
  expect(Object.fromEntries(issued)).toEqual(Object.fromEntries([...due].filter(([, starts]) => starts.length > 0)));
  // One series per issue year; in each, the numbers are 1…n.
  const bySeries = new Map<string, number[]>();
  for (const { number } of rows) bySeries.set(number.slice(0, 8), [...(bySeries.get(number.slice(0, 8)) ?? []), Number(number.slice(9))]);
  for (const [series, numbers] of bySeries) {
    expect({ series, numbers: [...numbers].sort((a, b) => a - b) }).toEqual({ series, numbers: numbers.map((_, i) => i + 1) });
    const [{ last }] = await db.dataSource.query(`SELECT last_number::int AS last FROM invoice_series WHERE series = $1`, [series]);
    expect(last).toBe(numbers.length);
  }
  const ledger = await balances(db.dataSource.manager);
  expect(ledger.premiums_receivable).toBe(rows.reduce((sum, row) => sum + row.total, 0));
  expect(Object.values(ledger).reduce((a, b) => a + b, 0)).toBe(0);
  const seededTotal = seeded.reduce((sum, s) => sum + s.premium * (due.get(s.scheduleId)!.length), 0);
  expect(ledger.premiums_receivable).toBe(seededTotal);
}

describe('billing run', () => {
  let db: BillingDatabase;

  beforeEach(async () => {
    db = await startBillingDatabase('billing-run', 12);
  });

  afterEach(() => db?.stop());

  test('four runs at once issue each (schedule, period) once, and the series has no gap', async () => {
    const seeded = await seedMany(db, 80, 3);
    const day = '2026-03-10';
    // Batches of 5, so that 80 policies are more than one batch for each run.
    const counts = await Promise.all([0, 1, 2, 3].map(() => runBilling(db.dataSource, logger, day, 14, 5)));
    expect(counts.map((c) => c.failed)).toEqual([0, 0, 0, 0]);
    // They shared the work: the invoices the four counted are the invoices there are, and more than one run took some.
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM invoice`);
    expect(counts.reduce((sum, c) => sum + c.invoices, 0)).toBe(n);
    expect(counts.filter((c) => c.invoices > 0).length).toBeGreaterThan(1);
    await expectIssuedOnce(db, seeded, addDays(day, 14));
    // Run again later: the next periods, still once.
    await Promise.all([0, 1].map(() => runBilling(db.dataSource, logger, '2026-05-01', 14, 5)));
    await expectIssuedOnce(db, seeded, '2026-05-15');
  });

  test('a run for a day gone by dates its invoices the real day of issue; a day ahead or too far back is refused', async () => {
    const today = todayUtc();
    await seedPolicy(db.dataSource, { startsOn: addDays(today, -70), frequency: 'monthly', periodPremiumCents: 4_321 });
    const counts = await runBilling(db.dataSource, logger, addDays(today, -BILLING_DAY_MAX_DAYS_BACK), 0);
    expect(counts.invoices).toBeGreaterThan(0);
    const issued = await db.dataSource.query<{ issued_on: string }[]>(`SELECT DISTINCT to_char(issued_on, 'YYYY-MM-DD') AS issued_on FROM invoice`);
    expect(issued).toEqual([{ issued_on: today }]);
    expect(checkBillingDay(today, today)).toBe(today);
    expect(checkBillingDay(addDays(today, -BILLING_DAY_MAX_DAYS_BACK), today)).toBe(addDays(today, -BILLING_DAY_MAX_DAYS_BACK));
    for (const day of [addDays(today, 1), addDays(today, -BILLING_DAY_MAX_DAYS_BACK - 1)]) {
      expect(() => checkBillingDay(day, today)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ name: 'billingDay' })] }));
    }
  });

  test('a cancellation in progress during a run: the run leaves the policy alone, and the run after bills only the cover left', async () => {
    const today = todayUtc();
    const startsOn = addDays(today, -70);
    const { policyId, scheduleId } = await seedPolicy(db.dataSource, { startsOn, frequency: 'monthly', periodPremiumCents: 5_000 });
    const second = billingPeriod(startsOn, 'monthly', 1).from;
    // The cancellation's transaction, as contracts' setStatus runs it: the policy row locked, the cancellation written, not yet committed.
    const cancellation = db.dataSource.createQueryRunner();
    await cancellation.connect();
    await cancellation.startTransaction();
    await cancellation.query(`SELECT id FROM policy WHERE id = $1 FOR UPDATE`, [policyId]);
    await cancellation.query(`INSERT INTO policy_status_period (policy_id, status, effective_from, reason, recorded_by) VALUES ($1, 'cancelled', $2, 'test', 'test')`, [policyId, second]);
    try {
      // Meanwhile the run: it must not invoice the periods the cancellation is about to take away. The cancellation
      // commits once the run is done or waits on a lock (an invoice's reference to the policy waits for the policy row).
      let done = false;
      const during = runBilling(db.dataSource, logger, today, 0).finally(() => { done = true; });
      await eventually(async () => {
        if (done) return true;
        const [{ waiting }] = await db.dataSource.query<[{ waiting: number }]>(`SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        return waiting > 0 || undefined;
      }, 30_000);
      await cancellation.commitTransaction();
      expect(await during).toMatchObject({ invoices: 0, failed: 0 });
    } finally {
      if (cancellation.isTransactionActive) await cancellation.rollbackTransaction();
      await cancellation.release();
    }
    const after = await runBilling(db.dataSource, logger, today, 0);
    expect(after).toMatchObject({ invoices: 1, stopped: 1, failed: 0 });
    const periods = await db.dataSource.query<{ period_from: string }[]>(`SELECT to_char(period_from, 'YYYY-MM-DD') AS period_from FROM invoice WHERE schedule_id = $1`, [scheduleId]);
    expect(periods).toEqual([{ period_from: startsOn }]);
  });

  test('a transaction aborted at each step of issuing leaves nothing of it, and the re-run issues everything once', async () => {
    const seeded = await seedMany(db, 12, 5);
    const day = '2026-01-20';
    // Each step of an issue, failing on its third occurrence (the run goes on with the others).
    const steps = [
      ['invoice_series', 'UPDATE'],
      ['invoice', 'INSERT'],
      ['invoice_line', 'INSERT'],
      ['journal_entry', 'INSERT'],
      ['journal_posting', 'INSERT'],
      ['billing_schedule', 'UPDATE'],
    ] as const;
    // The failed transaction (a batch of one, or of four) rolls back whole, and its schedules are tried again one by one, in the same run.
    for (const [batchSize, failAt, failed] of [[1, 3, 0], [4, 2, 0]] as const) {
      for (const [table, operation] of steps) {
        await db.dataSource.query(`CREATE SEQUENCE crash_count`);
        await db.dataSource.query(`
          CREATE FUNCTION crash_at_step() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF nextval('crash_count') = ${failAt} THEN RAISE EXCEPTION 'crash at ${table} ${operation}'; END IF;
            RETURN NEW;
          END $$`);
        await db.dataSource.query(`CREATE TRIGGER crash_at_step BEFORE ${operation} ON ${table} FOR EACH ROW EXECUTE FUNCTION crash_at_step()`);
        const crashed = await runBilling(db.dataSource, logger, day, 10, batchSize);
        const [{ crashes }] = await db.dataSource.query(`SELECT last_value >= ${failAt} AS crashes FROM crash_count`);
        expect({ batchSize, table, crashes, failed: crashed.failed }).toEqual({ batchSize, table, crashes: true, failed });
        await db.dataSource.query(`DROP TRIGGER crash_at_step ON ${table}`);
        await db.dataSource.query(`DROP FUNCTION crash_at_step()`);
        await db.dataSource.query(`DROP SEQUENCE crash_count`);
        // What the failed transaction did is gone; the re-run issues what is left, once.
        await runBilling(db.dataSource, logger, day, 10, batchSize);
        await expectIssuedOnce(db, seeded, addDays(day, 10));
        // Restart from nothing for the next step.
        await db.dataSource.query(`TRUNCATE invoice, invoice_line, invoice_series, journal_entry, journal_posting CASCADE`);
        await db.dataSource.query(`UPDATE billing_schedule SET next_period_start = anchor_date`);
      }
    }
    // A schedule that fails every time is counted, holds up no other, and is issued by the run after the cause is gone.
    const broken = seeded[0]!.scheduleId;
    await db.dataSource.query(`
      CREATE FUNCTION crash_for_one() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.schedule_id = '${broken}' THEN RAISE EXCEPTION 'this schedule always fails'; END IF;
        RETURN NEW;
      END $$`);
    await db.dataSource.query(`CREATE TRIGGER crash_for_one BEFORE INSERT ON invoice FOR EACH ROW EXECUTE FUNCTION crash_for_one()`);
    const withBroken = await runBilling(db.dataSource, logger, day, 10, 4);
    expect(withBroken.failed).toBe(1);
    const [{ n }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM invoice WHERE schedule_id = $1`, [broken]);
    expect(n).toBe(0);
    await db.dataSource.query(`DROP TRIGGER crash_for_one ON invoice`);
    expect((await runBilling(db.dataSource, logger, day, 10, 4)).failed).toBe(0);
    await expectIssuedOnce(db, seeded, addDays(day, 10));
  });

  test('a run in a process killed mid-way, then run again, issues every period once', async () => {
    const seeded = await seedMany(db, 400, 11);
    const day = '2026-06-30';
    const child = fork(path.join(__dirname, 'testing', 'billing-run-child.ts'), [db.database.url.href, day, '14'], {
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, SWC_NODE_PROJECT: path.join(REPOSITORY_ROOT, 'tsconfig.json') },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    // Killed while it is issuing: some invoices are in, not all.
    const total = [...duePeriods(seeded, addDays(day, 14)).values()].reduce((sum, starts) => sum + starts.length, 0);
    await eventually(async () => {
      const [{ n }] = await db.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM invoice`);
      return n >= 20 ? n : undefined;
    }, 60_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [{ n: atKill }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM invoice`);
    expect(atKill).toBeLessThan(total);
    const rerun = await runBilling(db.dataSource, logger, day, 14);
    expect(rerun.invoices).toBe(total - atKill);
    await expectIssuedOnce(db, seeded, addDays(day, 14));
  });
});
