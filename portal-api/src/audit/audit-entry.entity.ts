import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One line of the audit log: who did or read what, when. Rows are chained by
 * hash within their stream (each row's hash covers the previous row's of the
 * same stream) and the table refuses UPDATE, DELETE and TRUNCATE (triggers in
 * the migration).
 */
@Entity('audit_entry')
@Index(['entityType', 'entityId'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  /** `sub` of the caller's token. */
  @Column({ type: 'text', name: 'actor_subject' }) actorSubject!: string;
  @Column({ type: 'text', name: 'actor_name' }) actorName!: string;
  /** claim.created, document.read, task.completed, deployment.created… */
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'text', name: 'entity_type' }) entityType!: string;
  @Column({ type: 'text', name: 'entity_id' }) entityId!: string;
  @Column({ type: 'jsonb' }) details!: Record<string, unknown>;
  /** The chain this entry links into: `<entityType>:<entityId>`; null for entries of the single chain kept before streams. */
  @Column({ type: 'text', nullable: true }) stream!: string | null;
  @Column({ type: 'text', name: 'prev_hash' }) prevHash!: string;
  @Column({ type: 'text' }) hash!: string;
}
