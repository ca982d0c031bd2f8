import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn , type Relation } from 'typeorm';
import { MONEY } from '../database/numeric';
import { type PaymentFrequency } from '../products/premium-arithmetic';
import { Customer } from './customer.entity';
import { PolicyBenefit } from './policy-benefit.entity';

/** Where a policy stands; its history by date is in policy_status_period (contracts/policy-standing.ts). */
export type PolicyStatus = 'pending' | 'active' | 'suspended' | 'lapsed' | 'cancelled' | 'expired';

/**
 * A health policy: what it covers (the benefit schedule), when, and how much
 * the client bears (an annual deductible, then co-insurance) up to its limits.
 */
@Entity('policy')
export class Policy {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) number!: string;
  @Column({ type: 'uuid', name: 'customer_id' }) customerId!: string;
  @ManyToOne(() => Customer, (customer) => customer.policies) @JoinColumn({ name: 'customer_id' }) customer!: Relation<Customer>;
  /** Product name as sold, e.g. "Health Essential". */
  @Column({ type: 'text' }) product!: string;
  /** The product version the policy was sold on (null for policies older than the catalog); its schedule is copied into `benefits`. */
  @Column({ type: 'uuid', name: 'product_version_id', nullable: true }) productVersionId!: string | null;
  @Column({ type: 'text' }) status!: PolicyStatus;
  @Column({ type: 'date', name: 'starts_on' }) startsOn!: string;
  @Column({ type: 'date', name: 'ends_on' }) endsOn!: string;
  @Column({ type: 'text' }) currency!: string;
  /** What the client pays each policy year before the insurer pays anything. */
  @Column({ ...MONEY, name: 'annual_deductible' }) annualDeductible!: number;
  /** Share of each eligible amount the insurer pays after the deductible (0.8 = 80 %). */
  @Column({ type: 'numeric', precision: 4, scale: 3, name: 'coinsurance_rate', transformer: MONEY.transformer }) coinsuranceRate!: number;
  /** Most the insurer pays in one policy year, all benefits together. */
  @Column({ ...MONEY, name: 'annual_limit' }) annualLimit!: number;
  /** Where the policyholder lives, as the pricing table names regions: what a re-price is priced on. */
  @Column({ type: 'text', default: 'urban' }) region!: string;
  @Column({ type: 'text', name: 'payment_frequency', default: 'yearly' }) paymentFrequency!: PaymentFrequency;
  /** The policyholder's birth date, for re-pricing (null on policies sold before it was kept: they cannot be re-priced). */
  @Column({ type: 'date', name: 'holder_birth_date', nullable: true }) holderBirthDate!: string | null;
  /** The policy-renewal process instance that watches this policy's end date, once its first step recorded it. */
  @Column({ type: 'text', name: 'renewal_process_key', nullable: true }) renewalProcessKey!: string | null;
  @OneToMany(() => PolicyBenefit, (benefit) => benefit.policy, { cascade: true }) benefits!: Relation<PolicyBenefit[]>;
}
