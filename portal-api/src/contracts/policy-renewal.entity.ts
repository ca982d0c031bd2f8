import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CENTS } from '../products/cents-column';
import { type PriceStep } from '../products/premium-arithmetic';

export type RenewalStatus = 'offered' | 'declined' | 'renewed' | 'expired';

/** The offer to renew a policy for the term after `termEndsOn`, priced on the product version current then. */
@Entity('policy_renewal')
export class PolicyRenewal {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'policy_id' }) policyId!: string;
  @Column({ type: 'date', name: 'term_ends_on' }) termEndsOn!: string;
  @Column({ type: 'date', name: 'new_ends_on' }) newEndsOn!: string;
  @Column({ type: 'uuid', name: 'product_version_id' }) productVersionId!: string;
  @Column({ ...CENTS, name: 'annual_deductible_cents' }) annualDeductibleCents!: number;
  @Column({ type: 'integer', name: 'insured_count' }) insuredCount!: number;
  @Column({ ...CENTS, name: 'yearly_premium_cents' }) yearlyPremiumCents!: number;
  @Column({ ...CENTS, name: 'period_premium_cents' }) periodPremiumCents!: number;
  @Column({ type: 'jsonb' }) breakdown!: PriceStep[];
  @Column({ type: 'text' }) status!: RenewalStatus;
  @Column({ type: 'timestamptz', name: 'offered_at' }) offeredAt!: Date;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt!: Date | null;
}
