import { type EntityManager } from 'typeorm';
import { type AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { type ClaimEventsRepository } from '../claims/claim-events.repository';
import { DocumentVersion } from './document-version.entity';
import { ClaimDocument, type DocumentType } from './document.entity';

/** A checked file whose bytes are already in the document storage. */
export interface StoredFile {
  readonly name: string;
  readonly storageKey: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * A new document on a claim (version 1), in the caller's transaction: its
 * row, its first version, a line on the claim's timeline and the
 * `document.created` audit entry. Every way a document arrives (an upload, a
 * mailed attachment) goes through here, so each leaves the same trail.
 */
export async function recordNewDocument(
  manager: EntityManager,
  trail: { readonly events: ClaimEventsRepository; readonly audit: AuditLog },
  actor: Pick<Principal, 'subject' | 'username'>,
  claimId: string,
  type: DocumentType,
  file: StoredFile,
  timelineMessage: string,
): Promise<string> {
  const document = await manager.getRepository(ClaimDocument).save(manager.getRepository(ClaimDocument).create({ claimId, type, name: file.name, currentVersion: 1, createdBy: actor.username }));
  await manager.getRepository(DocumentVersion).insert({ documentId: document.id, version: 1, storageKey: file.storageKey, mediaType: file.mediaType, size: file.size, sha256: file.sha256, fileName: file.name, uploadedBy: actor.username });
  await trail.events.append(manager, claimId, { kind: 'document-added', message: timelineMessage, visibleToClient: true, actor: actor.username });
  await trail.audit.record(manager, actor, { action: 'document.created', entityType: 'document', entityId: document.id, details: { claimId, type, sha256: file.sha256, size: file.size, mediaType: file.mediaType } });
  return document.id;
}
