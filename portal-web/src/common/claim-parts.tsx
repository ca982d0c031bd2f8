import { type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from './api';
import { usePreviewCannotTakeFocus } from './preview-focus';
import { date, dateTime, money, words } from './format';
import { type BreakdownLine, type ClaimItemView, type DocumentView, type TimelineEntry } from './types';

/** The care items of a claim, each with its decision and, when refused, the reason. */
export function ClaimItems(props: { items: readonly ClaimItemView[]; currency: string }) {
  return (
    <table class="data">
      <caption>Care items</caption>
      <thead>
        <tr><th scope="col">Date</th><th scope="col">Care</th><th scope="col">Provider</th><th scope="col" class="num">Amount</th><th scope="col">Decision</th></tr>
      </thead>
      <tbody>
        {props.items.map((item) => (
          <tr key={item.id}>
            <td data-label="Date">{date(item.serviceDate)}</td>
            <td data-label="Care">{item.careLabel ?? words(item.careCode)}{item.description ? <div class="muted">{item.description}</div> : null}</td>
            <td data-label="Provider">{item.providerName}</td>
            <td class="num" data-label="Amount">{money(item.amount, props.currency)}</td>
            <td data-label="Decision">
              <span class={`badge item-${item.status}`}>{words(item.status)}</span>
              {item.reason ? <div class="reason">{item.reason}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * How the amount paid was reached, line by line: eligible, deductible,
 * co-insurance, paid. `paid: false` says "Payable" instead (staff screens:
 * "Paid" only once money has moved); `caption` words it for another reader.
 */
export function Breakdown(props: { lines: readonly BreakdownLine[]; currency: string; paid?: boolean; caption?: string }) {
  if (props.lines.length === 0) return null;
  const last = props.paid === false ? 'Payable' : 'Paid';
  const total = props.lines.reduce((sum, line) => sum + Number(line.paid), 0);
  return (
    <table class="data breakdown" aria-label="Breakdown of the reimbursement">
      <caption>{props.caption ?? 'How we calculated your reimbursement'}</caption>
      <thead>
        <tr><th scope="col">Item</th><th scope="col" class="num">Claimed</th><th scope="col" class="num">Eligible</th><th scope="col" class="num">Deductible</th><th scope="col" class="num">Your share</th><th scope="col" class="num">{last}</th></tr>
      </thead>
      <tbody>
        {props.lines.map((line) => (
          <tr key={line.itemId}>
            <td data-label="Item">{line.label}{line.note ? <div class="muted">{line.reason ?? line.note}</div> : null}</td>
            <td class="num" data-label="Claimed">{money(line.claimed, props.currency)}</td>
            <td class="num" data-label="Eligible">{money(line.eligible, props.currency)}</td>
            <td class="num" data-label="Deductible">{money(line.deductible, props.currency)}</td>
            <td class="num" data-label="Your share">{money(line.coinsurance, props.currency)}</td>
            <td class="num" data-label={last}>{money(line.paid, props.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr><th scope="row" colSpan={5}>{props.paid === false ? 'Total payable' : 'Total reimbursed'}</th><td class="num total">{money(total, props.currency)}</td></tr>
      </tfoot>
    </table>
  );
}

/** The claim's history in plain language, newest last. */
export function Timeline(props: { entries: readonly TimelineEntry[]; live?: boolean }) {
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">History {props.live ? <span class="live" title="Updates as they happen">● live</span> : null}</h2>
      <ol class="timeline" aria-live="polite">
        {props.entries.map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.at}>{dateTime(entry.at)}</time>
            <p>{entry.message}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * A document with a preview: images inline, PDFs in the browser's viewer.
 * The content needs the bearer token, so it is fetched and shown from a blob: URL.
 */
export function DocumentPreview(props: { api: Api; document: DocumentView; initiallyOpen?: boolean }) {
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState(Boolean(props.initiallyOpen));
  useEffect(() => {
    if (!open) return undefined;
    let created: string | undefined;
    props.api.blob(`/documents/${props.document.id}/content`).then(
      (blob) => {
        created = URL.createObjectURL(blob);
        setUrl(created);
      },
      (failure: unknown) => setError(messageOf(failure)),
    );
    return () => {
      if (created) URL.revokeObjectURL(created);
    };
  }, [open, props.document.id]);
  const type = props.document.mediaType ?? '';
  return (
    <li class="document">
      <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {props.document.name} <span class="muted">({words(props.document.type)}{props.document.size ? `, ${Math.ceil(props.document.size / 1024)} KiB` : ''})</span>
      </button>
      {open ? (
        <div class="preview">
          {error ? <p role="alert">{error}</p> : !url ? <p>Loading…</p> : type.startsWith('image/') ? <img src={url} alt={props.document.name} /> : <EmbeddedDocument url={url} type={type} label={props.document.name}><a href={url} download={props.document.name}>Download {props.document.name}</a></EmbeddedDocument>}
        </div>
      ) : null}
    </li>
  );
}

/** A document shown by the browser's own viewer; it cannot take the focus from where the person is working when it finishes loading. */
function EmbeddedDocument(props: { url: string; type: string; label: string; children: ComponentChildren }) {
  const element = useRef<HTMLObjectElement>(null);
  usePreviewCannotTakeFocus(element, props.url);
  return <object ref={element} data={props.url} type={props.type} aria-label={props.label}>{props.children}</object>;
}

/** Local files chosen for upload, shown before they are sent. */
export function FilePreviews(props: { files: readonly File[] }) {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const created = props.files.map((file) => URL.createObjectURL(file));
    setUrls(created);
    return () => created.forEach((url) => URL.revokeObjectURL(url));
  }, [props.files]);
  if (props.files.length === 0) return null;
  return (
    <ul class="file-previews" aria-label="Files to send">
      {props.files.map((file, index) => (
        <li key={`${file.name}-${index}`}>
          {file.type.startsWith('image/') && urls[index] ? <img src={urls[index]} alt={`Preview of ${file.name}`} /> : file.type === 'application/pdf' && urls[index] ? <EmbeddedDocument url={urls[index]} type="application/pdf" label={`Preview of ${file.name}`}>PDF</EmbeddedDocument> : <span class="file-icon" aria-hidden="true">📄</span>}
          <span>{file.name} <span class="muted">{Math.ceil(file.size / 1024)} KiB</span></span>
        </li>
      ))}
    </ul>
  );
}
