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
  readonly valid: boolean;
  /** The first entry whose hash or link does not match, when the chain is broken. */
  readonly brokenAt?: string;
  readonly reason?: string;
}

const GENESIS = '0'.repeat(64);
/** Serialises appends so that each entry links to the one before it. */
const CHAIN_LOCK = 7_341_803;

/**
 * The append-only, hash-chained audit log. An entry is written in the same
 * transaction as the change it records, so a change without its entry (or the
 * reverse) cannot be committed. Reads of medical documents are recorded too.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, actor: Pick<Principal, 'subject' | 'username'>, fact: AuditFact): Promise<AuditEntry> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const last = await manager.getRepository(AuditEntry).find({ order: { seq: 'DESC' }, take: 1, select: { hash: true } });
    const entry = manager.getRepository(AuditEntry).create({
      at: new Date(),
      actorSubject: actor.subject,
      actorName: actor.username,
      action: fact.action,
      entityType: fact.entityType,
      entityId: fact.entityId,
      details: JSON.parse(JSON.stringify(fact.details ?? {})) as Record<string, unknown>,
      prevHash: last[0]?.hash ?? GENESIS,
    });
    entry.hash = entryHash(entry);
    return manager.getRepository(AuditEntry).save(entry);
  }

  /** Records a fact in a transaction of its own (reads, which change nothing else). */
  recordAlone(actor: Pick<Principal, 'subject' | 'username'>, fact: AuditFact): Promise<AuditEntry> {
    return this.dataSource.transaction((manager) => this.record(manager, actor, fact));
  }

  /** Walks the whole chain, recomputing every hash. */
  async verifyChain(batchSize = 2_000): Promise<ChainCheck> {
    const repository = this.dataSource.getRepository(AuditEntry);
    let previous = GENESIS;
    let afterSeq = '0';
    let entries = 0;
    for (;;) {
      const batch = await repository.createQueryBuilder('e').where('e.seq > :afterSeq', { afterSeq }).orderBy('e.seq', 'ASC').take(batchSize).getMany();
      for (const entry of batch) {
        entries += 1;
        if (entry.prevHash !== previous) return { entries, valid: false, brokenAt: entry.seq, reason: 'does not link to the entry before it (an entry was removed or reordered)' };
        if (entryHash(entry) !== entry.hash) return { entries, valid: false, brokenAt: entry.seq, reason: 'its content does not match its hash (it was changed)' };
        previous = entry.hash;
      }
      if (batch.length < batchSize) return { entries, valid: true };
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

/** SHA-256 over the entry's canonical JSON (RFC 8785) and the hash before it. */
export function entryHash(entry: Omit<AuditEntry, 'seq' | 'hash'>): string {
  const content = canonicalize({
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
