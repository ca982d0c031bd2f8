import fc from 'fast-check';
import { assertBalanced, journalEntryFor, LEDGER_ACCOUNTS, Ledger, LedgerKeyConflict, type LedgerOperation, type LedgerOperationKind } from './ledger-model';

const KINDS: LedgerOperationKind[] = ['invoice-issued', 'invoice-adjusted', 'credit-note-issued', 'refund-due', 'overpayment-refund-due', 'overpayment-refund-cancelled', 'refund-paid', 'payment-received', 'payment-reversed', 'invoice-written-off', 'claim-paid'];

/**
 * The reference, written from the accountant's table rather than from the
 * implementation's debit/credit pairs: what each event adds to each account
 * in plain amounts, and a list of keys already seen with what they carried.
 */
class ReferenceBooks {
  receivable = 0; income = 0; cash = 0; refundsOwed = 0; claimsPaid = 0; writtenOff = 0;
  private readonly seen = new Map<string, string>();

  /** 'posted', 'replayed' or 'conflict' (nothing moves on the last two). */
  apply(op: LedgerOperation): 'posted' | 'replayed' | 'conflict' {
    const what = `${op.kind}|${op.reference}|${op.cents}`;
    const before = this.seen.get(op.key);
    if (before !== undefined) return before === what ? 'replayed' : 'conflict';
    this.seen.set(op.key, what);
    const c = op.cents;
    switch (op.kind) {
      case 'invoice-issued': case 'invoice-adjusted': this.receivable += c; this.income += c; break;
      case 'credit-note-issued': this.receivable -= c; this.income -= c; break;
      case 'refund-due': this.income -= c; this.refundsOwed += c; break;
      case 'overpayment-refund-due': this.receivable += c; this.refundsOwed += c; break;
      case 'overpayment-refund-cancelled': this.receivable -= c; this.refundsOwed -= c; break;
      case 'refund-paid': this.refundsOwed -= c; this.cash -= c; break;
      case 'payment-received': this.cash += c; this.receivable -= c; break;
      case 'payment-reversed': this.cash -= c; this.receivable += c; break;
      case 'invoice-written-off': this.writtenOff += c; this.receivable -= c; break;
      case 'claim-paid': this.claimsPaid += c; this.cash -= c; break;
    }
    return 'posted';
  }

  /** Debit-positive, as the ledger reports: income and what we owe are credits. */
  asTrialBalance() {
    return {
      premiums_receivable: this.receivable, premium_income: 0 - this.income, cash: this.cash,
      refunds_payable: 0 - this.refundsOwed, claim_payouts: this.claimsPaid, write_offs: this.writtenOff,
    };
  }

  get postedKeys(): number {
    return this.seen.size;
  }
}

const operation: fc.Arbitrary<LedgerOperation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  // A small pool, so a key comes back often, mostly with other content (a conflict).
  key: fc.integer({ min: 1, max: 20 }).map((n) => `key-${n}`),
  reference: fc.constantFrom('inv-1', 'inv-2', 'cn-1', 'pay-1', 'payout-1'),
  cents: fc.integer({ min: 1, max: 10_000_000 }),
  negative: fc.boolean(),
}).map(({ kind, key, reference, cents, negative }) => ({ kind, key, reference, cents: kind === 'invoice-adjusted' && negative ? -cents : cents }));

/** New operations mixed with exact replays of earlier ones (a retried job, a second process instance). */
const history = fc.array(fc.oneof(operation, fc.nat()), { maxLength: 80 }).map((steps) => {
  const ops: LedgerOperation[] = [];
  for (const step of steps) {
    if (typeof step !== 'number') ops.push(step);
    else if (ops.length > 0) ops.push({ ...ops[step % ops.length]! });
  }
  return ops;
});

describe('the premium ledger', () => {
  it('after any sequence of operations, replays and conflicts, equals the reference books and balances', () => {
    fc.assert(fc.property(history, (ops) => {
      const ledger = new Ledger();
      const books = new ReferenceBooks();
      for (const op of ops) {
        const expected = books.apply(op);
        if (expected === 'conflict') {
          expect(() => ledger.post(op)).toThrow(LedgerKeyConflict);
        } else {
          expect(ledger.post(op).replayed).toBe(expected === 'replayed');
        }
        expect(ledger.trialBalance()).toEqual(books.asTrialBalance());
      }
      const balances = ledger.trialBalance();
      expect(LEDGER_ACCOUNTS.reduce((a, account) => a + balances[account], 0)).toBe(0);
      const entries = ledger.entries();
      expect(entries).toHaveLength(books.postedKeys);
      expect(new Set(entries.map((e) => e.idempotencyKey)).size).toBe(entries.length);
      for (const entry of entries) expect(() => assertBalanced(entry)).not.toThrow();
    }), { numRuns: 400 });
  });

  it('posts one entry for a retried payment, and names the key when it is reused for something else', () => {
    const ledger = new Ledger();
    ledger.post({ kind: 'invoice-issued', key: 'invoice:inv-1', reference: 'inv-1', cents: 12_000 });
    const payment = { kind: 'payment-received', key: 'payment:psp-77', reference: 'inv-1', cents: 12_000 } as const;
    expect(ledger.post(payment).replayed).toBe(false);
    expect(ledger.post({ ...payment }).replayed).toBe(true);
    expect(() => ledger.post({ ...payment, cents: 12_001 })).toThrow(/payment:psp-77/);
    expect(ledger.trialBalance()).toEqual({ premiums_receivable: 0, premium_income: -12_000, cash: 12_000, refunds_payable: 0, claim_payouts: 0, write_offs: 0 });
  });

  it('a returned direct debit reverses its payment once: the client owes the invoice again and the cash goes back', () => {
    const ledger = new Ledger();
    ledger.post({ kind: 'invoice-issued', key: 'invoice:inv-2', reference: 'inv-2', cents: 8_940 });
    ledger.post({ kind: 'payment-received', key: 'payment:pi_sepa_1', reference: 'inv-2', cents: 8_940 });
    const reversal = { kind: 'payment-reversed', key: 'return:pi_sepa_1', reference: 'inv-2', cents: 8_940 } as const;
    expect(journalEntryFor(reversal).postings).toEqual([
      { account: 'premiums_receivable', side: 'debit', cents: 8_940 },
      { account: 'cash', side: 'credit', cents: 8_940 },
    ]);
    expect(ledger.post(reversal).replayed).toBe(false);
    expect(ledger.post({ ...reversal }).replayed).toBe(true);
    expect(ledger.trialBalance()).toEqual({ premiums_receivable: 8_940, premium_income: -8_940, cash: 0, refunds_payable: 0, claim_payouts: 0, write_offs: 0 });
  });

  it('builds two postings per event, and turns a lowering adjustment round', () => {
    expect(journalEntryFor({ kind: 'refund-due', key: 'refund:cn-1', reference: 'cn-1', cents: 500 }).postings).toEqual([
      { account: 'premium_income', side: 'debit', cents: 500 },
      { account: 'refunds_payable', side: 'credit', cents: 500 },
    ]);
    expect(journalEntryFor({ kind: 'invoice-adjusted', key: 'adj:1', reference: 'inv-1', cents: -250 }).postings).toEqual([
      { account: 'premium_income', side: 'debit', cents: 250 },
      { account: 'premiums_receivable', side: 'credit', cents: 250 },
    ]);
  });

  it('refuses amounts that are not whole positive cents, empty keys and unbalanced entries', () => {
    expect(() => journalEntryFor({ kind: 'payment-received', key: 'k', reference: 'inv-1', cents: -1 })).toThrow(RangeError);
    expect(() => journalEntryFor({ kind: 'claim-paid', key: 'k', reference: 'p', cents: 1.5 })).toThrow(RangeError);
    expect(() => journalEntryFor({ kind: 'invoice-adjusted', key: 'k', reference: 'inv-1', cents: 0 })).toThrow(RangeError);
    expect(() => journalEntryFor({ kind: 'invoice-paid', key: 'k', reference: 'inv-1', cents: 1 } as unknown as LedgerOperation)).toThrow(/event kind/);
    expect(() => journalEntryFor({ kind: 'invoice-issued', key: ' ', reference: 'inv-1', cents: 1 })).toThrow(/idempotency key/);
    expect(() => assertBalanced({ idempotencyKey: 'k', kind: 'invoice-issued', reference: 'r', postings: [
      { account: 'cash', side: 'debit', cents: 100 }, { account: 'premium_income', side: 'credit', cents: 99 },
    ] })).toThrow(/differ by 1 cents/);
  });
});
