import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn , type Relation } from 'typeorm';
import { ClaimDocument } from './document.entity';

/** One stored upload of a document; never changed once written. */
@Entity('document_version')
export class DocumentVersion {
  @PrimaryColumn({ type: 'uuid', name: 'document_id' }) documentId!: string;
  @PrimaryColumn({ type: 'integer' }) version!: number;
  @ManyToOne(() => ClaimDocument, (document) => document.versions, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'document_id' }) document!: Relation<ClaimDocument>;
  /** Where the bytes are in the document storage. */
  @Column({ type: 'text', name: 'storage_key' }) storageKey!: string;
  /** Detected from the content, never taken from the name or the client. */
  @Column({ type: 'text', name: 'media_type' }) mediaType!: string;
  @Column({ type: 'integer' }) size!: number;
  /** SHA-256 of the content: duplicate receipts are found by it. */
  @Index() @Column({ type: 'text' }) sha256!: string;
  @Column({ type: 'text', name: 'file_name' }) fileName!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'uploaded_at' }) uploadedAt!: Date;
  @Column({ type: 'text', name: 'uploaded_by' }) uploadedBy!: string;
}
