import { dateTime } from '@claims/portal-web/common/format';
import { type TimelineEntry } from '@claims/portal-web/common/types';
import { staffStatus } from './staff-wording';

/** What staff read for an entry written to the client (its sentence says "you" and "your"). */
function staffSentence(entry: TimelineEntry): string {
  if (entry.kind === 'status-changed' && entry.status) return staffStatus(entry.status);
  if (entry.kind === 'information-provided') return `${entry.actor ?? 'The client'} answered our request for information (see the thread beside the form).`;
  if (entry.kind === 'note' && entry.message.startsWith('We have calculated what your policy pays')) return 'Benefit calculated for each item.';
  return entry.message;
}

/**
 * The claim's history for staff: a status change in staff words (the
 * client's sentence, "A claims adjuster is reviewing your request", speaks
 * to the client), everything else, staff notes included, as written.
 */
export function StaffTimeline(props: { entries: readonly TimelineEntry[] }) {
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">History</h2>
      <ol class="timeline" data-testid="staff-timeline">
        {props.entries.map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.at}>{dateTime(entry.at)}</time>
            <p>{staffSentence(entry)}{entry.kind === 'status-changed' && entry.actor && !entry.actor.startsWith('service-') ? <span class="muted"> · {entry.actor}</span> : null}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
