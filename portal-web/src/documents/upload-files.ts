import { ApiError, type Api } from '../common/api';

/** A file the portal refused, with its reason in words. */
export interface NotAttached {
  readonly name: string;
  readonly reason: string;
}

/**
 * Uploads each file to the claim as the kind it was tagged with. A file the
 * portal refuses (its content is not a document, it is too large) does not
 * stop the others: it is answered among the files not attached. Anything else
 * (the connection dropped) stops, so that a retry carries on; files already
 * sent are in `done` and are skipped (and the portal would answer a resent
 * one with the document it already has).
 */
export async function uploadFiles(api: Api, claimId: string, files: readonly File[], kinds: ReadonlyMap<File, string>, done: Set<File>, onProgress: (text: string) => void): Promise<NotAttached[]> {
  const refused: NotAttached[] = [];
  for (const [index, file] of files.entries()) {
    if (done.has(file)) continue;
    onProgress(`Uploading file ${index + 1} of ${files.length}, ${file.name}…`);
    const upload = new FormData();
    upload.append('type', kinds.get(file) ?? 'receipt');
    upload.append('file', file, file.name);
    try {
      await api.upload(`/claims/${claimId}/documents`, upload);
      done.add(file);
    } catch (error) {
      if (!(error instanceof ApiError) || ![400, 413, 415, 422].includes(error.status)) throw error;
      refused.push({ name: file.name, reason: error.status === 413 ? 'it is larger than a file can be' : error.status === 415 ? 'its content is not a PDF or a photo we can read' : error.detail || error.title });
    }
  }
  return refused;
}

/** Where the claim page says which files were not attached (`?not-attached=` once per file). */
export function claimPathWithNotAttached(claimId: string, refused: readonly NotAttached[]): string {
  const query = new URLSearchParams();
  for (const file of refused) query.append('not-attached', `${file.name}\n${file.reason}`);
  return `/claims/${claimId}${refused.length > 0 ? `?${query.toString()}` : ''}`;
}

export function notAttachedOf(query: URLSearchParams): NotAttached[] {
  return query.getAll('not-attached').map((value) => {
    const [name = '', ...reason] = value.split('\n');
    return { name, reason: reason.join('\n') };
  });
}
