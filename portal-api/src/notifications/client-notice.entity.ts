import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A message a staff action owes a client (e.g. "your bank details were
 * changed"), written in the same transaction as the action, so the action
 * cannot commit without its notice. The portal's mailer sends it after the
 * commit and, if SMTP was down, on its next sweep.
 */
@Entity('client_notice')
@Index('client_notice_unsent', ['createdAt'], { where: 'sent_at IS NULL' })
export class ClientNotice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'customer_id' }) customerId!: string;
  @Column({ type: 'uuid', name: 'claim_id', nullable: true }) claimId!: string | null;
  /** Which message (client-notice-templates.ts). */
  @Column({ type: 'text' }) template!: string;
  /** What the template fills in; never a full account number. */
  @Column({ type: 'jsonb' }) values!: Record<string, string>;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'text', name: 'last_error', nullable: true }) lastError!: string | null;
}
