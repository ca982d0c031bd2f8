import pg from 'pg';
import { OperatorError, redactUrl } from '@claims/deploy';
import { type EngineEvent } from '../state/events';
import { type ProjectionRows, projectionStatements, type Statement } from './projections';
import { migrate } from './schema';
import { type StateSnapshot } from '../state/state-snapshot';
import { SnapshotAssembler, type SnapshotHeader, snapshotChunks, snapshotHeader } from './snapshot-chunks';

/** How a snapshot is written. */
export interface SnapshotWriteOptions {
  /** Bound on one chunk's JSON, in characters (default DEFAULT_SNAPSHOT_CHUNK_BYTES). */
  readonly chunkChars?: number;
  /** Delete the log before the oldest snapshot kept (ENGINE_LOG_RETENTION=compact). */
  readonly compactLog?: boolean;
}

/** One command's events at one log position. */
export interface LogEntry {
  readonly position: number;
  readonly events: readonly EngineEvent[];
}

/** Appends log entries: one JSON text for the whole batch (pg would escape each entry's JSON again into an array literal). */
function logStatement(entries: readonly LogEntry[]): Statement {
  return {
    table: 'engine_log',
    sql: (parameter) => `INSERT INTO engine_log (position, events) SELECT position, events FROM json_to_recordset(${parameter}::json) AS u(position bigint, events jsonb)`,
    value: JSON.stringify(entries.map((e) => ({ position: e.position, events: e.events }))),
  };
}

/**
 * What the store reports when PostgreSQL closes one of its connections (a
 * restart, a failover, an administrator's pg_terminate_backend). Without a
 * listener, pg raises such an error as an unhandled 'error' event, which
 * ends the process wherever it happens to be.
 */
export interface ConnectionWatch {
  /** A search connection went away: the pool has dropped it and opens another on the next read. */
  readerLost(error: Error): void;
  /**
   * The writer's connection or the one holding the advisory lock went away:
   * the lock is gone with it, so another engine may start writing. This
   * engine must stop writing at once.
   */
  writerLost(connection: 'writer' | 'lock', error: Error): void;
}

/** Names the store's sessions in pg_stat_activity, so an operator (and a test) can tell them apart. */
export const STORE_APPLICATION_NAMES = { lock: 'claims-engine-lock', writer: 'claims-engine-writer', readers: 'claims-engine-readers' } as const;

/** Key of the advisory lock that keeps a second engine off the same database. */
const ENGINE_LOCK = 0x43_4c_41_49; // "CLAI"
const REPLAY_PAGE = 2_000;
/** Snapshot chunks read per query: a few MiB at most in memory as text. */
const SNAPSHOT_CHUNKS_PER_READ = 4;

/**
 * The engine's PostgreSQL: the event log (source of truth), the projections
 * searches read, and the advisory lock that makes this engine the one writer.
 */
export class EngineStore {
  /** The writer's transactions, one after the other: a periodic snapshot may still be writing when the final one or a commit starts. */
  private writerTurn: Promise<unknown> = Promise.resolve();
  /** Set once close() starts: a connection ending then is expected, not lost. */
  private closing = false;

  private constructor(
    /** Holds the advisory lock for as long as the engine runs. */
    private readonly lockClient: pg.Client,
    /** The single writer's connection: commits are serial, in log order. */
    private readonly writer: pg.Client,
    /** Connections for searches, so reads never queue behind commits. */
    readonly readers: pg.Pool,
  ) {}

  static async open(url: URL, watch: ConnectionWatch): Promise<EngineStore> {
    const lockClient = new pg.Client({ connectionString: url.href, application_name: STORE_APPLICATION_NAMES.lock });
    try {
      await lockClient.connect();
    } catch (error) {
      throw new OperatorError(`The engine cannot reach its database ${redactUrl(url)}: ${(error as Error).message}`, 'Check ENGINE_DATABASE_URL or DATABASE_URL.');
    }
    const { rows } = await lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ENGINE_LOCK]);
    if (!rows[0]?.locked) {
      await lockClient.end();
      throw new OperatorError(`Another engine is already running on the database ${redactUrl(url)}.`, 'Only one engine may write to a database; stop the other one first.');
    }
    await migrate(lockClient);
    const writer = new pg.Client({ connectionString: url.href, application_name: STORE_APPLICATION_NAMES.writer });
    await writer.connect();
    const readers = new pg.Pool({ connectionString: url.href, max: 4, application_name: STORE_APPLICATION_NAMES.readers });
    const store = new EngineStore(lockClient, writer, readers);
    lockClient.on('error', (error) => store.closing || watch.writerLost('lock', error));
    writer.on('error', (error) => store.closing || watch.writerLost('writer', error));
    // Also after close(): pool.end() resolves before its clients have said goodbye, so one may still hear the server end it.
    readers.on('error', (error) => store.closing || watch.readerLost(error));
    return store;
  }

  async lastPosition(): Promise<number> {
    const { rows } = await this.writer.query<{ position: string | null }>('SELECT max(position) AS position FROM engine_log');
    return Number(rows[0]?.position ?? 0);
  }

  /** The kept snapshots not ahead of the log, newest first (a start tries them in this order). */
  async snapshotPositions(): Promise<number[]> {
    const { rows } = await this.writer.query<{ position: string }>(
      'SELECT position FROM engine_snapshot WHERE position <= (SELECT coalesce(max(position), 0) FROM engine_log) ORDER BY position DESC',
    );
    return rows.map((row) => Number(row.position));
  }

  /**
   * Reads one snapshot back: a chunked one a few chunks at a time (so its
   * text is never in memory at once), one written before chunks from its
   * single JSON string. A chunked snapshot missing a chunk is refused.
   */
  async readSnapshot(position: number): Promise<StateSnapshot> {
    const { rows } = await this.writer.query<{ state: string; chunks: number | null }>('SELECT state, chunks FROM engine_snapshot WHERE position = $1', [position]);
    const row = rows[0];
    if (!row) throw new Error(`no snapshot at position ${position}`);
    if (row.chunks === null) return JSON.parse(row.state) as StateSnapshot;
    const assembler = new SnapshotAssembler();
    let next = 0;
    for (;;) {
      const page = await this.writer.query<{ seq: number; kind: string; body: string }>(
        'SELECT seq, kind, body FROM engine_snapshot_chunk WHERE position = $1 AND seq >= $2 ORDER BY seq LIMIT $3',
        [position, next, SNAPSHOT_CHUNKS_PER_READ],
      );
      for (const chunk of page.rows) {
        if (chunk.seq !== next) throw new Error(`snapshot at position ${position} lacks chunk ${next}`);
        assembler.add(chunk);
        next++;
      }
      if (page.rows.length < SNAPSHOT_CHUNKS_PER_READ) break;
    }
    if (next !== row.chunks) throw new Error(`snapshot at position ${position} has ${next} of its ${row.chunks} chunks`);
    return assembler.snapshot(JSON.parse(row.state) as SnapshotHeader);
  }

  /** How many chunks the snapshot at a position was written in (null: one string, written before chunks). */
  async snapshotChunkCount(position: number): Promise<number | null | undefined> {
    const { rows } = await this.writer.query<{ chunks: number | null }>('SELECT chunks FROM engine_snapshot WHERE position = $1', [position]);
    return rows[0]?.chunks;
  }

  /**
   * Stores a snapshot taken at a committed position in chunks of bounded
   * size, keeping the one before it as a fallback, in one transaction: a
   * crash leaves either the whole new snapshot or none of it. With `compact`,
   * the same transaction deletes the log entries before the oldest snapshot
   * kept (the entry at its position stays, so the log's last position, which
   * numbers the next entry, never goes back): only entries that every kept
   * snapshot covers are deleted, and only when the snapshot is committed.
   */
  writeSnapshot(position: number, snapshot: StateSnapshot, options: SnapshotWriteOptions = {}): Promise<{ chunks: number; logEntriesDeleted: number }> {
    return this.inWriterTurn(() => this.writeSnapshotNow(position, snapshot, options));
  }

  private async writeSnapshotNow(position: number, snapshot: StateSnapshot, options: SnapshotWriteOptions): Promise<{ chunks: number; logEntriesDeleted: number }> {
    await this.writer.query('BEGIN');
    try {
      await this.writer.query(
        'INSERT INTO engine_snapshot (position, state, chunks) VALUES ($1, $2, 0) ON CONFLICT (position) DO UPDATE SET state = EXCLUDED.state, chunks = 0, taken_at = now()',
        [position, JSON.stringify(snapshotHeader(snapshot))],
      );
      await this.writer.query('DELETE FROM engine_snapshot_chunk WHERE position = $1', [position]);
      let seq = 0;
      for (const chunk of snapshotChunks(snapshot, options.chunkChars)) {
        await this.writer.query('INSERT INTO engine_snapshot_chunk (position, seq, kind, body) VALUES ($1, $2, $3, $4)', [position, seq++, chunk.kind, chunk.body]);
      }
      await this.writer.query('UPDATE engine_snapshot SET chunks = $2 WHERE position = $1', [position, seq]);
      await this.writer.query('DELETE FROM engine_snapshot WHERE position < (SELECT min(position) FROM (SELECT position FROM engine_snapshot ORDER BY position DESC LIMIT 2) AS kept)');
      const deleted = options.compactLog ? await this.writer.query('DELETE FROM engine_log WHERE position < (SELECT min(position) FROM engine_snapshot)') : undefined;
      await this.writer.query('COMMIT');
      return { chunks: seq, logEntriesDeleted: deleted?.rowCount ?? 0 };
    } catch (error) {
      await this.writer.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** The first position the log still holds (above 1 once compacted), or undefined for an empty log. */
  async firstPosition(): Promise<number | undefined> {
    const { rows } = await this.writer.query<{ position: string | null }>('SELECT min(position) AS position FROM engine_log');
    const first = rows[0]?.position;
    return first === null || first === undefined ? undefined : Number(first);
  }

  /** Reads the log after a position in order, a page at a time, handing each entry to `onEntry`. */
  async replay(onEntry: (entry: LogEntry) => Promise<void> | void, from = 0): Promise<number> {
    let after = from;
    let count = 0;
    for (;;) {
      const { rows } = await this.writer.query<{ position: string; events: EngineEvent[] }>(
        'SELECT position, events FROM engine_log WHERE position > $1 ORDER BY position LIMIT $2',
        [after, REPLAY_PAGE],
      );
      for (const row of rows) {
        await onEntry({ position: Number(row.position), events: row.events });
        after = Number(row.position);
        count++;
      }
      if (rows.length < REPLAY_PAGE) return count;
    }
  }

  /** Appends the entries and writes the projection rows copied when their batch closed, in one transaction. */
  commit(entries: readonly LogEntry[], rows: ProjectionRows): Promise<void> {
    return this.inWriterTurn(() => this.commitNow(entries, rows));
  }

  private inWriterTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.writerTurn.then(work, work);
    this.writerTurn = turn.catch(() => undefined);
    return turn;
  }

  private async commitNow(entries: readonly LogEntry[], rows: ProjectionRows): Promise<void> {
    const statements = [...(entries.length > 0 ? [logStatement(entries)] : []), ...projectionStatements(rows)];
    const tables = statements.map((statement) => statement.table);
    if (tables.every((table) => table !== undefined) && new Set(tables).size === tables.length) {
      // One statement is one transaction, committed before it answers: one round trip where BEGIN,
      // a statement per table and COMMIT took one each. Each table once, as a data-modifying CTE
      // (they share one snapshot, so a table written twice, or a deletion, takes the path below).
      if (statements.length === 0) return;
      const parts = statements.map((statement, index) => `w${index} AS (${statement.sql(`$${index + 1}`)})`);
      await this.writer.query(`WITH ${parts.join(', ')} SELECT 1`, statements.map((statement) => statement.value));
      return;
    }
    await this.writer.query('BEGIN');
    try {
      for (const statement of statements) await this.writer.query(statement.sql('$1'), [statement.value]);
      await this.writer.query('COMMIT');
    } catch (error) {
      await this.writer.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.readers.end().catch(() => undefined);
    await this.writer.end().catch(() => undefined);
    await this.lockClient.end().catch(() => undefined);
  }
}
