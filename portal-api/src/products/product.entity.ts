import { Column, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { ProductVersion } from './product-version.entity';

/** A health product as the insurer sells it; its terms live in its versions. */
@Entity('product')
export class Product {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Stable code the pricing table and quotes name, e.g. HEALTH_PLUS. */
  @Column({ type: 'text', unique: true }) code!: string;
  @Column({ type: 'text' }) name!: string;
  /** Catalog category, e.g. "individual health". */
  @Column({ type: 'text' }) category!: string;
  @Column({ type: 'text' }) summary!: string;
  @OneToMany(() => ProductVersion, (version) => version.product) versions!: Relation<ProductVersion[]>;
}
