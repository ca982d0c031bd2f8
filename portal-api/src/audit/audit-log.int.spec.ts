import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource, type EntityManager } from 'typeorm';
import { dataSourceOptions, migrate } from '../database/data-source';
import { AuditEntry } from './audit-entry.entity';
import { AuditLog, entryHash } from './audit-log';

/** The audit log on a real PostgreSQL: chains per stream, writes on different streams never wait on each other, tampering shows. */
describe('AuditLog', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let audit: AuditLog;
  const actor = { subject: 'sub-admin', username: 'admin' };
  const fact = (claimId: string, n: number) => ({ action: 'claim.updated', entityType: 'claim', entityId: claimId, details: { n } });

  beforeAll(async () => {
    database = await createTestDatabase('audit-log');
    dataSource = await new DataSource(dataSourceOptions(database.url, 8)).initialize();
    await migrate(dataSource);
    audit = new AuditLog(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  test('writes on other claims complete while a transaction holding one claim stays open', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const holding = new Promise<void>((resolve) => (appended = resolve));
    const open = dataSource.transaction(async (manager: EntityManager) => {
      await audit.record(manager, actor, fact('claim-held', 1));
      appended();
      await held; // the transaction stays open, its stream lock held, until the others are done
    });
    await holding;
    // With one lock for the whole log these would wait for the open transaction, which waits for them.
    const others = await Promise.all([audit.recordAlone(actor, fact('claim-a', 1)), audit.recordAlone(actor, fact('claim-b', 1))]);
    expect(others.map((e) => e.stream)).toEqual(['claim:claim-a', 'claim:claim-b']);
    const [open2] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_entry WHERE stream = 'claim:claim-held'`);
    expect(open2!.n).toBe(0); // still uncommitted: the others did not wait for it
    release();
    await open;
    expect(await audit.verifyChain()).toMatchObject({ valid: true, entries: 3, streams: 3 });
  });

  test('concurrent writes on one claim make one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, n) => audit.recordAlone(actor, fact('claim-busy', n))));
    const links = await dataSource.query<{ prev_hash: string; hash: string }[]>(`SELECT prev_hash, hash FROM audit_entry WHERE stream = 'claim:claim-busy' ORDER BY seq`);
    expect(links).toHaveLength(20);
    links.slice(1).forEach((link, i) => expect(link.prev_hash).toBe(links[i]!.hash));
    expect(await audit.verifyChain()).toMatchObject({ valid: true, entries: 23 });
  });

  test("an append reads its stream's last entry through the stream index, not the whole log", async () => {
    await dataSource.query('ANALYZE audit_entry');
    await dataSource.query('SET enable_seqscan = off'); // a table this small would be scanned anyway; the question is whether the index fits
    try {
      const plan = (await dataSource.query<{ 'QUERY PLAN': string }[]>(`EXPLAIN SELECT hash FROM audit_entry WHERE stream = 'claim:claim-a' ORDER BY seq DESC LIMIT 1`)).map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('audit_entry_stream');
      expect(plan).not.toContain('Sort');
    } finally {
      await dataSource.query('SET enable_seqscan = on');
    }
  });

  test('an entry changed or removed is named, on its own stream', async () => {
    for (let n = 0; n < 3; n += 1) await audit.recordAlone(actor, fact('claim-edited', n));
    for (let n = 0; n < 3; n += 1) await audit.recordAlone(actor, fact('claim-cut', n));
    await expect(dataSource.query(`DELETE FROM audit_entry WHERE stream = 'claim:claim-cut'`)).rejects.toThrow(/append-only/);
    const seqs = async (stream: string) => (await dataSource.query<{ seq: string }[]>(`SELECT seq FROM audit_entry WHERE stream = $1 ORDER BY seq`, [stream])).map((r) => r.seq);
    const edited = await seqs('claim:claim-edited');
    const cut = await seqs('claim:claim-cut');

    await dataSource.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_change`);
    try {
      // Removing the middle entry of a stream breaks the next one's link.
      await dataSource.query(`DELETE FROM audit_entry WHERE seq = $1`, [cut[1]]);
      expect(await audit.verifyChain()).toMatchObject({ valid: false, brokenAt: cut[2], reason: expect.stringContaining('removed') });
      // A changed entry (earlier in the log) is named first.
      await dataSource.query(`UPDATE audit_entry SET details = '{"n": 99}' WHERE seq = $1`, [edited[1]]);
      expect(await audit.verifyChain()).toMatchObject({ valid: false, brokenAt: edited[1], reason: expect.stringContaining('changed') });
      // Moving an entry to another stream shows too.
      await dataSource.query(`UPDATE audit_entry SET stream = 'claim:elsewhere' WHERE seq = $1`, [edited[0]]);
      expect(await audit.verifyChain()).toMatchObject({ valid: false, brokenAt: edited[0], reason: expect.stringContaining('changed') });
    } finally {
      await dataSource.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_change`);
    }
  });

  test('removing the first entry of a stream shows', async () => {
    const fresh = await createTestDatabase('audit-log-first');
    const other = await new DataSource(dataSourceOptions(fresh.url, 2)).initialize();
    try {
      await migrate(other);
      const log = new AuditLog(other);
      const first = await log.recordAlone(actor, fact('claim-x', 0));
      const second = await log.recordAlone(actor, fact('claim-x', 1));
      await other.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_change`);
      await other.query(`DELETE FROM audit_entry WHERE seq = $1`, [first.seq]);
      expect(await log.verifyChain()).toMatchObject({ valid: false, brokenAt: second.seq, reason: expect.stringContaining('removed') });
    } finally {
      await other.destroy();
      await fresh.drop();
    }
  });

  test('entries of the single chain from before streams still verify, and the migration goes down only while no stream exists', async () => {
    const fresh = await createTestDatabase('audit-log-legacy');
    const other = await new DataSource(dataSourceOptions(fresh.url, 2)).initialize();
    try {
      await migrate(other);
      // Undo down to the streams migration (later ones first).
      const applied = async () => (await other.query<{ name: string }[]>('SELECT name FROM schema_migration ORDER BY id')).map((r) => r.name);
      while ((await applied()).includes('AuditStreams1764700000000')) await other.undoLastMigration({ transaction: 'each' });
      expect((await other.query<{ column_name: string }[]>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_entry'`)).map((r) => r.column_name)).not.toContain('stream');
      // Two entries as the single-chain log wrote them (no stream in the row or the hash).
      let prevHash = '0'.repeat(64);
      for (const entityId of ['old-1', 'old-2']) {
        const row = { at: new Date(), actorSubject: 's', actorName: 'admin', action: 'claim.created', entityType: 'claim', entityId, details: {}, prevHash } as Omit<AuditEntry, 'seq' | 'hash'>;
        const hash = entryHash({ ...row, stream: null });
        await other.query(`INSERT INTO audit_entry (at, actor_subject, actor_name, action, entity_type, entity_id, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, '{}', $7, $8)`, [row.at, row.actorSubject, row.actorName, row.action, row.entityType, entityId, prevHash, hash]);
        prevHash = hash;
      }
      expect(await migrate(other)).toContain('AuditStreams1764700000000');
      const log = new AuditLog(other);
      await log.recordAlone(actor, fact('old-1', 1));
      expect(await log.verifyChain()).toMatchObject({ valid: true, entries: 3, streams: 2 });
      while ((await applied()).at(-1) !== 'AuditStreams1764700000000') await other.undoLastMigration({ transaction: 'each' });
      await expect(other.undoLastMigration({ transaction: 'each' })).rejects.toThrow(/chained per stream/);
    } finally {
      await other.destroy();
      await fresh.drop();
    }
  });
});
