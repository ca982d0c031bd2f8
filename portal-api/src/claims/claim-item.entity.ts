import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn , type Relation } from 'typeorm';
import { MONEY } from '../database/numeric';
import { Claim } from './claim.entity';
import { type ItemStatus } from './claim-status';

/** One act of care on a claim: when, by whom, what kind, how much. */
@Entity('claim_item')
export class ClaimItem {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column({ type: 'uuid', name: 'claim_id' }) claimId!: string;
  @ManyToOne(() => Claim, (claim) => claim.items, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'claim_id' }) claim!: Relation<Claim>;
  @Column({ type: 'integer', name: 'line_number' }) lineNumber!: number;
  @Column({ type: 'date', name: 'service_date' }) serviceDate!: string;
  @Column({ type: 'text', name: 'provider_name' }) providerName!: string;
  /** The provider's registration number, where the receipt shows one. */
  @Column({ type: 'text', name: 'provider_id', nullable: true }) providerId!: string | null;
  @Column({ type: 'text', name: 'care_code' }) careCode!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Index() @Column({ type: 'text', name: 'invoice_number', nullable: true }) invoiceNumber!: string | null;
  @Column({ ...MONEY }) amount!: number;
  @Column({ type: 'text' }) status!: ItemStatus;
  @Column({ type: 'text', name: 'reason_code', nullable: true }) reasonCode!: string | null;
  @Column({ ...MONEY, name: 'approved_amount', nullable: true }) approvedAmount!: number | null;
}
