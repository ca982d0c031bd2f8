import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../common/api';
import { date, dateTime } from '../common/format';
import { Link } from '../common/router';
import { ErrorMessage, Loading, PageProblem } from '../common/ui';
import { cents } from '../quotes/quote-money';
import { MOVING, OPEN_TO_DOCUMENTS, STATUS_WORDS, type ApplicationView } from './application-types';

const LOOK_AGAIN_MS = 2_000;

/** Follow one of my applications: where it is, the underwriter's question, the offer to accept, the policy once issued. */
export function ApplicationPage(props: { api: Api; applicationId: string; notSent?: string }) {
  const [application, setApplication] = useState<ApplicationView>();
  const [problem, setProblem] = useState<string>();
  const path = `/applications/${encodeURIComponent(props.applicationId)}`;
  const load = () => props.api.get<ApplicationView>(path).then(setApplication, (e: unknown) => setProblem(e instanceof ApiError && e.status === 404 ? 'We cannot find this application. It may belong to another account.' : messageOf(e)));

  useEffect(() => {
    document.title = 'Your application · My claims';
    void load();
  }, [props.applicationId]);
  // While the insurer's side moves, look again now and then (no answer from the client is needed).
  useEffect(() => {
    if (!application || !MOVING.includes(application.status)) return undefined;
    const timer = setTimeout(() => void load(), LOOK_AGAIN_MS);
    return () => clearTimeout(timer);
  }, [application]);

  if (problem) return <PageProblem title="Application not found" message={problem} back={{ href: '/applications', label: 'My applications' }} />;
  if (!application) return <Loading what="your application" />;
  const a = application;
  return (
    <>
      <h1>Application {a.reference}</h1>
      <section class="card" aria-label="Where it is">
        <p class="status-line"><strong data-testid="application-status">{STATUS_WORDS[a.status]}</strong><span class="muted">sent {date(a.createdAt)}</span></p>
        <dl class="facts">
          <dt>Product</dt><dd>{a.product.name}</dd>
          <dt>Premium</dt><dd>{cents(a.periodPremiumCents, a.currency)} per instalment ({cents(a.yearlyPremiumCents, a.currency)} a year)</dd>
          <dt>Cover from</dt><dd>{date(a.startsOn)}</dd>
          <dt>Insured</dt><dd>{a.people.map((p) => p.fullName).join(', ')}</dd>
        </dl>
        {a.declineReasons.length > 0 ? (
          <div role="status"><p>We cannot offer cover:</p><ul>{a.declineReasons.map((r) => <li key={r}>{r}</li>)}</ul></div>
        ) : null}
        {a.status === 'expired' ? <p role="status">The offer held until {dateTime(a.offer?.validUntil)}. <Link href="/quotes/new">Get a new quote</Link> to apply again.</p> : null}
        {a.policy ? <p role="status">Your policy <strong>{a.policy.number}</strong> is in force. Its schedule is in <Link href="/documents">my documents</Link>.</p> : null}
      </section>
      {a.status === 'information-requested' && a.informationRequest ? <InformationAnswer api={props.api} application={a} onDone={setApplication} /> : null}
      {a.status === 'offered' && a.offer ? <OfferAcceptance api={props.api} application={a} onDone={setApplication} /> : null}
      <ApplicationDocuments api={props.api} application={a} notSent={props.notSent} onSent={() => void load()} />
    </>
  );
}

function InformationAnswer(props: { api: Api; application: ApplicationView; onDone: (a: ApplicationView) => void }) {
  const request = props.application.informationRequest!;
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (request.answered) return <p class="card notice" role="status">Thank you: the underwriter has your answer.</p>;
  const send = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      props.onDone(await props.api.post<ApplicationView>(`/applications/${props.application.id}/information`, { answer }));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <form class="card notice" onSubmit={(event) => void send(event)} aria-labelledby="question-title">
      <h2 id="question-title">{request.kind === 'medical-exam' ? 'Our underwriter asks for a medical exam' : 'Our underwriter asks'}</h2>
      <p>{request.question}</p>
      {request.due ? <p>Please answer by {dateTime(request.due)}; without an answer by then we cannot offer cover.</p> : null}
      <label for="answer">Your answer</label>
      <textarea id="answer" required minLength={2} maxLength={4000} value={answer} onInput={(e) => setAnswer(e.currentTarget.value)} />
      <ErrorMessage error={error} />
      <div class="actions"><button type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send my answer'}</button></div>
    </form>
  );
}

function OfferAcceptance(props: { api: Api; application: ApplicationView; onDone: (a: ApplicationView) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const a = props.application;
  const accept = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onDone(await props.api.post<ApplicationView>(`/applications/${a.id}/acceptance`));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <section class="card notice" aria-labelledby="offer-title">
      <h2 id="offer-title">Your offer</h2>
      <p>{a.product.name} for {cents(a.yearlyPremiumCents, a.currency)} a year, from {date(a.startsOn)}. The offer holds until {dateTime(a.offer!.validUntil)}.</p>
      <ErrorMessage error={error} />
      <div class="actions"><button type="button" disabled={busy} onClick={() => void accept()}>{busy ? 'Accepting…' : 'Accept the offer'}</button></div>
    </section>
  );
}

/** The documents sent with the application, and one more while it is being decided. */
function ApplicationDocuments(props: { api: Api; application: ApplicationView; notSent?: string; onSent: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(props.notSent ? `These documents were not sent: ${props.notSent}. Please send them again.` : undefined);
  const open = OPEN_TO_DOCUMENTS.includes(props.application.status);
  if (!open && props.application.documents.length === 0) return null;
  const send = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(undefined);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      await props.api.upload(`/applications/${props.application.id}/documents`, form);
      props.onSent();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="application-documents-title">
      <h2 id="application-documents-title">Documents you sent</h2>
      {props.application.documents.length ? <ul>{props.application.documents.map((d) => <li key={d.id}>{d.name} <span class="muted">{date(d.createdAt)}</span></li>)}</ul> : <p>None yet.</p>}
      {open ? (
        <div class="field">
          <label for="more-documents">Send a document (a report, an exam's results)</label>
          <input id="more-documents" type="file" accept="application/pdf,image/*" disabled={busy} onChange={(e) => void send(e.currentTarget.files?.[0])} />
        </div>
      ) : null}
      <ErrorMessage error={error} />
    </section>
  );
}
