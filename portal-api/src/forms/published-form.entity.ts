import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One version of a form the portal serves by its form id (see migration PublishedForms). */
@Entity('published_form')
export class PublishedForm {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'form_id' }) formId!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'jsonb' }) schema!: Record<string, unknown>;
  @Column({ type: 'text', name: 'content_sha256' }) contentSha256!: string;
  /** `repository`: the forms folder read at start; `deployment`: deployed by an analyst through the modeler. */
  @Column({ type: 'text' }) source!: 'repository' | 'deployment';
  @Column({ type: 'text', name: 'published_by' }) publishedBy!: string;
  @Column({ type: 'timestamptz', name: 'published_at', default: () => 'now()' }) publishedAt!: Date;
}
