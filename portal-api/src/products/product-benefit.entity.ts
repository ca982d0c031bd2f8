import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { CENTS } from './cents-column';
import { ProductVersion } from './product-version.entity';

/** One line of a product version's benefit schedule: a kind of care, its limits, waiting period and documents. */
@Entity('product_benefit')
@Unique(['productVersionId', 'careCode'])
export class ProductBenefit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'product_version_id' }) productVersionId!: string;
  @ManyToOne(() => ProductVersion, (version) => version.benefits, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'product_version_id' }) productVersion!: Relation<ProductVersion>;
  /** Kind of care, the same codes as claims use (GP_VISIT, DENTAL…). */
  @Column({ type: 'text', name: 'care_code' }) careCode!: string;
  @Column({ type: 'text' }) label!: string;
  @Column({ ...CENTS, name: 'per_item_limit_cents' }) perItemLimitCents!: number;
  @Column({ ...CENTS, name: 'annual_limit_cents' }) annualLimitCents!: number;
  @Column({ type: 'integer', name: 'waiting_period_days' }) waitingPeriodDays!: number;
  @Column({ type: 'text', array: true, name: 'required_documents' }) requiredDocuments!: string[];
}
