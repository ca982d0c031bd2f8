import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type MemberKind = 'dependant' | 'beneficiary';

/**
 * A person on a policy besides the policyholder: a dependant (insured, priced)
 * or a beneficiary (receives a share, in whole percent, of what is paid on the
 * policyholder's death). Effective from a day to a day (open-ended: still on).
 */
@Entity('policy_member')
export class PolicyMember {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'policy_id' }) policyId!: string;
  @Column({ type: 'text' }) kind!: MemberKind;
  @Column({ type: 'text', name: 'full_name' }) fullName!: string;
  @Column({ type: 'text' }) relationship!: string;
  @Column({ type: 'date', name: 'birth_date', nullable: true }) birthDate!: string | null;
  @Column({ type: 'integer', name: 'share_percent', nullable: true }) sharePercent!: number | null;
  @Column({ type: 'date', name: 'effective_from' }) effectiveFrom!: string;
  @Column({ type: 'date', name: 'effective_to', nullable: true }) effectiveTo!: string | null;
}
