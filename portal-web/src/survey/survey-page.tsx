import { useEffect, useRef, useState } from 'preact/hooks';

interface SurveyState {
  readonly claimReference: string;
  readonly answered: boolean;
  readonly expiresAt: string;
}

/** The token from the link's fragment (`#token=…`): a fragment never reaches a server or its logs. */
function tokenOf(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

/** One call to the public survey API (no sign-in: the signed link is the credential); its problem detail on refusal. */
async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`/api/surveys/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' }, body: JSON.stringify(body) });
  const answer = (await response.json().catch(() => ({}))) as { detail?: string };
  if (!response.ok) throw new Error(answer.detail ?? `The survey could not be reached (${response.status}).`);
  return answer as T;
}

const SCORES = [
  { value: 1, label: '1, very unsatisfied' },
  { value: 2, label: '2' },
  { value: 3, label: '3' },
  { value: 4, label: '4' },
  { value: 5, label: '5, very satisfied' },
];

/**
 * The satisfaction survey a client reaches from the email after a claim
 * closed, without signing in: a score from 1 to 5 and a comment, once.
 */
export function SurveyPage() {
  const token = tokenOf(location.hash);
  const [survey, setSurvey] = useState<SurveyState>();
  const [error, setError] = useState<string>();
  const [thanks, setThanks] = useState(false);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = 'How did we do? · Claims';
    if (!token) {
      setError('This page needs the link from your email. Open the survey from that email.');
      return;
    }
    post<SurveyState>('lookup', { token }).then(setSurvey, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const send = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const score = Number(form.get('score'));
    if (!score) {
      setError('Choose a score from 1 to 5.');
      return;
    }
    setBusy(true);
    try {
      await post('answer', { token, score, comment: ((form.get('comment') as string | null) ?? '').trim() || undefined });
      setThanks(true);
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      heading.current?.focus();
    }
  };

  return (
    <main class="page survey-page">
      <h1 tabIndex={-1} ref={heading}>{thanks ? 'Thank you' : 'How did we do?'}</h1>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {thanks ? <p role="status">Your answer is recorded. It helps us handle the next claims better.</p> : !survey ? (error ? null : <p>Loading…</p>) : survey.answered ? (
        <p>This survey about claim {survey.claimReference} was already answered. Thank you.</p>
      ) : (
        <form class="card" onSubmit={(event) => void send(event)} aria-describedby="survey-intro">
          <p id="survey-intro">About your claim {survey.claimReference}: how satisfied are you with how we handled it?</p>
          <fieldset>
            <legend>Your score</legend>
            {SCORES.map((score) => (
              <label key={score.value} class="choice"><input type="radio" name="score" value={score.value} required /> {score.label}</label>
            ))}
          </fieldset>
          <label for="survey-comment">Comment (optional)</label>
          <textarea id="survey-comment" name="comment" maxLength={2000} rows={4} />
          <button type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send my answer'}</button>
        </form>
      )}
    </main>
  );
}
