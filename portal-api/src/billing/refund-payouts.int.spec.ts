import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@claims/deploy';
import { LedgerPaymentProvider } from '@claims/workers/src/payments/ledger-provider';
import { balances } from './ledger-store';
import { payPendingRefunds, type RefundPaymentProvider } from './refund-payouts';
import { type BillingDatabase, seedPolicy, startBillingDatabase } from './testing/billing-database';

/**
 * Refunds owed to a client reach them once: a period that costs less than
 * nothing (a credit note) owes a refund like a cancellation does, and the
 * payout pass sends each pending refund through the embedded payment
 * provider (its journal in a file, as the workers share it) with the
 * refund's key, surviving a lost answer, a replay and two passes at once.
 */
describe('premium refund payouts', () => {
  let db: BillingDatabase;
  let folder: string;
  const logger = createLogger('test-refund-payouts', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });

  beforeAll(async () => {
    db = await startBillingDatabase('refund-payouts');
    folder = await mkdtemp(path.join(tmpdir(), 'refund-payouts-'));
  });

  afterAll(async () => {
    await db?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** A monthly policy whose first period carries a goodwill credit of €500 against €310 of premium: a credit note of €190. */
  async function creditNotePolicy(iban: string | null) {
    const seeded = await seedPolicy(db.dataSource, { startsOn: '2026-03-01', periodPremiumCents: 31_000 });
    await db.dataSource.query(`UPDATE customer SET iban = $2, account_holder = $3 WHERE id = $1`, [seeded.customerId, iban, iban && 'Test Client']);
    await db.dataSource.query(
      `INSERT INTO manual_adjustment (policy_id, code, cents, reason, status, requested_by, approved_by, decided_at, idempotency_key)
       VALUES ($1, 'goodwill', -50000, 'Goodwill after a billing error', 'approved', 'carla', 'marc', now(), $2)`,
      [seeded.policyId, `adjustment-request:test:${seeded.policyId}`],
    );
    const issued = await db.billing.issueInvoiceFor(seeded.scheduleId, '2026-03-01', { issuedOn: '2026-03-01' });
    if (issued.outcome !== 'credit-note') throw new Error(`expected a credit note, got ${issued.outcome}`);
    return { ...seeded, creditNoteId: issued.creditNoteId, number: issued.number };
  }

  const refundOf = async (creditNoteId: string) =>
    (await db.dataSource.query<{ id: string; key: string; cents: number; status: string; reference: string | null }[]>(
      `SELECT id, idempotency_key AS key, cents::int AS cents, status, provider_reference AS reference FROM premium_refund WHERE credit_note_id = $1`,
      [creditNoteId],
    ))[0];
  const paidEntries = (refundId: string) => db.dataSource.query<{ cents: number }[]>(
    `SELECT p.cents::int AS cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id AND p.side = 'debit' WHERE e.idempotency_key = $1`,
    [`refund:${refundId}`],
  );

  test('a credit note of a negative period owes a pending refund of its amount', async () => {
    const { creditNoteId } = await creditNotePolicy('DE89370400440532013000');
    expect(await refundOf(creditNoteId)).toMatchObject({ key: `premium-refund:${creditNoteId}`, cents: 19_000, status: 'pending', reference: null });
  });

  test('a refund is paid exactly once through a lost answer, a replay and two passes at once', async () => {
    await db.dataSource.query(`UPDATE premium_refund SET status = 'paid', provider_reference = 'EARLIER', paid_at = now() WHERE status = 'pending'`);
    const ledger = new LedgerPaymentProvider(0, path.join(folder, 'payments.jsonl'));
    const { creditNoteId } = await creditNotePolicy('DE89370400440532013000');
    const refund = (await refundOf(creditNoteId))!;
    const payableBefore = (await balances(db.dataSource.manager)).refunds_payable;

    // The bank executes the payment, then the portal dies before it records it: the answer is lost, the transaction rolls back.
    const crashing: RefundPaymentProvider = {
      async pay(request) {
        await ledger.pay(request);
        throw new Error('connection reset after the payment was sent');
      },
    };
    expect(await payPendingRefunds(db.dataSource, crashing, logger)).toEqual([{ refundId: refund.id, status: 'failed', reason: 'connection reset after the payment was sent' }]);
    expect((await refundOf(creditNoteId))!.status).toBe('pending');
    expect(await paidEntries(refund.id)).toEqual([]);

    // The next passes, two at once and one after: the provider's key makes the resend a no-op, the portal records it once.
    const passes = await Promise.all([payPendingRefunds(db.dataSource, ledger, logger), payPendingRefunds(db.dataSource, ledger, logger)]);
    expect(passes.flat().map((o) => o.status)).toEqual(['paid']);
    expect(await payPendingRefunds(db.dataSource, ledger, logger)).toEqual([]);

    const sent = ledger.entries().filter((e) => e.idempotencyKey === refund.key);
    expect(sent.filter((e) => e.executed)).toHaveLength(1);
    expect(sent.map((e) => e.amount)).toEqual([190, 190]);
    const after = (await refundOf(creditNoteId))!;
    expect(after).toMatchObject({ status: 'paid', reference: sent[0]!.outcome.status === 'paid' ? sent[0]!.outcome.providerReference : 'none' });
    expect(await paidEntries(refund.id)).toEqual([{ cents: 19_000 }]);
    expect((await balances(db.dataSource.manager)).refunds_payable).toBe(payableBefore + 19_000);
  });

  test('a refund the provider refuses stays pending with the reason, moves no money, and is answered the same when sent again', async () => {
    await db.dataSource.query(`UPDATE premium_refund SET status = 'paid', provider_reference = 'EARLIER', paid_at = now() WHERE status = 'pending'`);
    const ledger = new LedgerPaymentProvider();
    const { creditNoteId } = await creditNotePolicy(null);
    const refund = (await refundOf(creditNoteId))!;
    const refused = [{ refundId: refund.id, status: 'rejected', reason: 'No bank account is on file for the client.' }];
    expect(await payPendingRefunds(db.dataSource, ledger, logger)).toEqual(refused);
    expect(await payPendingRefunds(db.dataSource, ledger, logger)).toEqual(refused);
    expect((await refundOf(creditNoteId))!.status).toBe('pending');
    expect(ledger.entries().filter((e) => e.executed)).toHaveLength(1);
    expect(await paidEntries(refund.id)).toEqual([]);
  });
});
