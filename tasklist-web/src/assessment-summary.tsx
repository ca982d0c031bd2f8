import { dateTime, words } from '@claims/portal-web/common/format';
import { type AssessmentSummary } from './task-types';

/** For the approver: who assessed the claim, what they decided and why, before deciding on the payment. */
export function AssessmentSummaryCard(props: { assessment: AssessmentSummary | null | undefined }) {
  const a = props.assessment;
  if (!a) return null;
  return (
    <section class="assessment-summary" aria-labelledby="assessment-title" data-testid="assessment-summary">
      <h3 id="assessment-title">Assessed by {a.assessedBy ?? 'someone unknown'}{a.assessedAt ? <span class="muted">, {dateTime(a.assessedAt)}</span> : null}</h3>
      <dl class="facts">
        {a.decision ? <><dt>Decision</dt><dd>{words(a.decision)}</dd></> : null}
        <dt>Why (note for the file)</dt><dd>{a.note ?? <span class="muted">no note written</span>}</dd>
        {a.clientReason ? <><dt>The client reads</dt><dd>{a.clientReason}</dd></> : null}
      </dl>
    </section>
  );
}
