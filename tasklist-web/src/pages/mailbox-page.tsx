import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { dateTime, words } from '@claims/portal-web/common/format';
import { Link } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';

/** Who works the claims mailbox's queue (the portal checks the same roles): call-center agents and their team leads. */
export const MAILBOX_ROLES = ['call-center', 'manager'];

/** Why the intake could not file a mail by itself, in the agent's words. */
const REASONS: Record<string, string> = {
  'unknown-sender': 'Sender is not a known customer',
  'unverified-sender': 'Sender could not be verified (the address may be forged)',
  'foreign-reference': 'Reference is not a claim of the sender',
  'closed-claim': 'Reference is a closed claim',
  'no-attachment': 'Nothing attached',
  'attachments-refused': 'Every attachment was refused',
  'no-active-policy': 'Customer has no active policy',
  unreadable: 'Could not be read after several tries',
  'too-large': 'Too large to take in',
};

interface QueuedMail {
  readonly id: string;
  readonly from: { address: string; name: string };
  readonly subject: string;
  readonly receivedAt: string;
  readonly status: string;
  readonly queueReason: string | null;
  readonly customer: { id: string; fullName: string | null } | null;
  readonly claim: { id: string; reference: string | null } | null;
  readonly attachments: number;
  readonly refusedAttachments: number;
}

interface MailDetail extends QueuedMail {
  /** Only for staff who may read documents (the client's text may describe the care). */
  readonly text?: string;
  readonly dismissReason: string | null;
  readonly resolvedBy: string | null;
  readonly attachmentList: readonly { position: number; fileName?: string; mediaType: string | null; size: number; refusedReason: string | null; filed: boolean }[];
  readonly candidates: readonly { id: string; fullName: string; email: string }[];
}

/** The queue: mail to the claims mailbox the intake could not match, oldest first. */
export function MailboxPage(props: { api: Api }) {
  const [queue, setQueue] = useState<{ total: number; items: QueuedMail[] }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    document.title = 'Claims mailbox · Claims staff';
    props.api.get<{ total: number; items: QueuedMail[] }>('/service/intake?status=queued&limit=100').then(setQueue, (e: unknown) => setError(messageOf(e)));
  }, []);
  return (
    <>
      <h1>Claims mailbox</h1>
      <p class="muted">Mail the intake could not file by itself. Open one to file it for a customer or to set it aside.</p>
      <ErrorMessage error={error} />
      {!queue ? (error ? null : <Loading what="the queue" />) : queue.items.length === 0 ? <p>Nothing waiting.</p> : (
        <table class="data" aria-label="Mail waiting for an agent">
          <thead><tr><th scope="col">Subject</th><th scope="col">From</th><th scope="col">Received</th><th scope="col">Why it waits</th><th scope="col" class="num">Attachments</th></tr></thead>
          <tbody>{queue.items.map((mail) => (
            <tr key={mail.id}>
              <td data-label="Subject"><Link href={`/staff/mailbox/${mail.id}`}>{mail.subject || '(no subject)'}</Link></td>
              <td data-label="From">{mail.from.name ? `${mail.from.name} ` : ''}<span class="muted">{mail.from.address}</span></td>
              <td data-label="Received">{dateTime(mail.receivedAt)}</td>
              <td data-label="Why it waits">{REASONS[mail.queueReason ?? ''] ?? words(mail.queueReason ?? '')}</td>
              <td data-label="Attachments" class="num">{mail.attachments}{mail.refusedAttachments > 0 ? ` (${mail.refusedAttachments} refused)` : ''}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </>
  );
}

/** One mail: what it says and carries (never the attachments' content), filed for a customer or dismissed. */
export function MailPage(props: { api: Api; emailId: string }) {
  const [mail, setMail] = useState<MailDetail>();
  const [error, setError] = useState<string>();
  const [customerId, setCustomerId] = useState<string>('');
  const [claims, setClaims] = useState<{ id: string; reference: string; status: string }[]>([]);
  const [found, setFound] = useState<{ id: string; name: string; email: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = 'Mail · Claims staff';
    props.api.get<MailDetail>(`/service/intake/${encodeURIComponent(props.emailId)}`).then((loaded) => {
      setMail(loaded);
      setCustomerId(loaded.customer?.id ?? loaded.candidates[0]?.id ?? '');
    }, (e: unknown) => setError(messageOf(e)));
  }, [props.emailId]);

  useEffect(() => {
    setClaims([]);
    if (!customerId) return;
    props.api.get<{ items: { id: string; reference: string; status: string }[] }>(`/claims?customerId=${encodeURIComponent(customerId)}&limit=50`).then((answer) => setClaims(answer.items.filter((c) => !['paid', 'closed-nothing-payable', 'rejected', 'abandoned'].includes(c.status))), () => setClaims([]));
  }, [customerId]);

  const searchCustomers = async (event: Event) => {
    event.preventDefault();
    const q = ((new FormData(event.currentTarget as HTMLFormElement).get('q') as string | null) ?? '').trim();
    if (!q) return;
    try {
      setFound((await props.api.get<{ items: { id: string; name: string; email: string }[] }>(`/staff/search/customers?q=${encodeURIComponent(q)}&limit=5`)).items);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const act = async (path: string, body: unknown, message: string) => {
    setBusy(true);
    try {
      await props.api.post(`/service/intake/${encodeURIComponent(props.emailId)}/${path}`, body);
      setDone(message);
      setError(undefined);
      heading.current?.focus();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const file = (event: Event) => {
    event.preventDefault();
    const claimId = ((new FormData(event.currentTarget as HTMLFormElement).get('claimId') as string | null) ?? '');
    void act('assignment', { customerId, ...(claimId ? { claimId } : {}) }, claimId ? 'Filed: the attachments were added to the claim, and the client told.' : 'Filed: a draft claim was opened for the client, who was told by email.');
  };

  const dismiss = (event: Event) => {
    event.preventDefault();
    const reason = ((new FormData(event.currentTarget as HTMLFormElement).get('reason') as string | null) ?? '').trim();
    void act('dismissal', { reason }, 'Set aside.');
  };

  if (error && !mail) return <ErrorMessage error={error} />;
  if (!mail) return <Loading what="the mail" />;
  const choices = [...mail.candidates.map((c) => ({ id: c.id, label: `${c.fullName} (${c.email})` })), ...found.filter((f) => !mail.candidates.some((c) => c.id === f.id)).map((f) => ({ id: f.id, label: `${f.name} (${f.email})` }))];
  const fileable = mail.attachmentList.some((a) => !a.refusedReason && !a.filed);
  return (
    <>
      <p><Link href="/staff/mailbox">Back to the claims mailbox</Link></p>
      <h1 tabIndex={-1} ref={heading}>{mail.subject || '(no subject)'}</h1>
      {done ? <p class="card notice" role="status">{done} <Link href="/staff/mailbox">Next mail</Link></p> : null}
      <ErrorMessage error={error} />
      <dl class="figures">
        <div><dt>From</dt><dd>{mail.from.name} <span class="muted">{mail.from.address}</span></dd></div>
        <div><dt>Received</dt><dd>{dateTime(mail.receivedAt)}</dd></div>
        <div><dt>Why it waits</dt><dd>{mail.status === 'queued' ? (REASONS[mail.queueReason ?? ''] ?? words(mail.queueReason ?? '')) : words(mail.status)}</dd></div>
      </dl>
      <section class="card" aria-labelledby="mail-text">
        <h2 id="mail-text">Message</h2>
        {mail.text === undefined ? <p class="muted">Shown to staff who may read medical documents.</p> : <pre class="mail-text" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{mail.text || '(no text)'}</pre>}
      </section>
      <section class="card" aria-labelledby="mail-attachments">
        <h2 id="mail-attachments">Attachments</h2>
        {mail.attachmentList.length === 0 ? <p>None.</p> : (
          <ul>{mail.attachmentList.map((a) => <li key={a.position}>{a.fileName ?? `Attachment ${a.position}`} <span class="muted">{a.mediaType ?? 'unknown type'}, {Math.ceil(a.size / 1024)} KiB</span>{a.refusedReason ? <strong> Refused: {a.refusedReason}</strong> : a.filed ? ' (filed)' : ''}</li>)}</ul>
        )}
      </section>
      {mail.status !== 'queued' || done ? null : (
        <>
          <section class="card" aria-labelledby="file-title">
            <h2 id="file-title">File it for a customer</h2>
            <form role="search" aria-label="Customer search" class="search-row" onSubmit={(event) => void searchCustomers(event)}>
              <label for="mail-customer-q">Find a customer</label>
              <input id="mail-customer-q" name="q" type="search" autocomplete="off" />
              <button type="submit" class="secondary">Find</button>
            </form>
            <form onSubmit={file} aria-label="File the mail">
              <fieldset>
                <legend>Customer</legend>
                {choices.length === 0 ? <p>No customer matches the sender; find one above.</p> : choices.map((choice) => (
                  <label key={choice.id} class="choice"><input type="radio" name="customerId" value={choice.id} checked={customerId === choice.id} onChange={() => setCustomerId(choice.id)} /> {choice.label}</label>
                ))}
              </fieldset>
              <label for="mail-claim">Add to</label>
              <select id="mail-claim" name="claimId">
                <option value="">a new draft claim</option>
                {claims.map((c) => <option key={c.id} value={c.id}>{c.reference} ({words(c.status)})</option>)}
              </select>
              <button type="submit" disabled={busy || !customerId || !fileable}>File it</button>
              {!fileable ? <p class="muted">No accepted attachment to file: set the mail aside instead.</p> : null}
            </form>
          </section>
          <section class="card" aria-labelledby="dismiss-title">
            <h2 id="dismiss-title">Set it aside</h2>
            <form onSubmit={dismiss}>
              <label for="dismiss-reason">Reason</label>
              <input id="dismiss-reason" name="reason" required minLength={3} maxLength={500} />
              <button type="submit" class="secondary" disabled={busy}>Set aside</button>
            </form>
          </section>
        </>
      )}
    </>
  );
}

