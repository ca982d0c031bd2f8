import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { type ClaimStatus } from './claim-status';

/**
 * One step of a claim's history: a status change, a request, a document, a
 * decision. Clients see the events marked for them, in the words stored here;
 * staff see all. Every insert notifies live listeners (a trigger, see the
 * migration), whichever process wrote it.
 */
@Entity('claim_event')
@Index(['claimId', 'id'])
export class ClaimEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'uuid', name: 'claim_id' }) claimId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
  /** status-changed, document-added, information-requested, information-provided, note… */
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'text', nullable: true }) status!: ClaimStatus | null;
  @Column({ type: 'text' }) message!: string;
  @Column({ type: 'boolean', name: 'visible_to_client' }) visibleToClient!: boolean;
  /** preferred_username of whoever caused it, or the worker's service account. */
  @Column({ type: 'text' }) actor!: string;
}
