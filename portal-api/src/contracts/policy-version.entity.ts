import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CENTS } from '../products/cents-column';
import { type PriceStep } from '../products/premium-arithmetic';

export type PolicyVersionKind = 'issued' | 'mid-term-change' | 'renewal';

/**
 * The terms of a policy over a stretch of time (an endorsement): what a claim
 * with care on a day inside it is calculated with, and the premium they cost.
 * A policy with no version row is on the terms of its own row, from start to end.
 */
@Entity('policy_version')
export class PolicyVersion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'policy_id' }) policyId!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'text' }) kind!: PolicyVersionKind;
  @Column({ type: 'date', name: 'effective_from' }) effectiveFrom!: string;
  @Column({ type: 'date', name: 'effective_to', nullable: true }) effectiveTo!: string | null;
  @Column({ type: 'uuid', name: 'product_version_id', nullable: true }) productVersionId!: string | null;
  @Column({ ...CENTS, name: 'annual_deductible_cents' }) annualDeductibleCents!: number;
  /** The policyholder and the dependants covered under these terms. */
  @Column({ type: 'integer', name: 'insured_count' }) insuredCount!: number;
  @Column({ ...CENTS, name: 'yearly_premium_cents', nullable: true }) yearlyPremiumCents!: number | null;
  @Column({ ...CENTS, name: 'period_premium_cents', nullable: true }) periodPremiumCents!: number | null;
  /** What the change costs (positive) or gives back (negative) for the rest of the policy year it starts in. */
  @Column({ ...CENTS, name: 'adjustment_cents' }) adjustmentCents!: number;
  @Column({ type: 'jsonb', nullable: true }) breakdown!: PriceStep[] | null;
  /** What changed, in words staff and the client read ("Dependant added: Léa Martin"). */
  @Column({ type: 'text' }) change!: string;
  @Column({ type: 'text', name: 'recorded_by' }) recordedBy!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' }) recordedAt!: Date;
}
