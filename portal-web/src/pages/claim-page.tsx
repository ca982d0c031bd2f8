import { useEffect, useState } from 'preact/hooks';
import { DraftCareItems } from './draft-care-items';
import { type Api, ApiError, messageOf } from '../common/api';
import { Breakdown, ClaimItems, DocumentPreview, FilePreviews, Timeline } from '../common/claim-parts';
import { date, money } from '../common/format';
import { followEvents } from '../common/live';
import { type ClaimDetail, type ClaimView, type TimelineEntry } from '../common/types';
import { ErrorMessage, Loading, PageProblem } from '../common/ui';
import { acceptOf, useUploadRules } from '../documents/upload-rules';
import { acceptedFiles, TaggedFiles } from '../documents/tagged-files';
import { type NotAttached, uploadFiles } from '../documents/upload-files';

/** A claim in one of these is paid or closed: no payment date is estimated for it. */
const DECIDED_STATUSES: ReadonlySet<string> = new Set(['paid', 'closed-nothing-payable', 'rejected', 'abandoned']);

const TECHNICAL_DELAY_RECHECK_MS = 10_000;

/**
 * One claim, followed live: the status and history update as the process
 * moves (Server-Sent Events), without reloading; the breakdown shows once the
 * benefit is calculated; a request for information can be answered here.
 */
export function ClaimPage(props: { api: Api; claimId: string; notAttached?: readonly NotAttached[] }) {
  const [claim, setClaim] = useState<ClaimDetail>();
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<unknown>();
  const [gone, setGone] = useState(false);

  const reload = () => props.api.get<ClaimDetail>(`/claims/${props.claimId}`).then(setClaim, setError);

  useEffect(() => {
    void reload();
    let lastStatus: string | undefined;
    return followEvents(
      props.api,
      `/claims/${props.claimId}/live`,
      (event) => {
        if (event.event === 'status') {
          const status = JSON.parse(event.data) as ClaimView;
          setClaim((previous) => (previous ? { ...previous, ...status } : previous));
          // Payouts and documents are not in the status event: fetch them when the status moves.
          if (lastStatus !== undefined && lastStatus !== status.status) void reload();
          lastStatus = status.status;
        } else if (event.event === 'timeline') {
          const entry = JSON.parse(event.data) as TimelineEntry;
          setClaim((previous) => (previous && !previous.timeline.some((e) => e.id === entry.id) ? { ...previous, timeline: [...previous.timeline, entry] } : previous));
        }
      },
      setConnected,
      () => setGone(true),
    );
  }, [props.claimId]);

  useEffect(() => {
    if (claim) document.title = `${claim.reference} · My claims`;
  }, [claim?.reference]);

  // A technical delay ends without a new status or timeline entry, so the page asks again while it shows one.
  useEffect(() => {
    if (!claim?.technicalDelay) return;
    const timer = window.setInterval(() => void reload(), TECHNICAL_DELAY_RECHECK_MS);
    return () => window.clearInterval(timer);
  }, [claim?.technicalDelay]);

  if (!claim && (gone || (error instanceof ApiError && (error.status === 404 || error.status === 403)))) {
    return <PageProblem title="We cannot find this claim" message="There is no claim at this address that you can see. The link may be incomplete, or the claim may belong to another account." back={{ href: '/', label: 'Back to my claims' }} />;
  }
  if (!claim) return error ? <PageProblem title="Your claim cannot be shown just now" message={`${messageOf(error)} Try again in a moment.`} back={{ href: '/', label: 'Back to my claims' }} /> : <Loading what="your claim" />;
  return (
    <>
      <h1>Claim {claim.reference}</h1>
      <div class="card">
        <div class="status-line">
          <span class={`badge status-${claim.status}`} data-testid="claim-status">{claim.statusText}</span>
          <span class="muted">{claim.status === 'draft' ? 'started' : 'sent'} {date(claim.submittedAt)}</span>
        </div>
        <dl class="facts">
          <dt>Claimed</dt><dd>{money(claim.totalClaimed, claim.currency)}</dd>
          {claim.totalApproved !== null ? (<><dt>Approved</dt><dd>{money(claim.totalApproved, claim.currency)}</dd></>) : null}
          {claim.totalPaid !== null ? (<><dt>Paid</dt><dd data-testid="total-paid">{money(claim.totalPaid, claim.currency)}</dd></>) : null}
        </dl>
        {claim.decisionNote ? <p>{claim.decisionNote}</p> : null}
        {/* An estimate, said as one, from claims like this one; the portal sends none once the claim is paid or declined, and a live status that just became final hides the one shown before the page reloads. */}
        {claim.estimatedPayment && !claim.technicalDelay && !DECIDED_STATUSES.has(claim.status) ? (
          <p data-testid="estimated-payment">
            <strong>Estimated payment: by {date(claim.estimatedPayment.date)}.</strong>{' '}
            <span class="muted">An estimate, not a promise: {claim.estimatedPayment.percentile} in 100 similar requests paid in the last {claim.estimatedPayment.windowDays} days that had waited as long as yours ({claim.estimatedPayment.basedOnClaims} requests) were paid by then.</span>
          </p>
        ) : null}
        {claim.technicalDelay ? <p class="notice" role="status" data-testid="technical-delay"><strong>Technical delay: we are on it.</strong> A problem on our side holds up your request for now. You have nothing to do; it goes on by itself once it is fixed.</p> : null}
      </div>
      {claim.status === 'draft' && claim.items.length === 0 ? <DraftCareItems api={props.api} claim={claim} onSaved={() => void reload()} /> : null}
      {claim.status === 'draft' && claim.items.length > 0 ? <SendDraft api={props.api} claim={claim} notAttached={props.notAttached ?? []} onSent={() => void reload()} /> : null}
      {claim.status === 'information-requested' ? <AnswerInformation api={props.api} claim={claim} onAnswered={() => void reload()} /> : null}
      <ClaimItems items={claim.items} currency={claim.currency} />
      <Breakdown lines={claim.breakdown} currency={claim.currency} />
      {claim.payouts.length > 0 ? (
        <section>
          <h2>Payments</h2>
          <ul>
            {claim.payouts.map((payout) => (
              <li key={payout.id}>{money(payout.amount, payout.currency)} to the account ending {payout.accountHint ?? '—'}: {payout.status}{payout.rejectionReason ? ` (${payout.rejectionReason})` : ''}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {claim.documents.length > 0 ? (
        <section>
          <h2>Documents</h2>
          <ul class="documents">{claim.documents.map((document) => <DocumentPreview key={document.id} api={props.api} document={document} />)}</ul>
        </section>
      ) : null}
      <Timeline entries={claim.timeline} live={connected} />
    </>
  );
}

/** The question we asked, and a way to answer it with a message and documents. */
function AnswerInformation(props: { api: Api; claim: ClaimDetail; onAnswered: () => void }) {
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [kind, setKind] = useState(() => ANSWER_DOCUMENT_KINDS.find((k) => k.hint.test(props.claim.informationRequested ?? ''))?.value ?? 'other');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const send = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const documentIds: string[] = [];
      for (const file of files) {
        const upload = new FormData();
        upload.append('type', kind);
        upload.append('file', file, file.name);
        documentIds.push((await props.api.upload<{ id: string }>(`/claims/${props.claim.id}/documents`, upload)).id);
      }
      await props.api.post(`/claims/${props.claim.id}/information`, { message, documentIds });
      props.onAnswered();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card notice" onSubmit={(event) => void send(event)} aria-labelledby="question-title">
      <h2 id="question-title">We need something from you</h2>
      <p>{props.claim.informationRequested}</p>
      {props.claim.informationDue ? <p>Please answer by <strong>{date(props.claim.informationDue)}</strong>.</p> : null}
      <p><label for="answer">Your answer</label><br /><textarea id="answer" rows={4} cols={40} required maxLength={4000} value={message} onInput={(e) => setMessage(e.currentTarget.value)} /></p>
      <p><label for="answer-files">Files to send</label><br /><input id="answer-files" type="file" multiple accept=".pdf,.jpg,.jpeg,.png,.heic,.webp" onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])} /></p>
      <p><label for="answer-kind">The documents are</label><br /><select id="answer-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>{ANSWER_DOCUMENT_KINDS.map((k) => <option key={k.value} value={k.value}>{k.label}</option>)}</select></p>
      <FilePreviews files={files} />
      <ErrorMessage error={error} />
      <button type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send answer'}</button>
    </form>
  );
}

/** Document kinds a client sends in answer; the first whose hint the question matches is preselected. */
const ANSWER_DOCUMENT_KINDS = [
  { value: 'medical-report', label: 'A medical report', hint: /medical report/i },
  { value: 'prescription', label: 'A prescription', hint: /prescription/i },
  { value: 'referral', label: 'A referral', hint: /referral/i },
  { value: 'receipt', label: 'Receipts', hint: /receipt/i },
  { value: 'other', label: 'Something else', hint: /$^/ },
];

/**
 * A draft left before it was sent (the connection dropped, or a file was
 * refused on the way): add the missing files, then send it.
 */
function SendDraft(props: { api: Api; claim: ClaimDetail; notAttached: readonly NotAttached[]; onSent: () => void }) {
  const rules = useUploadRules();
  const [files, setFiles] = useState<File[]>([]);
  const [kinds, setKinds] = useState<ReadonlyMap<File, string>>(new Map());
  const [notAttached, setNotAttached] = useState(props.notAttached);
  const [progress, setProgress] = useState<string>();
  const [error, setError] = useState<string>();
  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (acceptedFiles(files, rules).length < files.length) {
      setError('Some files cannot be sent (they are marked above): pick your files again without them.');
      return;
    }
    try {
      const refused = await uploadFiles(props.api, props.claim.id, files, kinds, new Set(), setProgress);
      setFiles([]);
      if (refused.length > 0) {
        setNotAttached(refused);
        return;
      }
      setNotAttached([]);
      setProgress('Sending your request…');
      await props.api.post(`/claims/${props.claim.id}/submission`);
      props.onSent();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setProgress(undefined);
    }
  };
  const count = notAttached.length;
  return (
    <form class="card" onSubmit={(event) => void send(event)} aria-labelledby="draft-title">
      <h2 id="draft-title">Not sent yet</h2>
      {count > 0 ? (
        <div class="notice" role="alert">
          <p><strong>{count === 1 ? '1 file not attached' : `${count} files not attached`}, add {count === 1 ? 'it' : 'them'} here.</strong></p>
          <ul>{notAttached.map((file) => <li key={file.name}>{file.name}: {file.reason}.</li>)}</ul>
        </div>
      ) : null}
      <p>This request has not been sent. Add any file missing below, then send it; we start checking it once it is sent.</p>
      <label for="draft-files">Files to add</label>
      <input id="draft-files" type="file" multiple accept={acceptOf(rules)} onChange={(event) => setFiles([...((event.target as HTMLInputElement).files ?? [])])} />
      <TaggedFiles files={files} kinds={kinds} rules={rules} onKind={(file, kind) => setKinds(new Map(kinds).set(file, kind))} />
      <button type="submit" disabled={Boolean(progress)}>Send request</button>
      <ErrorMessage error={error} />
      <p role="status">{progress ?? ''}</p>
    </form>
  );
}
