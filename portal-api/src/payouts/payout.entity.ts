import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MONEY } from '../database/numeric';

export type PayoutStatus = 'paid' | 'rejected';

/**
 * A reimbursement paid (or refused by the bank) for a claim. One row per
 * claim and attempt key: a retried or duplicated payment job finds the row it
 * wrote and never pays twice.
 */
@Entity('payout')
export class Payout {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'claim_id' }) claimId!: string;
  /** Unique per claim: the worker's key for this payment attempt. */
  @Column({ type: 'text', name: 'attempt_key', unique: true }) attemptKey!: string;
  @Column({ ...MONEY }) amount!: number;
  @Column({ type: 'text' }) currency!: string;
  @Column({ type: 'text' }) status!: PayoutStatus;
  /** Last four characters of the account paid, for display. */
  @Column({ type: 'text', name: 'account_hint' }) accountHint!: string;
  @Column({ type: 'text', name: 'provider_reference', nullable: true }) providerReference!: string | null;
  @Column({ type: 'text', name: 'rejection_reason', nullable: true }) rejectionReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
