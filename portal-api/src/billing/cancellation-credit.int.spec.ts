import { todayUtc } from '../products/quote-dates';
import { creditCancellation } from './cancellation-credit';
import { balances, post } from './ledger-store';
import { markRefundPaid } from './premium-refunds';
import { readFigures, reconcile } from './reconciliation';
import { type BillingDatabase, seedPolicy, startBillingDatabase } from './testing/billing-database';

/**
 * A cancellation credited on a real PostgreSQL: the credit note of each
 * invoice with unused days, the open part lowering the invoice and the paid
 * part refunded once; and the daily reconciliation catching a tampered row.
 */
describe('cancellation credit and reconciliation', () => {
  let db: BillingDatabase;
  const shortRate = { method: 'short-rate' as const, penaltyBasisPoints: 500 };

  beforeAll(async () => {
    db = await startBillingDatabase('cancellation-credit');
  });

  afterAll(() => db?.stop());

  /** A monthly policy from June, billed June to December, paid in full but December, where €200 of €310 are paid. */
  async function billedPolicy() {
    const seeded = await seedPolicy(db.dataSource, { startsOn: '2026-06-01', periodPremiumCents: 31_000 });
    const invoices: string[] = [];
    for (const month of ['06', '07', '08', '09', '10', '11', '12']) {
      const issued = await db.billing.issueInvoiceFor(seeded.scheduleId, `2026-${month}-01`, { issuedOn: `2026-${month}-01` });
      if (issued.outcome !== 'invoice') throw new Error('expected an invoice');
      invoices.push(issued.invoiceId);
      await db.billing.recordPayment(issued.invoiceId, month === '12' ? 20_000 : 31_000, `pay-${issued.invoiceId}`);
    }
    return { ...seeded, invoices, december: invoices.at(-1)! };
  }

  const creditOf = (policyId: string) => db.dataSource.transaction((manager) => creditCancellation(manager, policyId, '2026-12-17', '2026-12-02', shortRate));

  test('credits the unused days of December short-rate, to the cent: the open part lowers the invoice, the paid part is refunded', async () => {
    const { policyId, december } = await billedPolicy();
    const before = await balances(db.dataSource.manager);
    const credit = await creditOf(policyId);
    // 17–31 December: 15 of 31 days, 31 000 × 15 / 31 = 15 000 unused; 5 % kept (750): 14 250 credited.
    // December had 11 000 open: that goes first, 3 250 of what was paid goes back.
    expect(credit.calculation).toMatchObject({ creditCents: 14_250, creditOpenCents: 11_000, refundCents: 3_250 });
    expect(credit.calculation.invoices).toEqual([expect.objectContaining({ invoiceId: december, unusedDays: 15, periodDays: 31, unusedCents: 15_000, penaltyCents: 750 })]);
    expect(credit.creditNotes).toHaveLength(1);
    expect(credit.creditNotes[0]!.number).toMatch(/^CN-2026-\d{6}$/);
    const [invoice] = await db.dataSource.query(`SELECT status, amount_open_cents::int AS open, credited_cents::int AS credited FROM invoice WHERE id = $1`, [december]);
    expect(invoice).toEqual({ status: 'paid', open: 0, credited: 11_000 });
    const [note] = await db.dataSource.query(`SELECT reason, total_cents::int AS total, (SELECT sum(cents)::int FROM credit_note_line WHERE credit_note_id = n.id) AS lines FROM credit_note n WHERE policy_id = $1`, [policyId]);
    expect(note).toEqual({ reason: 'cancellation', total: 14_250, lines: -14_250 });
    const after = await balances(db.dataSource.manager);
    expect(after.premiums_receivable - before.premiums_receivable).toBe(-11_000);
    expect(after.refunds_payable - before.refunds_payable).toBe(-3_250);
    expect(after.premium_income - before.premium_income).toBe(14_250);
    const refunds = await db.dataSource.query(`SELECT cents::int AS cents, status, idempotency_key FROM premium_refund WHERE policy_id = $1`, [policyId]);
    expect(refunds).toEqual([{ cents: 3_250, status: 'pending', idempotency_key: `premium-refund:${credit.creditNotes[0]!.id}` }]);
  });

  test('a replayed or concurrent cancellation credits once, and a refund is paid once', async () => {
    const { policyId } = await billedPolicy();
    const [first, second, third] = await Promise.all([creditOf(policyId), creditOf(policyId), creditOf(policyId)]);
    expect([first, second, third].map((c) => c.creditNotes.length).sort()).toEqual([0, 0, 1]);
    const again = await creditOf(policyId);
    expect(again.creditNotes).toEqual([]);
    const counts = async () => (await db.dataSource.query<{ notes: number; refunds: number; entries: number }[]>(
      `SELECT (SELECT count(*)::int FROM credit_note WHERE policy_id = $1) AS notes, (SELECT count(*)::int FROM premium_refund WHERE policy_id = $1) AS refunds,
              (SELECT count(*)::int FROM journal_entry e JOIN credit_note n ON n.number = e.reference WHERE n.policy_id = $1) AS entries`,
      [policyId],
    ))[0];
    expect(await counts()).toEqual({ notes: 1, refunds: 1, entries: 2 });

    const [refund] = await db.dataSource.query<{ id: string }[]>(`SELECT id FROM premium_refund WHERE policy_id = $1`, [policyId]);
    // The table keeps a paid refund honest on its own: paid needs its day and the provider's reference.
    await expect(db.dataSource.query(`UPDATE premium_refund SET status = 'paid' WHERE id = $1`, [refund!.id])).rejects.toMatchObject({ code: '23514' });
    await expect(db.dataSource.query(`UPDATE premium_refund SET cents = 0 WHERE id = $1`, [refund!.id])).rejects.toMatchObject({ code: '23514' });
    const before = await balances(db.dataSource.manager);
    const pay = () => db.dataSource.transaction((manager) => markRefundPaid(manager, refund!.id, 'BANK-REFUND-1'));
    const paid = await Promise.all([pay(), pay()]);
    expect(paid.map((p) => p.replayed).sort()).toEqual([false, true]);
    expect(paid[0].cents).toBe(3_250);
    const after = await balances(db.dataSource.manager);
    expect(after.cash - before.cash).toBe(-3_250);
    expect(after.refunds_payable - before.refunds_payable).toBe(3_250);
    expect(await counts()).toEqual({ notes: 1, refunds: 1, entries: 3 });
    // Another provider answer for a refund already paid is a conflict, not a second payment.
    await expect(pay().then(() => db.dataSource.transaction((manager) => markRefundPaid(manager, refund!.id, 'BANK-OTHER')))).rejects.toMatchObject({ status: 409 });
  });

  test('the day reconciles, and a tampered payment, invoice or posting is flagged with what differs', async () => {
    const today = todayUtc();
    const report = async () => db.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const { figures, unbalanced } = await readFigures(manager, today);
      return reconcile(today, figures, unbalanced, new Date());
    });
    const clean = await report();
    expect(clean.checks.map((c) => [c.check, c.differenceCents])).toEqual([['receivable', 0], ['cash-in', 0], ['cash-out', 0], ['refunds-payable', 0], ['write-offs', 0]]);
    expect(clean.ok).toBe(true);
    // The suite's payments and refunds all happened today: cash in and out are not empty, so the checks compare something.
    expect(clean.checks.find((c) => c.check === 'cash-in')!.ledgerCents).toBeGreaterThan(0);
    expect(clean.checks.find((c) => c.check === 'cash-out')!.ledgerCents).toBe(3_250);

    await db.dataSource.query(`UPDATE invoice_payment SET cents = cents + 7 WHERE id = (SELECT id FROM invoice_payment ORDER BY recorded_at LIMIT 1)`);
    const payment = await report();
    expect(payment.ok).toBe(false);
    expect(payment.checks.filter((c) => !c.ok)).toEqual([expect.objectContaining({ check: 'cash-in', differenceCents: -7 })]);

    const { invoices } = await billedPolicy();
    await db.dataSource.query(`UPDATE invoice_payment SET cents = cents - 7 WHERE id = (SELECT id FROM invoice_payment ORDER BY recorded_at LIMIT 1)`);
    await db.dataSource.query(`UPDATE invoice SET amount_paid_cents = amount_paid_cents + 100 WHERE id = $1`, [invoices.at(-1)]);
    const receivable = await report();
    expect(receivable.checks.filter((c) => !c.ok)).toEqual([expect.objectContaining({ check: 'receivable', differenceCents: 100 })]);
    await db.dataSource.query(`UPDATE invoice SET amount_paid_cents = amount_paid_cents - 100 WHERE id = $1`, [invoices.at(-1)]);
    expect((await report()).ok).toBe(true);

    // The refunds still owed: the first test's refund is pending; one changed behind the ledger's back is flagged.
    expect(clean.checks.find((c) => c.check === 'refunds-payable')!.ledgerCents).toBeGreaterThan(0);
    await db.dataSource.query(`UPDATE premium_refund SET cents = cents + 9 WHERE id = (SELECT id FROM premium_refund WHERE status = 'pending' ORDER BY created_at LIMIT 1)`);
    expect((await report()).checks.filter((c) => !c.ok)).toEqual([expect.objectContaining({ check: 'refunds-payable', differenceCents: -9 })]);
    await db.dataSource.query(`UPDATE premium_refund SET cents = cents - 9 WHERE id = (SELECT id FROM premium_refund WHERE status = 'pending' ORDER BY created_at LIMIT 1)`);
    // A write-off agrees with the ledger (one posted without the invoice written off is flagged below).
    await db.billing.writeOff(invoices.at(-1)!, `write-off-${invoices.at(-1)}`);
    const writtenOff = await report();
    expect(writtenOff.ok).toBe(true);
    expect(writtenOff.checks.find((c) => c.check === 'write-offs')!.ledgerCents).toBe(11_000);

    // The ledger refuses edits; one made behind its triggers' back leaves an entry that does not balance.
    await db.dataSource.transaction(async (manager) => {
      await manager.query(`ALTER TABLE journal_posting DISABLE TRIGGER USER`);
      await manager.query(`UPDATE journal_posting SET cents = cents + 5 WHERE id = (SELECT p.id FROM journal_posting p JOIN journal_entry e ON e.id = p.entry_id WHERE e.kind = 'payment-received' AND p.account = 'cash' ORDER BY p.id DESC LIMIT 1)`);
      await manager.query(`ALTER TABLE journal_posting ENABLE TRIGGER USER`);
    });
    const posting = await report();
    expect(posting.ok).toBe(false);
    expect(posting.unbalancedEntries).toEqual([expect.objectContaining({ kind: 'payment-received', postings: 2, differenceCents: 5 })]);
    expect(posting.checks.filter((c) => !c.ok)).toEqual([expect.objectContaining({ check: 'cash-in', differenceCents: 5 })]);

    // A write-off posted while the invoice stays open (balanced, so no entry is flagged): receivable and write-offs disagree.
    await db.dataSource.transaction((manager) => post(manager, { kind: 'invoice-written-off', key: 'write-off:stray', reference: 'INV-STRAY', cents: 40 }));
    expect((await report()).checks.filter((c) => !c.ok)).toEqual([
      expect.objectContaining({ check: 'receivable', differenceCents: -40 }),
      expect.objectContaining({ check: 'cash-in', differenceCents: 5 }),
      expect.objectContaining({ check: 'write-offs', differenceCents: 40 }),
    ]);
  });
});
