import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MONEY } from '../database/numeric';

export type PayoutStatus = 'pending' | 'paid' | 'rejected';

/**
 * A payment attempt for a claim: recorded as `pending` (the intent) before
 * the payment provider is called, then `paid` or `rejected` by the bank. The
 * attempt key (`claim:{id}:payout:{attempt}`) is the provider's idempotency
 * key and depends on the claim only, so a retried job, a revisited pay task or
 * a second process instance finds the same attempt; the next attempt number
 * is taken only after a recorded rejection. A claim has at most one pending
 * and at most one paid attempt (unique indexes).
 */
@Entity('payout')
export class Payout {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'claim_id' }) claimId!: string;
  /** Unique per claim: the worker's key for this payment attempt. */
  @Column({ type: 'text', name: 'attempt_key', unique: true }) attemptKey!: string;
  /** 1 for the first attempt, the next after each rejection; null for records made before intents. */
  @Column({ type: 'integer', nullable: true }) attempt!: number | null;
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
