import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import { DataSource, type EntityManager } from 'typeorm';
import { type Principal } from '../auth/principal';
import { AuditEntry } from './audit-entry.entity';

export interface AuditFact {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly details?: Record<string, unknown>;
}

export interface ChainCheck {
  readonly entries: number;
  /** How many chains were walked: one per entity audited, plus the single chain kept from before streams. */
  readonly streams: number;
  readonly valid: boolean;
  /** The first entry whose hash or link does not match, when a chain is broken. */
  readonly brokenAt?: string;
  readonly reason?: string;
}

const GENESIS = '0'.repeat(64);
/** First key of the two-key advisory locks that guard one stream each (the second is a hash of the stream). */
const STREAM_LOCK_SPACE = 7_341_803;

/** The chain an entry about this entity links into. */
export function streamOf(fact: Pick<AuditFact, 'entityType' | 'entityId'>): string {
  return `${fact.entityType}:${fact.entityId}`;
}

/**
 * The append-only, hash-chained audit log. An entry is written in the same
 * transaction as the change it records, so a change without its entry (or the
 * reverse) cannot be committed. Reads of medical documents are recorded too.
 *
 * Entries are chained per stream (the entity: `claim:<id>`, `document:<id>`…),
 * each append holding only its stream's lock until its transaction ends, so
 * audited writes about different entities never wait on each other. Removing
 * or changing an entry breaks the link of the next entry of its stream.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, actor: Pick<Principal, 'subject' | 'username'>, fact: AuditFact): Promise<AuditEntry> {
    const stream = streamOf(fact);
    // A hash collision only makes two streams share a lock now and then; each keeps its own chain.
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STREAM_LOCK_SPACE, stream]);
    // A statement of its own, after the lock: it sees the entry the lock's last holder committed.
    const [last] = await manager.query<{ hash: string }[]>('SELECT hash FROM audit_entry WHERE stream = $1 ORDER BY seq DESC LIMIT 1', [stream]);
    return this.append(manager, actor, fact, last?.hash ?? GENESIS);
  }

  /**
   * The first entry of an entity created in this transaction with a fresh
   * random id (a uuid): no other transaction can name that stream before this
   * one commits, so there is no lock to take and no entry before it to read (two
   * statements fewer on every claim filed).
   */
  recordFirst(manager: EntityManager, actor: Pick<Principal, 'subject' | 'username'>, fact: AuditFact): Promise<AuditEntry> {
    return this.append(manager, actor, fact, GENESIS);
  }

  private append(manager: EntityManager, actor: Pick<Principal, 'subject' | 'username'>, fact: AuditFact, prevHash: string): Promise<AuditEntry> {
    return manager.getRepository(AuditEntry).save(manager.getRepository(AuditEntry).create(chainedEntry(actor, fact, prevHash)));
  }

  /** Records a fact in a transaction of its own (reads, which change nothing else). */
  recordAlone(actor: Pick<Principal, 'subject' | 'username'>, fact: AuditFact): Promise<AuditEntry> {
    return this.dataSource.transaction((manager) => this.record(manager, actor, fact));
  }

  /**
   * Walks every entry in order, recomputing every hash and checking that each
   * links to the entry before it in its stream (entries from before streams:
   * to the one before it in their single chain). Names the first entry that
   * does not match.
   */
  async verifyChain(batchSize = 2_000): Promise<ChainCheck> {
    const repository = this.dataSource.getRepository(AuditEntry);
    const heads = new Map<string | null, string>();
    let afterSeq = '0';
    let entries = 0;
    for (;;) {
      const batch = await repository.createQueryBuilder('e').where('e.seq > :afterSeq', { afterSeq }).orderBy('e.seq', 'ASC').take(batchSize).getMany();
      for (const entry of batch) {
        entries += 1;
        const broken = (reason: string): ChainCheck => ({ entries, streams: heads.size, valid: false, brokenAt: entry.seq, reason });
        if (entry.stream !== null && entry.stream !== streamOf(entry)) return broken('it was moved to another stream (it was changed)');
        if (entry.prevHash !== (heads.get(entry.stream) ?? GENESIS)) return broken('does not link to the entry before it (an entry was removed or reordered)');
        if (entryHash(entry) !== entry.hash) return broken('its content does not match its hash (it was changed)');
        heads.set(entry.stream, entry.hash);
      }
      if (batch.length < batchSize) return { entries, streams: heads.size, valid: true };
      afterSeq = batch[batch.length - 1]!.seq;
    }
  }

  search(filter: { entityType?: string; entityId?: string; actor?: string; action?: string; limit: number; beforeSeq?: string }): Promise<AuditEntry[]> {
    const query = this.dataSource.getRepository(AuditEntry).createQueryBuilder('e').orderBy('e.seq', 'DESC').take(filter.limit);
    if (filter.entityType) query.andWhere('e.entity_type = :entityType', { entityType: filter.entityType });
    if (filter.entityId) query.andWhere('e.entity_id = :entityId', { entityId: filter.entityId });
    if (filter.actor) query.andWhere('e.actor_name = :actor', { actor: filter.actor });
    if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
    if (filter.beforeSeq) query.andWhere('e.seq < :beforeSeq', { beforeSeq: filter.beforeSeq });
    return query.getMany();
  }
}

/** An entry as it is stored, hashed and linked after `prevHash` (GENESIS: the first of its stream). */
export function chainedEntry(actor: Pick<Principal, 'subject' | 'username'>, fact: AuditFact, prevHash: string | null = GENESIS): Omit<AuditEntry, 'seq'> {
  const entry = {
    at: new Date(),
    actorSubject: actor.subject,
    actorName: actor.username,
    action: fact.action,
    entityType: fact.entityType,
    entityId: fact.entityId,
    details: JSON.parse(JSON.stringify(fact.details ?? {})) as Record<string, unknown>,
    stream: streamOf(fact),
    prevHash: prevHash ?? GENESIS,
  };
  return { ...entry, hash: entryHash(entry) };
}

/**
 * For a hot path in plain SQL that appends to a stream (claim submission):
 * the expression taking the stream's lock (parameter `$n` is the stream),
 * the same lock record() takes. The last hash must be read in a later
 * statement, which sees what the lock's last holder committed.
 */
export function streamLockSql(streamParam: number): string {
  return `pg_advisory_xact_lock(${STREAM_LOCK_SPACE}, hashtext($${streamParam}))`;
}
/** The newest hash of the stream named by `$n`, NULL when it has none (then the entry links to GENESIS). */
export function lastHashSql(streamParam: number): string {
  return `(SELECT hash FROM audit_entry WHERE stream = $${streamParam} ORDER BY seq DESC LIMIT 1)`;
}

/**
 * For the hot paths that write in plain SQL (claims filing): the columns of
 * an audit_entry INSERT and the parameters of one entry, numbered from
 * `first`. The entry is still hashed and linked here, in one place.
 */
export const AUDIT_ENTRY_COLUMNS = 'at, actor_subject, actor_name, action, entity_type, entity_id, details, stream, prev_hash, hash';
export function auditEntryValues(entry: Omit<AuditEntry, 'seq'>, first: number): { placeholders: string; params: unknown[] } {
  const params = [entry.at, entry.actorSubject, entry.actorName, entry.action, entry.entityType, entry.entityId, JSON.stringify(entry.details), entry.stream, entry.prevHash, entry.hash];
  return { placeholders: params.map((_, i) => `$${first + i}${i === 6 ? '::jsonb' : ''}`).join(', '), params };
}

/**
 * SHA-256 over the entry's canonical JSON (RFC 8785) and the hash before it.
 * The stream is covered too (entries from before streams have none, and keep
 * the hash they were written with).
 */
export function entryHash(entry: Omit<AuditEntry, 'seq' | 'hash'>): string {
  const content = canonicalize({
    ...(entry.stream === null || entry.stream === undefined ? {} : { stream: entry.stream }),
    prevHash: entry.prevHash,
    at: entry.at.toISOString(),
    actorSubject: entry.actorSubject,
    actorName: entry.actorName,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    details: entry.details,
  });
  return createHash('sha256').update(content ?? '').digest('hex');
}
