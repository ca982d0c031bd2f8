import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A reimbursement request a client started and has not sent: the form's data,
 * one per client, so that it can be finished later or on another device.
 * Receipts are not kept here: they are uploaded to the draft claim filed from
 * this data, before that claim is submitted (which discards this record).
 */
@Entity('claim_draft')
export class ClaimDraft {
  /** The client's `sub`. */
  @PrimaryColumn({ type: 'text' }) subject!: string;
  @Column({ type: 'jsonb' }) data!: Record<string, unknown>;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
