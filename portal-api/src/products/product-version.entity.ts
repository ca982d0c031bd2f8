import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { CENTS, CENTS_LIST } from './cents-column';
import { Product } from './product.entity';
import { ProductBenefit } from './product-benefit.entity';

/**
 * The terms of a product from a date: what a policy sold on that date keeps
 * for its whole term, however the product changes later. A version is never
 * edited once a policy or quote refers to it; a change is a new version.
 */
@Entity('product_version')
@Unique(['productId', 'version'])
export class ProductVersion {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'product_id' }) productId!: string;
  @ManyToOne(() => Product, (product) => product.versions) @JoinColumn({ name: 'product_id' }) product!: Relation<Product>;
  @Column({ type: 'integer' }) version!: number;
  /** First day policies may start on these terms. */
  @Column({ type: 'date', name: 'effective_from' }) effectiveFrom!: string;
  /** Last day, or null while this is the current version. */
  @Column({ type: 'date', name: 'effective_to', nullable: true }) effectiveTo!: string | null;
  @Column({ type: 'text' }) currency!: string;
  /** Most the insurer pays in one policy year, all care together. */
  @Column({ ...CENTS, name: 'annual_limit_cents' }) annualLimitCents!: number;
  /** The insurer's share after the deductible, in thousandths (800 = 80 %), as in benefits/cents.ts. */
  @Column({ type: 'integer', name: 'coinsurance_permille' }) coinsurancePermille!: number;
  /** The yearly deductibles a client may choose, in cents, ascending. */
  @Column({ ...CENTS_LIST, name: 'deductible_options_cents' }) deductibleOptionsCents!: number[];
  /** Oldest age at which a person may be insured on a new policy. */
  @Column({ type: 'integer', name: 'max_entry_age' }) maxEntryAge!: number;
  @OneToMany(() => ProductBenefit, (benefit) => benefit.productVersion, { cascade: true }) benefits!: Relation<ProductBenefit[]>;
}
