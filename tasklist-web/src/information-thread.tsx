import { dateTime } from '@claims/portal-web/common/format';
import { type InformationAnswer } from './task-types';

/**
 * Our requests for information and the client's answers as one thread,
 * oldest first, with the question still open (if any) last: read before
 * deciding again. The client reads the same thread on the claim's page.
 */
export function InformationThread(props: { answers: readonly InformationAnswer[] | undefined; openQuestion: string | null; waiting: boolean }) {
  const answers = props.answers ?? [];
  const pending = props.waiting && props.openQuestion ? props.openQuestion : null;
  if (answers.length === 0 && !pending) return null;
  return (
    <section class="card" aria-labelledby="thread-title" data-testid="information-thread">
      <h2 id="thread-title">Requests for information</h2>
      <ol class="thread">
        {answers.map((a) => (
          <li key={a.id}>
            <p class="thread-question"><strong>We asked:</strong> {a.question ?? 'for information'}</p>
            <p class="thread-answer"><strong>{a.answeredBy} answered</strong> <span class="muted">({dateTime(a.answeredAt)}{a.documentIds.length ? `, ${a.documentIds.length} document${a.documentIds.length === 1 ? '' : 's'} attached` : ''})</span>: {a.answer}</p>
          </li>
        ))}
        {pending ? <li><p class="thread-question"><strong>We asked:</strong> {pending}</p><p class="muted">No answer yet.</p></li> : null}
      </ol>
    </section>
  );
}
