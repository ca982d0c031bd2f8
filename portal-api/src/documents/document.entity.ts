import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn , type Relation } from 'typeorm';
import { DocumentVersion } from './document-version.entity';

export const DOCUMENT_TYPES = ['receipt', 'prescription', 'medical-report', 'referral', 'bank-details', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** A file attached to a claim. Each upload under the same document is a new version. */
@Entity('document')
@Index(['claimId', 'type'])
export class ClaimDocument {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'claim_id' }) claimId!: string;
  @Column({ type: 'text' }) type!: DocumentType;
  /** The uploader's file name, checked and kept only for display and search. */
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'integer', name: 'current_version' }) currentVersion!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'text', name: 'created_by' }) createdBy!: string;
  @OneToMany(() => DocumentVersion, (version) => version.document) versions!: Relation<DocumentVersion[]>;
}
