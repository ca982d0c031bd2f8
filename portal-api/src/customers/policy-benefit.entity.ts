import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique , type Relation } from 'typeorm';
import { MONEY } from '../database/numeric';
import { Policy } from './policy.entity';

/** One line of a policy's benefit schedule: a kind of care, its limits and waiting period. */
@Entity('policy_benefit')
@Unique(['policyId', 'careCode'])
export class PolicyBenefit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'policy_id' }) policyId!: string;
  @ManyToOne(() => Policy, (policy) => policy.benefits, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'policy_id' }) policy!: Relation<Policy>;
  /** Kind of care, e.g. GP_VISIT, SPECIALIST, PHARMACY, DENTAL, OPTICAL, PHYSIO, HOSPITAL. */
  @Column({ type: 'text', name: 'care_code' }) careCode!: string;
  @Column({ type: 'text' }) label!: string;
  /** Most paid for one item of this kind. */
  @Column({ ...MONEY, name: 'per_item_limit' }) perItemLimit!: number;
  /** Most paid for this kind of care in a policy year. */
  @Column({ ...MONEY, name: 'annual_limit' }) annualLimit!: number;
  /** Days after the policy start before this care is covered. */
  @Column({ type: 'integer', name: 'waiting_period_days' }) waitingPeriodDays!: number;
  /** Documents a claim for this care must carry (e.g. receipt, prescription). */
  @Column({ type: 'text', array: true, name: 'required_documents' }) requiredDocuments!: string[];
}
