import { type EntityManager } from 'typeorm';
import { LEDGER_ACCOUNTS, LedgerKeyConflict, journalEntryFor, sameEntry, type JournalEntry, type LedgerAccount, type LedgerOperation, type Posting } from './ledger-model';

export interface StoredPostResult {
  /** The journal entry's row id. */
  entryId: string;
  entry: JournalEntry;
  /** True when the key had posted this entry already and nothing moved now. */
  replayed: boolean;
}

/**
 * The ledger in PostgreSQL: what `ledger-model.ts` builds, stored in
 * `journal_entry` (the idempotency key unique) and `journal_posting`.
 * Posting runs in the caller's transaction, so the entry commits or rolls
 * back with the business change it records (an invoice, a payment).
 *
 * A second transaction posting the same key at the same time waits on the
 * unique index until the first commits (then it reads the entry: a replay)
 * or rolls back (then it inserts). The database checks every entry's balance
 * again at commit (a deferred trigger), and refuses updates and deletes.
 */
export async function post(manager: EntityManager, operation: LedgerOperation): Promise<StoredPostResult> {
  const [result] = await postAll(manager, [operation]);
  return result!;
}

/**
 * `post` for many operations at once (the billing run posts a batch of
 * invoices): the entries that are new go in with two statements whatever
 * their number; a key that was there already is checked as a replay.
 */
export async function postAll(manager: EntityManager, operations: readonly LedgerOperation[]): Promise<StoredPostResult[]> {
  const entries = operations.map(journalEntryFor);
  if (new Set(entries.map((e) => e.idempotencyKey)).size !== entries.length) throw new RangeError('Expected each idempotency key once in a batch of postings.');
  if (entries.length === 0) return [];
  const inserted = await manager.query<{ id: string; idempotency_key: string }[]>(
    `INSERT INTO journal_entry (idempotency_key, kind, reference) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key`,
    [entries.map((e) => e.idempotencyKey), entries.map((e) => e.kind), entries.map((e) => e.reference)],
  );
  const ids = new Map(inserted.map((row) => [row.idempotency_key, row.id]));
  const postings = entries.filter((e) => ids.has(e.idempotencyKey)).flatMap((e) => e.postings.map((p, index) => ({ entryId: ids.get(e.idempotencyKey)!, position: index + 1, ...p })));
  if (postings.length > 0) {
    await manager.query(
      `INSERT INTO journal_posting (entry_id, position, account, side, cents) SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::text[], $4::text[], $5::bigint[])`,
      [postings.map((p) => p.entryId), postings.map((p) => p.position), postings.map((p) => p.account), postings.map((p) => p.side), postings.map((p) => p.cents)],
    );
  }
  const results: StoredPostResult[] = [];
  for (const entry of entries) {
    const id = ids.get(entry.idempotencyKey);
    if (id) {
      results.push({ entryId: id, entry, replayed: false });
      continue;
    }
    const earlier = await entryByKey(manager, entry.idempotencyKey);
    if (!earlier) throw new Error(`Expected the journal entry of key ${entry.idempotencyKey} to exist after its insert was skipped, but it is gone.`);
    if (!sameEntry(earlier.entry, entry)) throw new LedgerKeyConflict(entry.idempotencyKey);
    results.push({ ...earlier, replayed: true });
  }
  return results;
}

export async function entryByKey(manager: EntityManager, key: string): Promise<{ entryId: string; entry: JournalEntry } | null> {
  const rows = await manager.query<{ id: string; kind: JournalEntry['kind']; reference: string; account: LedgerAccount; side: Posting['side']; cents: string }[]>(
    `SELECT e.id, e.kind, e.reference, p.account, p.side, p.cents FROM journal_entry e JOIN journal_posting p ON p.entry_id = e.id WHERE e.idempotency_key = $1 ORDER BY p.position`,
    [key],
  );
  if (rows.length === 0) return null;
  return {
    entryId: rows[0]!.id,
    entry: { idempotencyKey: key, kind: rows[0]!.kind, reference: rows[0]!.reference, postings: rows.map((row) => ({ account: row.account, side: row.side, cents: safeCents(row.cents) })) },
  };
}

/** Debits − credits of every account (0 for an account nothing was posted to). */
export async function balances(manager: EntityManager): Promise<Record<LedgerAccount, number>> {
  const rows = await manager.query<{ account: LedgerAccount; balance: string }[]>(
    `SELECT account, sum(CASE side WHEN 'debit' THEN cents ELSE -cents END) AS balance FROM journal_posting GROUP BY account`,
  );
  const byAccount = new Map(rows.map((row) => [row.account, safeCents(row.balance)]));
  return Object.fromEntries(LEDGER_ACCOUNTS.map((account) => [account, byAccount.get(account) ?? 0])) as Record<LedgerAccount, number>;
}

function safeCents(value: string): number {
  const cents = Number(value);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Expected whole cents, but the ledger holds ${value}.`);
  return cents;
}
