/**
 * The premium ledger as double entry, without storage: which accounts each
 * business event moves, the rule that every entry's debits equal its credits,
 * and exactly-once by idempotency key. The PostgreSQL ledger (next step, see
 * README.md) stores what `journalEntryFor` builds, with the key as a unique
 * column, and the tests use `Ledger` as the model it must agree with.
 *
 * Balances are kept debit-positive (debits − credits): assets and expenses
 * (receivable, cash, claim payouts, write-offs) are normally ≥ 0, income and
 * liabilities (premium income, refunds payable) normally ≤ 0, and all of them
 * together are always exactly 0.
 */

export const LEDGER_ACCOUNTS = ['premiums_receivable', 'premium_income', 'cash', 'refunds_payable', 'claim_payouts', 'write_offs'] as const;
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

export interface Posting {
  account: LedgerAccount;
  side: 'debit' | 'credit';
  /** Whole cents, > 0. */
  cents: number;
}

/**
 * A business event that moves money, with the idempotency key unique to what
 * it is for (e.g. `invoice:<id>`, `payment:<provider payment id>`,
 * `refund:<credit note id>`): the same event retried, replayed or seen by a
 * second process instance carries the same key and posts once.
 */
export type LedgerOperation =
  /** An invoice is issued: the client owes its total. */
  | { kind: 'invoice-issued'; key: string; reference: string; cents: number }
  /** A staff adjustment (approved) raises (> 0) or lowers (< 0) what an invoice asks. */
  | { kind: 'invoice-adjusted'; key: string; reference: string; cents: number }
  /** A credit note against an unpaid invoice: the client owes less. */
  | { kind: 'credit-note-issued'; key: string; reference: string; cents: number }
  /** A credit note for premium already paid (e.g. a cancellation refund): we owe the client. */
  | { kind: 'refund-due'; key: string; reference: string; cents: number }
  /** A charge took more than was open (the invoice changed while it was in flight): that credit of the client's is a refund we owe. */
  | { kind: 'overpayment-refund-due'; key: string; reference: string; cents: number }
  /** The bank took back the direct debit that overpaid before its refund was sent: nothing is owed back, the credit is gone with the cash. */
  | { kind: 'overpayment-refund-cancelled'; key: string; reference: string; cents: number }
  /** The refund leaves the bank. */
  | { kind: 'refund-paid'; key: string; reference: string; cents: number }
  /** A payment from the client arrives against an invoice. */
  | { kind: 'payment-received'; key: string; reference: string; cents: number }
  /** A payment comes back (a SEPA direct debit returned by the client's bank): the client owes it again. */
  | { kind: 'payment-reversed'; key: string; reference: string; cents: number }
  /** What is left of an invoice will not be collected. */
  | { kind: 'invoice-written-off'; key: string; reference: string; cents: number }
  /** A claim payout leaves the bank (portal-api/src/payouts). */
  | { kind: 'claim-paid'; key: string; reference: string; cents: number };

export type LedgerOperationKind = LedgerOperation['kind'];

export interface JournalEntry {
  idempotencyKey: string;
  kind: LedgerOperationKind;
  /** The invoice, credit note, payment, refund or payout the entry is for. */
  reference: string;
  postings: Posting[];
}

/** Which account is debited and which credited, for an amount > 0. */
const MOVES: Readonly<Record<LedgerOperationKind, readonly [debit: LedgerAccount, credit: LedgerAccount]>> = {
  'invoice-issued': ['premiums_receivable', 'premium_income'],
  'invoice-adjusted': ['premiums_receivable', 'premium_income'],
  'credit-note-issued': ['premium_income', 'premiums_receivable'],
  'refund-due': ['premium_income', 'refunds_payable'],
  'overpayment-refund-due': ['premiums_receivable', 'refunds_payable'],
  'overpayment-refund-cancelled': ['refunds_payable', 'premiums_receivable'],
  'refund-paid': ['refunds_payable', 'cash'],
  'payment-received': ['cash', 'premiums_receivable'],
  'payment-reversed': ['premiums_receivable', 'cash'],
  'invoice-written-off': ['write_offs', 'premiums_receivable'],
  'claim-paid': ['claim_payouts', 'cash'],
};

/** Two postings the same key was used for differently: a bug or a forged replay, never to be posted. */
export class LedgerKeyConflict extends Error {
  constructor(readonly key: string) {
    super(`Expected key ${key} to post the entry it posted before, but it comes with a different one.`);
    this.name = 'LedgerKeyConflict';
  }
}

export function journalEntryFor(operation: LedgerOperation): JournalEntry {
  // Kinds also come back from storage and the wire, where the type does not hold.
  if (!Object.hasOwn(MOVES, operation.kind)) throw new RangeError(`Expected a ledger event kind, but it is ${String(operation.kind)}.`);
  if (operation.key.trim() === '') throw new RangeError('Expected an idempotency key, but it is empty.');
  if (operation.reference.trim() === '') throw new RangeError('Expected a reference to what the entry is for, but it is empty.');
  const { cents } = operation;
  // Only an adjustment may go either way; it never is 0 (nothing to post).
  const signed = operation.kind === 'invoice-adjusted';
  if (!Number.isSafeInteger(cents) || cents === 0 || (!signed && cents < 0)) {
    throw new RangeError(`Expected ${signed ? 'non-zero' : 'more than 0'} whole cents for ${operation.kind}, but it is ${cents}.`);
  }
  const [debit, credit] = cents > 0 ? MOVES[operation.kind] : ([...MOVES[operation.kind]].reverse() as [LedgerAccount, LedgerAccount]);
  const entry: JournalEntry = {
    idempotencyKey: operation.key,
    kind: operation.kind,
    reference: operation.reference,
    postings: [
      { account: debit, side: 'debit', cents: Math.abs(cents) },
      { account: credit, side: 'credit', cents: Math.abs(cents) },
    ],
  };
  assertBalanced(entry);
  return entry;
}

/** Debits equal credits, every posting whole cents > 0 on a known account, at least two postings. */
export function assertBalanced(entry: JournalEntry): void {
  if (entry.postings.length < 2) throw new RangeError(`Expected entry ${entry.idempotencyKey} to have two postings or more, but it has ${entry.postings.length}.`);
  let difference = 0;
  for (const posting of entry.postings) {
    if (!LEDGER_ACCOUNTS.includes(posting.account)) throw new RangeError(`Expected a ledger account, but entry ${entry.idempotencyKey} posts to ${posting.account}.`);
    if (!Number.isSafeInteger(posting.cents) || posting.cents <= 0) throw new RangeError(`Expected postings of whole cents > 0, but entry ${entry.idempotencyKey} has ${posting.cents}.`);
    difference += posting.side === 'debit' ? posting.cents : -posting.cents;
  }
  if (difference !== 0) throw new RangeError(`Expected entry ${entry.idempotencyKey} to have equal debits and credits, but they differ by ${difference} cents.`);
}

export interface PostResult {
  entry: JournalEntry;
  /** True when the key had posted this entry already and nothing moved now. */
  replayed: boolean;
}

/** An in-memory ledger: the reference the stored ledger must match. */
export class Ledger {
  private readonly byKey = new Map<string, JournalEntry>();
  private readonly balances = new Map<LedgerAccount, number>(LEDGER_ACCOUNTS.map((account) => [account, 0]));

  post(operation: LedgerOperation): PostResult {
    const entry = journalEntryFor(operation);
    const earlier = this.byKey.get(entry.idempotencyKey);
    if (earlier) {
      if (!sameEntry(earlier, entry)) throw new LedgerKeyConflict(entry.idempotencyKey);
      return { entry: structuredClone(earlier), replayed: true };
    }
    this.byKey.set(entry.idempotencyKey, entry);
    for (const posting of entry.postings) {
      this.balances.set(posting.account, this.balances.get(posting.account)! + (posting.side === 'debit' ? posting.cents : -posting.cents));
    }
    return { entry: structuredClone(entry), replayed: false };
  }

  /** Debits − credits of an account. */
  balance(account: LedgerAccount): number {
    return this.balances.get(account)!;
  }

  trialBalance(): Record<LedgerAccount, number> {
    return Object.fromEntries(LEDGER_ACCOUNTS.map((account) => [account, this.balance(account)])) as Record<LedgerAccount, number>;
  }

  /** In the order posted. */
  entries(): JournalEntry[] {
    return [...this.byKey.values()].map((entry) => structuredClone(entry));
  }
}

/** The same kind, reference and postings in the same order: what a replay of a key must bring. */
export function sameEntry(a: JournalEntry, b: JournalEntry): boolean {
  return a.kind === b.kind && a.reference === b.reference && a.postings.length === b.postings.length
    && a.postings.every((posting, index) => {
      const other = b.postings[index]!;
      return posting.account === other.account && posting.side === other.side && posting.cents === other.cents;
    });
}
