import { useEffect, useState } from 'preact/hooks';

/** What the portal accepts as a document (`GET /api/web-config`, from the server's own checks and DOCUMENT_MAX_MIB). */
export interface UploadRules {
  readonly maxBytes: number;
  /** Accepted media types, each with its file name endings. */
  readonly mediaTypes: Readonly<Record<string, readonly string[]>>;
}

/** Until the portal answers, the defaults of the server (10 MiB, PDF and pictures), so a check never blocks on the network. */
const FALLBACK: UploadRules = { maxBytes: 10 * 1024 * 1024, mediaTypes: { 'application/pdf': ['.pdf'], 'image/jpeg': ['.jpg', '.jpeg'], 'image/png': ['.png'], 'image/heic': ['.heic'], 'image/webp': ['.webp'], 'image/tiff': ['.tif', '.tiff'] } };

let loaded: Promise<UploadRules> | undefined;

/** The portal's upload rules, read once per page load. */
export function useUploadRules(): UploadRules {
  const [rules, setRules] = useState(FALLBACK);
  useEffect(() => {
    loaded ??= fetch('/api/web-config')
      .then((response) => response.json() as Promise<{ documents?: UploadRules }>)
      .then((config) => config.documents ?? FALLBACK)
      .catch(() => FALLBACK);
    void loaded.then(setRules);
  }, []);
  return rules;
}

/** The `accept` attribute of a file input under these rules. */
export function acceptOf(rules: UploadRules): string {
  return Object.values(rules.mediaTypes).flat().join(',');
}

export function mebibytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} MiB`;
}

/**
 * Why the portal would refuse this file, in a sentence, or undefined. The
 * name's ending and the browser's type are checked here, at once; the server
 * still checks the content itself.
 */
export function refusalOf(file: File, rules: UploadRules): string | undefined {
  const dot = file.name.lastIndexOf('.');
  const ending = dot >= 0 ? file.name.slice(dot).toLowerCase() : '';
  const endings = Object.values(rules.mediaTypes).flat();
  const typeKnown = file.type === '' || Object.keys(rules.mediaTypes).includes(file.type);
  if (!endings.includes(ending) || !typeKnown) return `“${file.name}” is not a file we can take: send a PDF or a photo (JPEG, PNG, HEIC, WebP or TIFF).`;
  if (file.size > rules.maxBytes) return `“${file.name}” is ${mebibytes(file.size)}, more than the ${mebibytes(rules.maxBytes)} a file can be: send a smaller scan or photo.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  return undefined;
}
