import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { Problem } from '../http/problem';

/** What a claim document may be: scans, photos and PDFs. */
export const ACCEPTED_MEDIA_TYPES: Record<string, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
  'image/heic': ['.heic'],
  'image/webp': ['.webp'],
  'image/tiff': ['.tif', '.tiff'],
};

/**
 * Refuses file names that could be mistaken for paths or that hide their end:
 * separators, dot segments, control characters, names too long to show.
 */
export function checkFileName(name: string | undefined): string {
  if (!name || name.trim() === '') throw Problem.invalidField('file', 'must have a file name');
  const reasons: string[] = [];
  if (/[/\\]/.test(name)) reasons.push('must not contain / or \\');
  if (name === '.' || name === '..' || name.startsWith('..')) reasons.push('must not be a relative path');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u202e\u2066-\u2069]/.test(name)) reasons.push('must not contain control or direction-changing characters');
  if (name.length > 200) reasons.push('must be at most 200 characters long');
  if (reasons.length > 0) throw new Problem(400, 'Invalid request', `The file name is refused: ${reasons.join('; ')}.`, reasons.map((reason) => ({ name: 'file.name', reason })));
  return name.normalize('NFC').trim();
}

/**
 * The media type from the bytes themselves (magic numbers, via `file-type`).
 * A file whose content is not an accepted kind, or whose name claims another
 * kind than its content, is refused with 415.
 */
export async function detectMediaType(content: Buffer, fileName: string): Promise<string> {
  const detected = await fileTypeFromBuffer(content);
  if (!detected || !ACCEPTED_MEDIA_TYPES[detected.mime]) {
    throw new Problem(415, 'Unsupported media type', `The content of "${fileName}" is ${detected ? detected.mime : 'not a recognised file type'}; documents must be PDF, JPEG, PNG, HEIC, WebP or TIFF.`, [{ name: 'file', reason: 'content is not an accepted document type' }]);
  }
  const extension = path.extname(fileName).toLowerCase();
  if (extension && !ACCEPTED_MEDIA_TYPES[detected.mime]!.includes(extension)) {
    throw new Problem(415, 'Unsupported media type', `"${fileName}" is named ${extension} but its content is ${detected.mime}.`, [{ name: 'file', reason: 'name and content disagree' }]);
  }
  return detected.mime;
}
