import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A notification the workers sent, recorded so it is sent once and can be shown. */
@Entity('notification')
export class NotificationRecord {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'claim_id', nullable: true }) claimId!: string | null;
  /** The sender's key for this message (e.g. job key + channel): one record per key. */
  @Column({ type: 'text', name: 'dedup_key', unique: true }) dedupKey!: string;
  @Column({ type: 'text' }) channel!: 'email' | 'sms';
  @Column({ type: 'text' }) recipient!: string;
  @Column({ type: 'text' }) template!: string;
  @Column({ type: 'text', nullable: true }) subject!: string | null;
  @Column({ type: 'text', name: 'provider_message_id', nullable: true }) providerMessageId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'sent_at' }) sentAt!: Date;
}
