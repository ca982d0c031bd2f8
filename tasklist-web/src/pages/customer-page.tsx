import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api, messageOf } from '@claims/portal-web/common/api';
import { date, dateTime, money, words } from '@claims/portal-web/common/format';
import { Link } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { type CustomerOverview, type FollowUp, type TimelineEntry } from './customer-types';

/** Who opens the customer page (the portal checks the same roles): the call center, managers and adjusters. */
export const CUSTOMER_SERVICE_ROLES = ['call-center', 'manager', 'adjuster'];
/** Who files a claim for a client and closes follow-ups: the call center and its team leads. */
export const CUSTOMER_AGENT_ROLES = ['call-center', 'manager'];

const CHANNELS = ['call', 'email', 'chat', 'letter', 'sms'];

/** A field's problems as the portal names them, or the message. */
function problemText(e: unknown): string {
  return e instanceof ApiError && e.errors.length > 0 ? e.errors.map((f) => `${f.name} ${f.reason}`).join('; ') : messageOf(e);
}

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The customer on one page for customer service, opened from the staff
 * search: who they are, their policies and what is left of the cover, their
 * claims, follow-ups and open tasks, documents by kind, and the timeline of
 * everything; with the two things an agent does during a call, quickly:
 * log it (with a follow-up if one was promised) and file a claim for them.
 */
export function CustomerPage(props: { api: Api; customerId: string; username: string; agent: boolean }) {
  const [overview, setOverview] = useState<CustomerOverview>();
  const [error, setError] = useState<string>();
  const [older, setOlder] = useState<{ items: TimelineEntry[]; next: string | null }>();
  const path = `/customers/${encodeURIComponent(props.customerId)}`;
  const reload = () => props.api.get<CustomerOverview>(`${path}/overview`).then((o) => { setOverview(o); setOlder(undefined); }, (e: unknown) => setError(messageOf(e)));
  useEffect(() => void reload(), [path]);
  if (!overview) return error ? <ErrorMessage error={error} /> : <Loading what="the customer" />;
  const { customer } = overview;
  const timeline = [...overview.timeline.items, ...(older?.items ?? [])];
  const next = older ? older.next : overview.timeline.next;
  const more = async () => {
    const page = await props.api.get<{ items: TimelineEntry[]; next: string | null }>(`${path}/timeline?limit=20&before=${encodeURIComponent(next!)}`);
    setOlder({ items: [...(older?.items ?? []), ...page.items], next: page.next });
  };
  return (
    <article aria-labelledby="customer-title" class="customer-360">
      <p><Link href="/staff/search">← Search</Link></p>
      <h1 id="customer-title">{customer.fullName} <span class="muted">· {customer.number}</span></h1>
      <dl class="facts" aria-label="Contact details">
        <div><dt>Email</dt><dd><a href={`mailto:${customer.email}`}>{customer.email}</a></dd></div>
        <div><dt>Phone</dt><dd>{customer.phone ? <a href={`tel:${customer.phone}`}>{customer.phone}</a> : '—'}</dd></div>
        <div><dt>Customer since</dt><dd>{date(customer.customerSince)}</dd></div>
      </dl>

      <LogCallForm api={props.api} path={path} overview={overview} username={props.username} onLogged={() => void reload()} />
      {props.agent ? <PhoneClaimForm api={props.api} path={path} overview={overview} onFiled={() => void reload()} /> : null}

      <section class="card" aria-labelledby="policies-title">
        <h2 id="policies-title">Policies</h2>
        {overview.policies.length === 0 ? <p>No policy.</p> : (
          <table class="data" aria-label="Policies">
            <thead><tr><th scope="col">Policy</th><th scope="col">Product</th><th scope="col">State</th><th scope="col">Term</th><th scope="col" class="num">Cover left this year</th><th scope="col" class="num">Deductible left</th></tr></thead>
            <tbody>
              {overview.policies.map((p) => (
                <tr key={p.id}>
                  <td data-label="Policy"><Link href={`/staff/policies/${p.id}`}>{p.number}</Link></td>
                  <td data-label="Product">{p.product}</td>
                  <td data-label="State">{words(p.status)}</td>
                  <td data-label="Term">{date(p.startsOn)} to {date(p.endsOn)}</td>
                  <td data-label="Cover left this year" class="num">{money(p.coverage.annualRemaining, p.currency)}</td>
                  <td data-label="Deductible left" class="num">{money(p.coverage.deductibleRemaining, p.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="claims-title">
        <h2 id="claims-title">Claims ({overview.claims.length})</h2>
        {overview.claims.length === 0 ? <p>No claim.</p> : (
          <table class="data" aria-label="Claims of the customer">
            <thead><tr><th scope="col">Claim</th><th scope="col">Status</th><th scope="col" class="num">Claimed</th><th scope="col">Sent</th><th scope="col">Channel</th></tr></thead>
            <tbody>
              {overview.claims.map((c) => (
                <tr key={c.id}>
                  <td data-label="Claim"><Link href={`/staff/?claimReference=${encodeURIComponent(c.reference)}`}>{c.reference}</Link></td>
                  <td data-label="Status">{c.statusText}</td>
                  <td data-label="Claimed" class="num">{money(c.totalClaimed, c.currency)}</td>
                  <td data-label="Sent">{date(c.submittedAt)}</td>
                  <td data-label="Channel">{c.intakeChannel === 'phone' ? `phone (${c.filedByAgent ?? 'agent'})` : c.intakeChannel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <FollowUps api={props.api} followUps={overview.followUps} closes={props.agent} onClosed={() => void reload()} />

      <section class="card" aria-labelledby="tasks-title">
        <h2 id="tasks-title">Open tasks</h2>
        {overview.openTasksUnavailable ? <p role="status">The task list cannot be reached right now.</p> : overview.openTasks.length === 0 ? <p>No open task.</p> : (
          <ul>{overview.openTasks.map((t) => <li key={t.userTaskKey}><Link href={`/staff/tasks/${t.userTaskKey}`}>{t.name}</Link> · {t.assignee ?? t.candidateGroups.join(', ')}{t.dueDate ? ` · due ${dateTime(t.dueDate)}` : ''}</li>)}</ul>
        )}
      </section>

      <section class="card" aria-labelledby="documents-title">
        <h2 id="documents-title">Documents</h2>
        {overview.documents.length === 0 ? <p>No document.</p> : (
          <ul>{overview.documents.map((d) => <li key={d.id}>{words(d.kind)}{d.name ? ` (${d.name})` : ''} · claim {d.claimReference} · {date(d.receivedAt)}</li>)}</ul>
        )}
      </section>

      <section class="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <ol class="timeline" aria-label="Timeline, newest first">
          {timeline.map((entry) => (
            <li key={`${entry.kind}-${entry.id}`} data-kind={entry.kind}>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time> <strong>{entry.title}</strong>{entry.detail ? <span class="muted"> · {entry.detail}</span> : null}
            </li>
          ))}
        </ol>
        {next ? <button type="button" class="secondary" onClick={() => void more().catch((e: unknown) => setError(messageOf(e)))}>Show older</button> : null}
      </section>
    </article>
  );
}

/** The short form an agent fills in during a call; a retried send with the same key logs it once. */
function LogCallForm(props: { api: Api; path: string; overview: CustomerOverview; username: string; onLogged: () => void }) {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const about = text(form, 'about');
    const due = text(form, 'dueAt');
    const assignee = text(form, 'assignee');
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`${props.path}/interactions`, {
        channel: text(form, 'channel'),
        direction: text(form, 'direction'),
        summary: text(form, 'summary'),
        ...(text(form, 'outcome') ? { outcome: text(form, 'outcome') } : {}),
        ...(text(form, 'notes') ? { notes: text(form, 'notes') } : {}),
        ...(about.startsWith('claim:') ? { claimId: about.slice(6) } : about.startsWith('policy:') ? { policyId: about.slice(7) } : {}),
        ...(due ? { followUp: { dueAt: new Date(due).toISOString(), ...(assignee === 'team' ? { assigneeTeam: 'call-center' } : { assigneeAgent: props.username }) } } : {}),
      }, { 'Idempotency-Key': key });
      formElement.reset();
      setKey(crypto.randomUUID());
      setDone(due ? 'Call logged, follow-up scheduled.' : 'Call logged.');
      props.onLogged();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" aria-labelledby="log-title" onSubmit={(e) => void submit(e)}>
      <h2 id="log-title">Log a call</h2>
      <ErrorMessage error={error} />
      {done ? <p role="status">{done}</p> : null}
      <div class="row">
        <label>Channel<select name="channel" defaultValue="call">{CHANNELS.map((c) => <option key={c} value={c}>{words(c)}</option>)}</select></label>
        <label>Direction<select name="direction" defaultValue="in"><option value="in">From the customer</option><option value="out">To the customer</option></select></label>
      </div>
      <label>Summary<input name="summary" required maxLength={500} autoComplete="off" /></label>
      <label>Outcome<input name="outcome" maxLength={200} autoComplete="off" /></label>
      <label>Notes (staff only, never shown to the customer)<textarea name="notes" maxLength={4000} rows={2} /></label>
      <label>About
        <select name="about" defaultValue="">
          <option value="">nothing in particular</option>
          {props.overview.claims.map((c) => <option key={c.id} value={`claim:${c.id}`}>Claim {c.reference}</option>)}
          {props.overview.policies.map((p) => <option key={p.id} value={`policy:${p.id}`}>Policy {p.number}</option>)}
        </select>
      </label>
      <fieldset>
        <legend>Follow-up (optional)</legend>
        <label>Due<input name="dueAt" type="datetime-local" /></label>
        <label>Kept by<select name="assignee" defaultValue="me"><option value="me">me ({props.username})</option><option value="team">the call-center team</option></select></label>
      </fieldset>
      <button type="submit" disabled={busy}>Log the call</button>
    </form>
  );
}

/** A claim filed for the client during the call: sent at once, the client told by email. */
function PhoneClaimForm(props: { api: Api; path: string; overview: CustomerOverview; onFiled: () => void }) {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [error, setError] = useState<string>();
  const [filed, setFiled] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [policyId, setPolicyId] = useState(props.overview.policies.find((p) => p.status === 'active')?.id ?? props.overview.policies[0]?.id ?? '');
  const policy = props.overview.policies.find((p) => p.id === policyId);
  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    setBusy(true);
    setError(undefined);
    try {
      const claim = await props.api.post<{ reference: string }>(`${props.path}/claims`, {
        policyId,
        ...(text(form, 'callSummary') ? { callSummary: text(form, 'callSummary') } : {}),
        items: [{ serviceDate: text(form, 'serviceDate'), providerName: text(form, 'providerName'), careCode: text(form, 'careCode'), amount: Number(text(form, 'amount')) }],
      }, { 'Idempotency-Key': key });
      formElement.reset();
      setKey(crypto.randomUUID());
      setFiled(`Claim ${claim.reference} filed and sent; the client is told by email.`);
      props.onFiled();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  if (props.overview.policies.length === 0) return null;
  return (
    <form class="card" aria-labelledby="phone-claim-title" onSubmit={(e) => void submit(e)}>
      <h2 id="phone-claim-title">File a claim for the client</h2>
      <ErrorMessage error={error} />
      {filed ? <p role="status">{filed}</p> : null}
      <label>Policy<select name="policyId" value={policyId} onChange={(e) => setPolicyId((e.currentTarget).value)}>{props.overview.policies.map((p) => <option key={p.id} value={p.id}>{p.number} ({words(p.status)})</option>)}</select></label>
      <div class="row">
        <label>Date of care<input name="serviceDate" type="date" required max={new Date().toISOString().slice(0, 10)} /></label>
        <label>Kind of care<select name="careCode" required>{(policy?.coverage.benefits ?? []).map((b) => <option key={b.careCode} value={b.careCode}>{b.label}</option>)}</select></label>
      </div>
      <div class="row">
        <label>Provider<input name="providerName" required maxLength={200} autoComplete="off" /></label>
        <label>Amount paid ({policy?.currency ?? 'EUR'})<input name="amount" type="number" inputMode="decimal" min="0.01" step="0.01" required /></label>
      </div>
      <label>What the call was about<input name="callSummary" maxLength={500} autoComplete="off" /></label>
      <button type="submit" disabled={busy}>File the claim</button>
    </form>
  );
}

function FollowUps(props: { api: Api; followUps: readonly FollowUp[]; closes: boolean; onClosed: () => void }) {
  const [error, setError] = useState<string>();
  const close = async (event: Event, id: string) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setError(undefined);
    try {
      await props.api.post(`/follow-ups/${encodeURIComponent(id)}/closure`, { outcome: text(form, 'outcome') });
      props.onClosed();
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <section class="card" aria-labelledby="follow-ups-title">
      <h2 id="follow-ups-title">Follow-ups</h2>
      <ErrorMessage error={error} />
      {props.followUps.length === 0 ? <p>No follow-up.</p> : (
        <ul class="follow-ups">
          {props.followUps.map((f) => (
            <li key={f.id}>
              <strong>{f.status === 'escalated' ? 'Overdue, with the team leads' : words(f.status)}</strong> · due {dateTime(f.dueAt)} · {f.assigneeAgent ?? `${f.assigneeTeam} team`}
              {f.outcome ? <span class="muted"> · {f.outcome}{f.closedBy ? ` (${f.closedBy})` : ''}</span> : null}
              {props.closes && (f.status === 'open' || f.status === 'escalated') ? (
                <form class="inline" onSubmit={(e) => void close(e, f.id)}>
                  <label>Outcome of the follow-up due {dateTime(f.dueAt)}<input name="outcome" required maxLength={500} autoComplete="off" /></label>
                  <button type="submit" class="secondary">Close</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
