import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CENTS } from './cents-column';
import { ProductVersion } from './product-version.entity';
import { type PaymentFrequency, type PriceStep } from './premium-arithmetic';

/** A person a quote prices: the policyholder or a dependant, and their age on the cover start. */
export interface QuotedPerson {
  readonly role: 'policyholder' | 'dependant';
  readonly birthDate: string;
  readonly age: number;
}

/** Which version of the pricing decision priced the quote, so a later price change is explained. */
export interface PricingSource {
  readonly decisionDefinitionId: string;
  readonly decisionDefinitionKey: string;
  readonly decisionDefinitionVersion: number;
}

/**
 * A price given to one signed-in person for one product version: kept as
 * priced (figures and breakdown), never recomputed, valid until its date.
 */
@Entity('quote')
export class Quote {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** The `sub` of whoever asked: quotes are theirs alone. */
  @Column({ type: 'text', name: 'owner_subject' }) ownerSubject!: string;
  @Column({ type: 'uuid', name: 'product_version_id' }) productVersionId!: string;
  @ManyToOne(() => ProductVersion) @JoinColumn({ name: 'product_version_id' }) productVersion!: Relation<ProductVersion>;
  @Column({ type: 'date', name: 'starts_on' }) startsOn!: string;
  @Column({ type: 'text' }) region!: string;
  @Column({ ...CENTS, name: 'deductible_cents' }) deductibleCents!: number;
  @Column({ type: 'text', name: 'payment_frequency' }) paymentFrequency!: PaymentFrequency;
  @Column({ type: 'jsonb' }) insured!: QuotedPerson[];
  @Column({ type: 'text' }) currency!: string;
  @Column({ ...CENTS, name: 'period_premium_cents' }) periodPremiumCents!: number;
  @Column({ type: 'integer', name: 'periods_per_year' }) periodsPerYear!: number;
  @Column({ ...CENTS, name: 'yearly_premium_cents' }) yearlyPremiumCents!: number;
  @Column({ type: 'jsonb' }) breakdown!: PriceStep[];
  @Column({ type: 'jsonb' }) pricing!: PricingSource;
  @Column({ type: 'date', name: 'valid_until' }) validUntil!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
