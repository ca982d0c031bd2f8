import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn , type Relation } from 'typeorm';
import { Policy } from './policy.entity';

/** An insured person. Linked to their sign-in by the identity issuer's `sub`. */
@Entity('customer')
export class Customer {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** `sub` of the customer's tokens (a Keycloak user id). */
  @Column({ type: 'text', unique: true }) subject!: string;
  /** What the customer quotes on the phone (CUS-000042), given by the database. */
  @Column({ type: 'text', insert: false, update: false }) number!: string;
  @Column({ type: 'text', name: 'full_name' }) fullName!: string;
  @Column({ type: 'text' }) email!: string;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  /** Where reimbursements are paid; never put in process variables. */
  @Column({ type: 'text', nullable: true }) iban!: string | null;
  @Column({ type: 'text', name: 'account_holder', nullable: true }) accountHolder!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @OneToMany(() => Policy, (policy) => policy.customer) policies!: Relation<Policy[]>;
}
