import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan, type EntityManager } from 'typeorm';
import { ClaimEvent } from './claim-event.entity';
import { type ClaimStatus } from './claim-status';

export interface NewClaimEvent {
  readonly kind: string;
  readonly message: string;
  readonly visibleToClient: boolean;
  readonly actor: string;
  readonly status?: ClaimStatus | null;
}

/** A claim's history; the timeline clients read is the part marked for them. */
@Injectable()
export class ClaimEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  append(manager: EntityManager, claimId: string, event: NewClaimEvent): Promise<ClaimEvent> {
    return manager.getRepository(ClaimEvent).save(manager.getRepository(ClaimEvent).create({ claimId, status: event.status ?? null, ...event }));
  }

  /** Events after `afterId`, oldest first; clients get theirs only. */
  list(claimId: string, options: { forClient: boolean; afterId?: string }): Promise<ClaimEvent[]> {
    return this.dataSource.getRepository(ClaimEvent).find({
      where: { claimId, ...(options.forClient ? { visibleToClient: true } : {}), ...(options.afterId ? { id: MoreThan(options.afterId) } : {}) },
      order: { id: 'ASC' },
      take: 500,
    });
  }
}
