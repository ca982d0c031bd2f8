import { dateTime } from '@claims/portal-web/common/format';
import { type InformationAnswer } from './task-types';

/** The client's answers to our requests for information, each under the question it answers: read before deciding again. */
export function InformationAnswers(props: { answers: readonly InformationAnswer[] | undefined }) {
  if (!props.answers?.length) return null;
  return (
    <div class="card" data-testid="information-answers">
      <h2>The client's answers</h2>
      {props.answers.map((a) => (
        <figure key={a.id} class="information-answer">
          <figcaption>We asked{a.question ? <>: <q>{a.question}</q></> : ' for information'}</figcaption>
          <blockquote>{a.answer}</blockquote>
          <p class="muted">{a.answeredBy}, {dateTime(a.answeredAt)}{a.documentIds.length ? ` · ${a.documentIds.length} document${a.documentIds.length === 1 ? '' : 's'} attached` : ''}</p>
        </figure>
      ))}
    </div>
  );
}
