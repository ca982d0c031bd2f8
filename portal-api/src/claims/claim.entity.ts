import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn , type Relation } from 'typeorm';
import { MONEY } from '../database/numeric';
import { Customer } from '../customers/customer.entity';
import { Policy } from '../customers/policy.entity';
import { ClaimItem } from './claim-item.entity';
import { type ClaimRoute, type ClaimStatus } from './claim-status';

export interface FraudFlag {
  readonly rule: string;
  readonly reason: string;
  readonly weight: number;
}

/** One line of the benefit calculation, readable by the client. */
export interface BreakdownLine {
  readonly itemId: string;
  readonly label: string;
  readonly claimed: number;
  readonly eligible: number;
  readonly deductible: number;
  readonly coinsurance: number;
  readonly paid: number;
  readonly note?: string;
}

/** A medical reimbursement request: care items with amounts, and where it stands. */
@Entity('claim')
@Index(['customerId', 'idempotencyKey'], { unique: true, where: 'idempotency_key IS NOT NULL' })
export class Claim {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** What people quote on the phone: CLM-2026-000042. */
  @Column({ type: 'text', unique: true }) reference!: string;
  @Index() @Column({ type: 'uuid', name: 'customer_id' }) customerId!: string;
  @ManyToOne(() => Customer) @JoinColumn({ name: 'customer_id' }) customer!: Relation<Customer>;
  @Column({ type: 'uuid', name: 'policy_id' }) policyId!: string;
  @ManyToOne(() => Policy) @JoinColumn({ name: 'policy_id' }) policy!: Relation<Policy>;
  @Index() @Column({ type: 'text' }) status!: ClaimStatus;
  /** How the claim was routed after screening, once it is known (routeAfter). */
  @Column({ type: 'text', nullable: true }) route!: ClaimRoute | null;
  @Column({ type: 'text' }) currency!: string;
  @Column({ ...MONEY, name: 'total_claimed' }) totalClaimed!: number;
  @Column({ ...MONEY, name: 'total_approved', nullable: true }) totalApproved!: number | null;
  @Column({ ...MONEY, name: 'total_paid', nullable: true }) totalPaid!: number | null;
  /** A client's note with the request. */
  @Column({ type: 'text', nullable: true }) description!: string | null;
  /** Client-chosen key that makes a repeated submission the same claim. */
  @Column({ type: 'text', name: 'idempotency_key', nullable: true }) idempotencyKey!: string | null;
  /** Hash of the submitted body, so a reused key with another body is refused. */
  @Column({ type: 'text', name: 'request_hash' }) requestHash!: string;
  @Index() @Column({ type: 'text', name: 'process_instance_key', nullable: true }) processInstanceKey!: string | null;
  @Column({ type: 'integer', name: 'fraud_score', nullable: true }) fraudScore!: number | null;
  @Column({ type: 'jsonb', name: 'fraud_flags', default: () => "'[]'" }) fraudFlags!: FraudFlag[];
  @Column({ type: 'jsonb', default: () => "'[]'" }) breakdown!: BreakdownLine[];
  /** What the claim is waiting for from the client, when it is. */
  @Column({ type: 'text', name: 'information_requested', nullable: true }) informationRequested!: string | null;
  @Column({ type: 'timestamptz', name: 'information_due', nullable: true }) informationDue!: Date | null;
  /** Why the claim was declined, in plain words. */
  @Column({ type: 'text', name: 'decision_note', nullable: true }) decisionNote!: string | null;
  /** How the claim came in: the client on the extranet, an agent during a call (`phone`), the claims mailbox (`email`). */
  @Column({ type: 'text', name: 'intake_channel', default: 'extranet' }) intakeChannel!: 'extranet' | 'phone' | 'email';
  /** The agent who filed it for the client (phone claims). */
  @Column({ type: 'text', name: 'filed_by_agent', nullable: true }) filedByAgent!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'submitted_at' }) submittedAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
  @VersionColumn() version!: number;
  @OneToMany(() => ClaimItem, (item) => item.claim, { cascade: ['insert'] }) items!: Relation<ClaimItem[]>;
}
