import { createHash } from 'node:crypto';
import { Injectable, Inject } from '@nestjs/common';
import { type Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { type Logger } from 'pino';
import { LOGGER } from '../tokens';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { ClaimAccess, isUuid } from '../claims/claim-access';
import { ClaimEventsRepository } from '../claims/claim-events.repository';
import { documentView } from '../claims/claim-views';
import { Claim } from '../claims/claim.entity';
import { Problem } from '../http/problem';
import { checkFileName, detectMediaType } from './content-check';
import { DocumentStorage } from './document-storage';
import { DocumentVersion } from './document-version.entity';
import { ClaimDocument, DOCUMENT_TYPES, type DocumentType } from './document.entity';
import { recordNewDocument } from './new-document';

export interface UploadedFile {
  readonly originalname: string;
  readonly buffer: Buffer;
  readonly size: number;
}

/** Document types whose content is medical: every read of one is audited. */
const MEDICAL_TYPES: ReadonlySet<DocumentType> = new Set(['receipt', 'prescription', 'medical-report', 'referral']);

@Injectable()
export class DocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ClaimAccess,
    private readonly storage: DocumentStorage,
    private readonly events: ClaimEventsRepository,
    private readonly audit: AuditLog,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * A new document on a claim (version 1). The same content sent again as the
   * same type of document on the same claim (a retried upload, a file picked
   * twice) answers the document already there instead of storing a copy.
   */
  async upload(principal: Principal, claimId: string, type: string | undefined, file: UploadedFile | undefined) {
    const documentType = checkType(type);
    const claim = await this.access.claim(principal, claimId, 'documents');
    const { name, mediaType, sha256 } = await checkFile(file);
    const known = await this.sameContent(this.dataSource.manager, claim.id, documentType, sha256);
    if (known) return this.metadata(known);
    return this.store(file!, async (manager, storageKey) => {
      // Two retries racing: the second waits for the first, then finds its document.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`document:${claim.id}:${documentType}`]);
      const raced = await this.sameContent(manager, claim.id, documentType, sha256);
      if (raced) return { existing: raced };
      return recordNewDocument(manager, { events: this.events, audit: this.audit }, principal, claim.id, documentType, { name, storageKey, mediaType, size: file!.size, sha256 }, `Document added: ${name}.`);
    });
  }

  /** A new version of an existing document (a better scan, a corrected receipt). */
  async addVersion(principal: Principal, documentId: string, file: UploadedFile | undefined) {
    const { document, claim } = await this.reach(principal, documentId);
    const { name, mediaType, sha256 } = await checkFile(file);
    return this.store(file!, async (manager, storageKey) => {
      // Locks the document row: two uploads at once get versions n+1 and n+2.
      const current = await manager.getRepository(ClaimDocument).createQueryBuilder('d').setLock('pessimistic_write').where('d.id = :id', { id: document.id }).getOneOrFail();
      const version = current.currentVersion + 1;
      await manager.getRepository(DocumentVersion).insert({ documentId: document.id, version, storageKey, mediaType, size: file!.size, sha256, fileName: name, uploadedBy: principal.username });
      await manager.getRepository(ClaimDocument).update({ id: document.id }, { currentVersion: version });
      await this.events.append(manager, claim.id, { kind: 'document-added', message: `New version of ${current.name}.`, visibleToClient: true, actor: principal.username });
      await this.audit.record(manager, principal, { action: 'document.version-added', entityType: 'document', entityId: document.id, details: { claimId: claim.id, version, sha256, size: file!.size, mediaType } });
      return document.id;
    });
  }

  /** The document of this claim and type with a version of exactly this content, if any. */
  private async sameContent(manager: EntityManager, claimId: string, type: DocumentType, sha256: string): Promise<string | undefined> {
    const found = await manager.getRepository(ClaimDocument).createQueryBuilder('d').innerJoin('d.versions', 'v').where('d.claim_id = :claimId AND d.type = :type AND v.sha256 = :sha256', { claimId, type, sha256 }).orderBy('d.createdAt', 'ASC').getOne();
    return found?.id;
  }

  /**
   * Bytes first, then the records; if the records fail, or the write finds the
   * content already stored, the new bytes are removed.
   */
  private async store(file: UploadedFile, write: (manager: EntityManager, storageKey: string) => Promise<string | { existing: string }>) {
    const storageKey = await this.storage.put(file.buffer);
    const removeBytes = () => this.storage.remove(storageKey).catch((removeError: unknown) => this.logger.error({ err: removeError, storageKey }, 'could not remove orphan document bytes'));
    let written: string | { existing: string };
    try {
      written = await this.dataSource.transaction((manager) => write(manager, storageKey));
    } catch (error) {
      await removeBytes();
      throw error;
    }
    if (typeof written === 'string') return this.metadata(written);
    await removeBytes();
    return this.metadata(written.existing);
  }

  async get(principal: Principal, documentId: string) {
    const { document } = await this.reach(principal, documentId);
    return this.metadata(document.id);
  }

  /** Searches documents by claim, type and name, among the claims the caller may see. */
  async search(principal: Principal, filter: { claimId?: string; type?: string; name?: string; limit?: number }) {
    if (filter.type !== undefined) checkType(filter.type);
    const query = this.dataSource.getRepository(ClaimDocument).createQueryBuilder('d').leftJoinAndSelect('d.versions', 'v').innerJoin(Claim, 'c', 'c.id = d.claim_id').innerJoin('c.customer', 'cu').orderBy('d.createdAt', 'DESC').take(Math.min(filter.limit ?? 50, 200));
    if (!this.access.seesAll(principal, 'documents')) query.where('cu.subject = :subject', { subject: principal.subject });
    if (filter.claimId) {
      if (!isUuid(filter.claimId)) throw Problem.invalidField('claimId', 'must be a claim id');
      query.andWhere('d.claim_id = :claimId', { claimId: filter.claimId });
    }
    if (filter.type) query.andWhere('d.type = :type', { type: filter.type });
    if (filter.name) query.andWhere('lower(d.name) LIKE :name', { name: `%${filter.name.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    return { items: (await query.getMany()).map(documentView) };
  }

  /** The bytes of one version, after recording the read in the audit log. */
  async content(principal: Principal, documentId: string, version: number | undefined): Promise<{ stream: Readable; version: DocumentVersion; name: string }> {
    const { document, claim } = await this.reach(principal, documentId);
    const wanted = version ?? document.currentVersion;
    const stored = await this.dataSource.getRepository(DocumentVersion).findOne({ where: { documentId: document.id, version: wanted } });
    if (!stored) throw Problem.notFound(`version ${wanted} of document`, document.id);
    if (MEDICAL_TYPES.has(document.type)) {
      await this.audit.recordAlone(principal, { action: 'document.read', entityType: 'document', entityId: document.id, details: { claimId: claim.id, version: wanted, type: document.type } });
    }
    return { stream: await this.storage.read(stored.storageKey), version: stored, name: stored.fileName };
  }

  private async reach(principal: Principal, documentId: string): Promise<{ document: ClaimDocument; claim: Claim }> {
    if (!isUuid(documentId)) throw Problem.notFound('document', documentId);
    const document = await this.dataSource.getRepository(ClaimDocument).findOne({ where: { id: documentId } });
    if (!document) throw Problem.notFound('document', documentId);
    try {
      return { document, claim: await this.access.claim(principal, document.claimId, 'documents') };
    } catch {
      throw Problem.notFound('document', documentId);
    }
  }

  private async metadata(documentId: string) {
    return documentView(await this.dataSource.getRepository(ClaimDocument).findOneOrFail({ where: { id: documentId }, relations: { versions: true } }));
  }
}

function checkType(type: string | undefined): DocumentType {
  if (!type || !(DOCUMENT_TYPES as readonly string[]).includes(type)) throw Problem.invalidField('type', `must be one of ${DOCUMENT_TYPES.join(', ')}`);
  return type as DocumentType;
}

async function checkFile(file: UploadedFile | undefined): Promise<{ name: string; mediaType: string; sha256: string }> {
  if (!file) throw Problem.invalidField('file', 'is required (multipart/form-data field "file")');
  const name = checkFileName(file.originalname);
  if (file.size === 0) throw Problem.invalidField('file', 'is empty');
  const mediaType = await detectMediaType(file.buffer, name);
  return { name, mediaType, sha256: createHash('sha256').update(file.buffer).digest('hex') };
}
