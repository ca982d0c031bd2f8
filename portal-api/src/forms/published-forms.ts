import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PublishedForm } from './published-form.entity';

/** The form a client fills to request a reimbursement (forms/claim-request.form). */
export const CLAIM_REQUEST_FORM_ID = 'claim-request';

export interface FormFile {
  readonly name: string;
  readonly content: string;
}

/** A form file's form-js schema and id, or why it is not one. */
export function readFormFile(file: FormFile): { formId: string; schema: Record<string, unknown> } | { problem: string } {
  let schema: unknown;
  try {
    schema = JSON.parse(file.content);
  } catch {
    return { problem: `${file.name} is not JSON` };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { problem: `${file.name} is not a form-js schema` };
  const formId = (schema as { id?: unknown }).id;
  if (typeof formId !== 'string' || formId.trim() === '') return { problem: `${file.name} has no form id` };
  return { formId, schema: schema as Record<string, unknown> };
}

/** A lock per form id, so two publishers of one form cannot take the same version number. */
const lockOf = (formId: string) => createHash('sha256').update(`published_form:${formId}`).digest().readBigInt64BE(0).toString();

/**
 * Every form deployed, by form id, newest version first. Fed by the
 * repository's forms folder at start and by every deployment made through
 * the modeler, so the extranet's request form is what was last deployed on
 * Camunda 8 and on the embedded engine alike (Camunda returns a form's
 * content only through a user task or a none start event), and the form
 * editor opens any deployed form by its id.
 */
@Injectable()
export class PublishedForms {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records each form whose content differs from its newest version; answers
   * the versions made. The repository's files are the starting point only: a
   * content the portal has published before is not made newest again at the
   * next start, so an analyst's deployed change outlives restarts, while
   * deploying an earlier content on purpose (a rollback) is a new version.
   */
  async publish(files: readonly FormFile[], source: PublishedForm['source'], publishedBy: string): Promise<{ formId: string; version: number }[]> {
    const made: { formId: string; version: number }[] = [];
    for (const file of files) {
      const read = readFormFile(file);
      if ('problem' in read) continue;
      const sha256 = createHash('sha256').update(file.content).digest('hex');
      const version = await this.dataSource.transaction(async (db) => {
        await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockOf(read.formId)]);
        const [newest] = await db.query<{ version: number; content_sha256: string }[]>('SELECT version, content_sha256 FROM published_form WHERE form_id = $1 ORDER BY version DESC LIMIT 1', [read.formId]);
        if (newest?.content_sha256 === sha256) return undefined;
        if (source === 'repository' && newest) {
          const [seen] = await db.query<unknown[]>('SELECT 1 FROM published_form WHERE form_id = $1 AND content_sha256 = $2 LIMIT 1', [read.formId, sha256]);
          if (seen) return undefined;
        }
        const next = (newest?.version ?? 0) + 1;
        await db.getRepository(PublishedForm).insert({ formId: read.formId, version: next, schema: read.schema as never, contentSha256: sha256, source, publishedBy });
        return next;
      });
      if (version !== undefined) made.push({ formId: read.formId, version });
    }
    return made;
  }

  /** The newest version of every published form, by form id. */
  async newestOfEach(): Promise<Pick<PublishedForm, 'formId' | 'version' | 'source' | 'publishedBy' | 'publishedAt'>[]> {
    const rows = await this.dataSource.query<{ form_id: string; version: number; source: PublishedForm['source']; published_by: string; published_at: Date }[]>(
      'SELECT DISTINCT ON (form_id) form_id, version, source, published_by, published_at FROM published_form ORDER BY form_id, version DESC',
    );
    return rows.map((r) => ({ formId: r.form_id, version: r.version, source: r.source, publishedBy: r.published_by, publishedAt: r.published_at }));
  }

  /** The newest version of a form, or undefined when none was ever published. */
  async latest(formId: string): Promise<PublishedForm | undefined> {
    return (await this.dataSource.getRepository(PublishedForm).findOne({ where: { formId }, order: { version: 'DESC' } })) ?? undefined;
  }
}

/** Publishes every `.form` of the repository's forms folder (at start, like the workers deploy the same files). */
export async function publishRepositoryForms(dataSource: DataSource, folder: string, logger: Logger): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.form')).sort();
  } catch (error) {
    logger.warn({ folder, err: error }, 'no forms folder: the extranet serves the forms deployed through the modeler only');
    return;
  }
  const files = await Promise.all(names.map(async (name) => ({ name, content: await readFile(path.join(folder, name), 'utf8') })));
  const made = await new PublishedForms(dataSource).publish(files, 'repository', 'portal start');
  if (made.length > 0) logger.info({ forms: made }, 'forms published');
}
