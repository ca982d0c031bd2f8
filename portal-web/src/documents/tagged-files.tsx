import { useEffect, useState } from 'preact/hooks';
import { DOCUMENT_KINDS } from './document-kinds';
import { refusalOf, type UploadRules } from './upload-rules';

/** Picked files with what each one is; a file the portal would refuse says why, at once. */
export function TaggedFiles(props: { files: readonly File[]; kinds: ReadonlyMap<File, string>; rules: UploadRules; onKind: (file: File, kind: string) => void }) {
  const [urls, setUrls] = useState<(string | undefined)[]>([]);
  useEffect(() => {
    const created = props.files.map((file) => (file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined));
    setUrls(created);
    return () => created.forEach((url) => url && URL.revokeObjectURL(url));
  }, [props.files]);
  if (props.files.length === 0) return null;
  return (
    <ul class="tagged-files" aria-label="Files to send">
      {props.files.map((file, index) => {
        const refusal = refusalOf(file, props.rules);
        const id = `file-kind-${index}`;
        return (
          <li key={`${file.name}-${index}`} class={refusal ? 'refused' : undefined}>
            {urls[index] ? <img src={urls[index]} alt="" /> : <span class="file-icon" aria-hidden="true">📄</span>}
            <div>
              <span class="file-name">{file.name}</span> <span class="muted">{Math.max(1, Math.ceil(file.size / 1024))} KiB</span>
              {refusal ? (
                <p class="error" role="alert">{refusal}</p>
              ) : (
                <label for={id} class="file-kind">
                  This file is<span class="sr-only"> ({file.name})</span>
                  <select id={id} value={props.kinds.get(file) ?? 'receipt'} onChange={(event) => props.onKind(file, event.currentTarget.value)}>
                    {DOCUMENT_KINDS.map((kind) => <option key={kind.value} value={kind.value}>{kind.label}</option>)}
                  </select>
                </label>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** The files a client may send now: those the portal would not refuse. */
export function acceptedFiles(files: readonly File[], rules: UploadRules): File[] {
  return files.filter((file) => !refusalOf(file, rules));
}
