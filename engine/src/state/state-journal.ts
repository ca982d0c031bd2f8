/**
 * Undo records for the in-memory state, so one command is all or nothing
 * (Zeebe processes each command in a state transaction that an error rolls
 * back). While a transaction is open, every change to the state's maps and
 * sets and the first change to each entity's fields is recorded; rollback()
 * undoes them newest first, commit() forgets them. Outside a transaction
 * (replay, snapshot restore) nothing is recorded.
 *
 * A key removed and then restored by a rollback goes to the end of its map's
 * iteration order; the log decides what happened, so order after a failed
 * command is the only thing replay may see differently.
 */
export class StateJournal {
  private undo: (() => void)[] | undefined;
  private saved = new WeakSet<object>();

  get active(): boolean {
    return this.undo !== undefined;
  }

  begin(): void {
    this.undo = [];
    this.saved = new WeakSet();
  }

  /** A point inside the transaction to roll back to (rollbackTo). */
  mark(): number {
    return this.undo?.length ?? 0;
  }

  commit(): void {
    this.undo = undefined;
  }

  rollback(): void {
    this.rollbackTo(0);
    this.undo = undefined;
  }

  rollbackTo(mark: number): void {
    const undo = this.undo;
    if (!undo) return;
    while (undo.length > mark) undo.pop()!();
    // Entities restored above may change again and must then be saved again.
    this.saved = new WeakSet();
  }

  record(undo: () => void): void {
    this.undo?.push(undo);
  }

  /** Saves an entity's fields before its first change in the transaction. */
  saveFields<T extends object>(entity: T): T {
    if (!this.undo || this.saved.has(entity)) return entity;
    this.saved.add(entity);
    const before = { ...entity };
    this.undo.push(() => {
      for (const field of Object.keys(entity)) if (!(field in before)) delete (entity as Record<string, unknown>)[field];
      Object.assign(entity, before);
    });
    return entity;
  }
}

/** A Map whose changes a StateJournal can undo. */
export class JournaledMap<K, V> extends Map<K, V> {
  constructor(private readonly journal: StateJournal) {
    super();
  }

  /** A set journaled like this map, for an index's entries. */
  newSet<T>(): Set<T> {
    return new JournaledSet<T>(this.journal);
  }

  override set(key: K, value: V): this {
    // The journal is unset only while Map's own constructor runs.
    if (this.journal?.active) {
      const had = super.has(key);
      const before = super.get(key);
      this.journal.record(() => (had ? super.set(key, before as V) : super.delete(key)));
    }
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    if (this.journal.active && super.has(key)) {
      const before = super.get(key) as V;
      this.journal.record(() => super.set(key, before));
    }
    return super.delete(key);
  }

  override clear(): void {
    if (this.journal.active && this.size > 0) {
      const before = [...this.entries()];
      this.journal.record(() => {
        for (const [key, value] of before) super.set(key, value);
      });
    }
    super.clear();
  }
}

/** A Set whose changes a StateJournal can undo. */
export class JournaledSet<T> extends Set<T> {
  constructor(
    private readonly journal: StateJournal,
    values?: Iterable<T>,
  ) {
    super();
    if (values) for (const value of values) super.add(value);
  }

  override add(value: T): this {
    if (this.journal?.active && !super.has(value)) this.journal.record(() => super.delete(value));
    return super.add(value);
  }

  override delete(value: T): boolean {
    if (this.journal.active && super.has(value)) this.journal.record(() => super.add(value));
    return super.delete(value);
  }

  override clear(): void {
    if (this.journal.active && this.size > 0) {
      const before = [...this.values()];
      this.journal.record(() => {
        for (const value of before) super.add(value);
      });
    }
    super.clear();
  }
}
