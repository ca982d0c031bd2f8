import fc from 'fast-check';
import { Problem } from '../http/problem';
import { type PaymentFrequency } from '../products/premium-arithmetic';
import { addDays } from '../products/quote-dates';
import { scheduleById } from './billing-facts';
import { previewNext } from './invoice-issuer';
import { balances } from './ledger-store';
import { type BillingDatabase, seedPolicy, startBillingDatabase } from './testing/billing-database';

const FREQUENCIES: PaymentFrequency[] = ['monthly', 'quarterly', 'half-yearly', 'yearly'];

/** A policy's records as the contract administration and staff leave them: versions, dependants, a cancellation, discounts, fees, adjustments. */
interface RandomPolicy {
  startOffset: number;
  frequency: PaymentFrequency;
  billingDay: number | null;
  premium: number;
  /** Day offsets from the start where a new version begins, with its period premium (null: as issued). */
  versions: { at: number; premium: number | null }[];
  dependants: { from: number; length: number | null }[];
  cancelAt: number | null;
  discounts: { code: string; basisPoints: number; from: number }[];
  fees: { code: string; cents: number }[];
  adjustments: { code: string; cents: number }[];
}

const randomPolicy: fc.Arbitrary<RandomPolicy> = fc.record({
  startOffset: fc.integer({ min: 0, max: 700 }),
  frequency: fc.constantFrom(...FREQUENCIES),
  billingDay: fc.option(fc.integer({ min: 1, max: 28 }), { nil: null }),
  premium: fc.integer({ min: 0, max: 400_000 }),
  versions: fc.uniqueArray(fc.record({ at: fc.integer({ min: 1, max: 300 }), premium: fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: null }) }), { selector: (v) => v.at, maxLength: 3 }),
  dependants: fc.array(fc.record({ from: fc.integer({ min: 0, max: 300 }), length: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }) }), { maxLength: 3 }),
  cancelAt: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null, freq: 4 }),
  discounts: fc.uniqueArray(fc.record({ code: fc.constantFrom('family', 'loyalty', 'staff'), basisPoints: fc.integer({ min: 1, max: 3_333 }), from: fc.integer({ min: 0, max: 200 }) }), { selector: (d) => d.code, maxLength: 3 }),
  fees: fc.array(fc.record({ code: fc.constantFrom('reminder', 'paper-invoice'), cents: fc.integer({ min: 1, max: 2_000 }) }), { maxLength: 2 }),
  adjustments: fc.array(fc.record({ code: fc.constantFrom('goodwill', 'correction'), cents: fc.integer({ min: -50_000, max: 50_000 }).filter((c) => c !== 0) }), { maxLength: 2 }),
});

let keys = 0;
const key = (what: string) => `${what}-${process.pid}-${(keys += 1)}`;

async function seedRandom(db: BillingDatabase, policy: RandomPolicy) {
  const startsOn = addDays('2025-01-01', policy.startOffset);
  const seeded = await seedPolicy(db.dataSource, { startsOn, frequency: policy.frequency, periodPremiumCents: policy.premium, billingDay: policy.billingDay ?? undefined });
  const q = (sql: string, params: unknown[]) => db.dataSource.query(sql, [seeded.policyId, ...params]);
  const cuts = [...policy.versions].sort((a, b) => a.at - b.at);
  for (const [index, version] of cuts.entries()) {
    const from = addDays(startsOn, version.at);
    const to = cuts[index + 1] ? addDays(startsOn, cuts[index + 1]!.at - 1) : null;
    await q(`INSERT INTO policy_version (policy_id, version, kind, effective_from, effective_to, annual_deductible_cents, insured_count, period_premium_cents, change, recorded_by)
             VALUES ($1, $2, 'mid-term-change', $3, $4, 30000, 1, $5, 'test', 'test')`, [index + 1, from, to, version.premium]);
  }
  for (const dependant of policy.dependants) {
    const from = addDays(startsOn, dependant.from);
    await q(`INSERT INTO policy_member (policy_id, kind, full_name, relationship, birth_date, effective_from, effective_to) VALUES ($1, 'dependant', 'Kid', 'child', '2015-01-01', $2, $3)`,
      [from, dependant.length === null ? null : addDays(from, dependant.length)]);
  }
  if (policy.cancelAt !== null) await q(`INSERT INTO policy_status_period (policy_id, status, effective_from, reason, recorded_by) VALUES ($1, 'cancelled', $2, 'test', 'test')`, [addDays(startsOn, policy.cancelAt)]);
  for (const discount of policy.discounts) await q(`INSERT INTO policy_discount (policy_id, code, basis_points, effective_from) VALUES ($1, $2, $3, $4)`, [discount.code, discount.basisPoints, addDays(startsOn, discount.from - 30)]);
  for (const fee of policy.fees) await q(`INSERT INTO pending_fee (policy_id, code, cents, idempotency_key) VALUES ($1, $2, $3, $4)`, [fee.code, fee.cents, key('fee')]);
  for (const adjustment of policy.adjustments) {
    await q(`INSERT INTO manual_adjustment (policy_id, code, cents, reason, status, requested_by, approved_by, idempotency_key) VALUES ($1, $2, $3, 'test', 'approved', 'carla', 'maria', $4)`, [adjustment.code, adjustment.cents, key('adj')]);
  }
  return seeded;
}

describe('billing properties on PostgreSQL', () => {
  let db: BillingDatabase;

  beforeAll(async () => {
    db = await startBillingDatabase('billing-properties');
  });

  afterAll(() => db?.stop());

  test('the preview taken before the run is the issued invoice (or credit note), line for line, period after period', async () => {
    await fc.assert(
      fc.asyncProperty(randomPolicy, fc.integer({ min: 1, max: 3 }), async (policy, periods) => {
        const { scheduleId } = await seedRandom(db, policy);
        for (let n = 0; n < periods; n += 1) {
          const schedule = (await scheduleById(db.dataSource.manager, scheduleId))!;
          const preview = await previewNext(db.dataSource.manager, schedule);
          const issued = await db.billing.issueInvoiceFor(scheduleId, schedule.nextPeriodStart, { issuedOn: addDays(schedule.nextPeriodStart, -7) });
          if (!preview.inCover) {
            expect(issued.outcome).toBe('not-in-cover');
            return;
          }
          const table = issued.outcome === 'invoice' ? 'invoice' : 'credit_note';
          const id = issued.outcome === 'invoice' ? issued.invoiceId : issued.outcome === 'credit-note' ? issued.creditNoteId : '';
          const lines = await db.dataSource.query(
            `SELECT position, kind, code, insured_person_id AS "insuredPersonId", to_char(period_from, 'YYYY-MM-DD') AS "periodFrom", to_char(period_to, 'YYYY-MM-DD') AS "periodTo", cents::float8 AS cents
               FROM ${table}_line WHERE ${table}_id = $1 ORDER BY position`,
            [id],
          );
          const [stored] = await db.dataSource.query(`SELECT total_cents::float8 AS total, terms, to_char(period_from, 'YYYY-MM-DD') AS "from", to_char(period_to, 'YYYY-MM-DD') AS "to" FROM ${table} WHERE id = $1`, [id]);
          expect(lines).toEqual(preview.draft.lines);
          expect(issued.outcome).toBe(preview.draft.totalCents < 0 ? 'credit-note' : 'invoice');
          expect(stored.total).toBe(Math.abs(preview.draft.totalCents));
          expect({ from: stored.from, to: stored.to }).toEqual(preview.period);
          expect(stored.terms).toEqual(JSON.parse(JSON.stringify(preview.terms)));
          // The lines add up to the total, and no line is for a day outside the period.
          expect(lines.reduce((sum: number, line: { cents: number }) => sum + line.cents, 0)).toBe(preview.draft.totalCents);
          for (const line of lines) expect(line.periodFrom >= preview.period.from && line.periodTo <= preview.period.to).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  /**
   * The reference is the operations themselves, not what the code posted: an
   * invoice of a whole month asks its policy's premium; a payment accepted
   * moves its cents from the invoice to cash; a write-off moves what is left
   * to write-offs; a refused payment or a replay moves nothing. Plain sums of
   * those give each account's balance and each invoice's receivable.
   */
  test('after any sequence of issue, payment, partial payment, replay and write-off, each account and each invoice\'s receivable is what the operations add up to', async () => {
    const operation = fc.oneof(
      fc.record({ op: fc.constant('issue' as const), policy: fc.nat(2) }),
      fc.record({ op: fc.constant('pay' as const), invoice: fc.nat(20), share: fc.integer({ min: 1, max: 120 }) }),
      fc.record({ op: fc.constant('replay' as const), payment: fc.nat(20) }),
      fc.record({ op: fc.constant('write-off' as const), invoice: fc.nat(20) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), fc.array(fc.integer({ min: 1, max: 90_000 }), { minLength: 3, maxLength: 3 }), async (operations, premiums) => {
        const before = await balances(db.dataSource.manager);
        const policies = await Promise.all(premiums.map((premium, i) => seedPolicy(db.dataSource, { startsOn: addDays('2026-01-01', i * 11), frequency: 'monthly', periodPremiumCents: premium })));
        const invoices: { id: string; number: string; issued: number; paid: number; writtenOff: number; open: number }[] = [];
        const payments: { invoiceId: string; cents: number; key: string; first: unknown }[] = [];
        const expectRefused = async (promise: Promise<unknown>, status: number) => {
          const error = await promise.then(() => null, (e: unknown) => e);
          expect(error).toBeInstanceOf(Problem);
          expect((error as Problem).getStatus()).toBe(status);
        };
        for (const step of operations) {
          if (step.op === 'issue') {
            const schedule = (await scheduleById(db.dataSource.manager, policies[step.policy]!.scheduleId))!;
            const issued = await db.billing.issueInvoiceFor(schedule.id, schedule.nextPeriodStart, { issuedOn: schedule.nextPeriodStart });
            if (issued.outcome !== 'invoice') throw new Error(`expected an invoice, got ${issued.outcome}`);
            // A whole month of a policy of one person: its premium, whatever the code says it issued.
            expect(issued.totalCents).toBe(premiums[step.policy]);
            invoices.push({ id: issued.invoiceId, number: issued.number, issued: premiums[step.policy]!, paid: 0, writtenOff: 0, open: premiums[step.policy]! });
          } else if (step.op === 'pay' && invoices.length > 0) {
            const invoice = invoices[step.invoice % invoices.length]!;
            // A share of 1–120 % of what was issued: above what is open is refused.
            const cents = Math.max(1, Math.round((invoice.open * step.share) / 100));
            const paymentKey = key('pay');
            if (invoice.open === 0) {
              await expectRefused(db.billing.recordPayment(invoice.id, cents, paymentKey), 409);
            } else if (cents > invoice.open) {
              await expectRefused(db.billing.recordPayment(invoice.id, cents, paymentKey), 422);
            } else {
              const result = await db.billing.recordPayment(invoice.id, cents, paymentKey);
              invoice.open -= cents;
              invoice.paid += cents;
              expect(result).toMatchObject({ amountOpenCents: invoice.open, status: invoice.open === 0 ? 'paid' : 'open', replayed: false });
              payments.push({ invoiceId: invoice.id, cents, key: paymentKey, first: result });
            }
          } else if (step.op === 'replay' && payments.length > 0) {
            const payment = payments[step.payment % payments.length]!;
            expect(await db.billing.recordPayment(payment.invoiceId, payment.cents, payment.key)).toEqual({ ...(payment.first as object), replayed: true });
          } else if (step.op === 'write-off' && invoices.length > 0) {
            const invoice = invoices[step.invoice % invoices.length]!;
            const writeOffKey = `write-off-test-${invoice.id}`;
            if (invoice.open === 0) {
              const [{ status }] = await db.dataSource.query(`SELECT status FROM invoice WHERE id = $1`, [invoice.id]);
              if (status === 'written_off') expect((await db.billing.writeOff(invoice.id, writeOffKey)).replayed).toBe(true);
              else await expectRefused(db.billing.writeOff(invoice.id, writeOffKey), 409);
            } else {
              const result = await db.billing.writeOff(invoice.id, writeOffKey);
              expect(result).toEqual({ invoiceId: invoice.id, writtenOffCents: invoice.open, replayed: false });
              invoice.writtenOff += invoice.open;
              invoice.open = 0;
            }
          }
        }
        const after = await balances(db.dataSource.manager);
        const moved = Object.fromEntries(Object.entries(after).map(([account, balance]) => [account, balance - before[account as keyof typeof before]]));
        const total = (pick: (i: (typeof invoices)[number]) => number) => invoices.reduce((sum, i) => sum + pick(i), 0);
        expect(moved).toEqual({
          ...Object.fromEntries(Object.keys(after).map((account) => [account, 0])),
          premiums_receivable: total((i) => i.issued - i.paid - i.writtenOff),
          premium_income: 0 - total((i) => i.issued), // never -0
          cash: total((i) => i.paid),
          write_offs: total((i) => i.writtenOff),
        });
        // Each invoice's receivable in the ledger (debits less credits of its entries) is what it was issued less what was paid and written off.
        const receivable = await db.dataSource.query<{ reference: string; cents: number }[]>(
          `SELECT e.reference, sum(CASE p.side WHEN 'debit' THEN p.cents ELSE -p.cents END)::float8 AS cents
             FROM journal_posting p JOIN journal_entry e ON e.id = p.entry_id WHERE p.account = 'premiums_receivable' AND e.reference = ANY($1::text[]) GROUP BY e.reference`,
          [invoices.map((i) => i.number)],
        );
        expect(Object.fromEntries(receivable.map((r) => [r.reference, r.cents]))).toEqual(Object.fromEntries(invoices.map((i) => [i.number, i.issued - i.paid - i.writtenOff])));
        expect(Object.values(after).reduce((a, b) => a + b, 0)).toBe(0);
        const [{ open }] = await db.dataSource.query(`SELECT coalesce(sum(amount_open_cents), 0)::float8 AS open FROM invoice`);
        expect(after.premiums_receivable).toBe(open);
        // The test's own count of what is open agrees with the invoices.
        const stored = await db.dataSource.query<{ id: string; open: number }[]>(`SELECT id, amount_open_cents::float8 AS open FROM invoice WHERE id = ANY($1::uuid[])`, [invoices.map((i) => i.id)]);
        expect(Object.fromEntries(stored.map((s) => [s.id, s.open]))).toEqual(Object.fromEntries(invoices.map((i) => [i.id, i.open])));
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
