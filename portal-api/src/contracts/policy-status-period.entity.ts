import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { type PolicyStatus } from '../customers/policy.entity';

/** One stretch of a policy's history in one state, from a day to a day (open-ended: until further notice). */
@Entity('policy_status_period')
export class PolicyStatusPeriod {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'policy_id' }) policyId!: string;
  @Column({ type: 'text' }) status!: PolicyStatus;
  @Column({ type: 'date', name: 'effective_from' }) effectiveFrom!: string;
  @Column({ type: 'date', name: 'effective_to', nullable: true }) effectiveTo!: string | null;
  /** Why, for staff (e.g. "premium unpaid since 1 Nov"); the client reads the state, not this. */
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text', name: 'recorded_by' }) recordedBy!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' }) recordedAt!: Date;
}
