import pg from 'pg';
import { OperatorError, redactUrl } from '@claims/deploy';
import { type EngineEvent } from '../state/events';
import { type ProjectionRows, writeProjections } from './projections';
import { migrate } from './schema';

/** One command's events at one log position. */
export interface LogEntry {
  readonly position: number;
  readonly events: readonly EngineEvent[];
}

/** Key of the advisory lock that keeps a second engine off the same database. */
const ENGINE_LOCK = 0x43_4c_41_49; // "CLAI"
const REPLAY_PAGE = 2_000;

/**
 * The engine's PostgreSQL: the event log (source of truth), the projections
 * searches read, and the advisory lock that makes this engine the one writer.
 */
export class EngineStore {
  private constructor(
    /** Holds the advisory lock for as long as the engine runs. */
    private readonly lockClient: pg.Client,
    /** The single writer's connection: commits are serial, in log order. */
    private readonly writer: pg.Client,
    /** Connections for searches, so reads never queue behind commits. */
    readonly readers: pg.Pool,
  ) {}

  static async open(url: URL): Promise<EngineStore> {
    const lockClient = new pg.Client({ connectionString: url.href });
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
    const writer = new pg.Client({ connectionString: url.href });
    await writer.connect();
    const readers = new pg.Pool({ connectionString: url.href, max: 4 });
    return new EngineStore(lockClient, writer, readers);
  }

  async lastPosition(): Promise<number> {
    const { rows } = await this.writer.query<{ position: string | null }>('SELECT max(position) AS position FROM engine_log');
    return Number(rows[0]?.position ?? 0);
  }

  /** The newest snapshot not ahead of the log, as JSON text. */
  async latestSnapshot(): Promise<{ position: number; state: string } | undefined> {
    const { rows } = await this.writer.query<{ position: string; state: string }>(
      'SELECT position, state FROM engine_snapshot WHERE position <= (SELECT coalesce(max(position), 0) FROM engine_log) ORDER BY position DESC LIMIT 1',
    );
    return rows[0] ? { position: Number(rows[0].position), state: rows[0].state } : undefined;
  }

  /** Stores a snapshot taken at a committed position, keeping the one before it as a fallback. */
  async writeSnapshot(position: number, state: string): Promise<void> {
    await this.writer.query('INSERT INTO engine_snapshot (position, state) VALUES ($1, $2) ON CONFLICT (position) DO UPDATE SET state = EXCLUDED.state', [position, state]);
    await this.writer.query('DELETE FROM engine_snapshot WHERE position < (SELECT min(position) FROM (SELECT position FROM engine_snapshot ORDER BY position DESC LIMIT 2) AS kept)');
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
  async commit(entries: readonly LogEntry[], rows: ProjectionRows): Promise<void> {
    await this.writer.query('BEGIN');
    try {
      if (entries.length > 0) {
        await this.writer.query('INSERT INTO engine_log (position, events) SELECT * FROM unnest($1::bigint[], $2::jsonb[])', [
          entries.map((e) => e.position),
          entries.map((e) => JSON.stringify(e.events)),
        ]);
      }
      await writeProjections(this.writer, rows);
      await this.writer.query('COMMIT');
    } catch (error) {
      await this.writer.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.readers.end().catch(() => undefined);
    await this.writer.end().catch(() => undefined);
    await this.lockClient.end().catch(() => undefined);
  }
}
