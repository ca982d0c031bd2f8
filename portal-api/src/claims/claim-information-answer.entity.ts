import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A client's written answer to a request for information, kept with the
 * question it answers: staff read it beside the next task, the process gets
 * it as variables, and the history shows it.
 */
@Entity('claim_information_answer')
@Index(['claimId', 'answeredAt'])
export class ClaimInformationAnswer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'claim_id' }) claimId!: string;
  /** The question as the client was asked it; null if the claim no longer said. */
  @Column({ type: 'text', nullable: true }) question!: string | null;
  @Column({ type: 'text' }) answer!: string;
  @Column({ type: 'jsonb', name: 'document_ids', default: () => "'[]'" }) documentIds!: string[];
  /** preferred_username of the client who answered. */
  @Column({ type: 'text', name: 'answered_by' }) answeredBy!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'answered_at' }) answeredAt!: Date;
  /** When the engine took the answer's message; null while it has still to be published (InformationPublisher). */
  @Column({ type: 'timestamptz', name: 'published_at', nullable: true }) publishedAt!: Date | null;
}
