import { dateTime } from '@claims/portal-web/common/format';
import { type TimelineEntry } from '@claims/portal-web/common/types';
import { staffStatus } from './staff-wording';

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
            <p>{entry.kind === 'status-changed' && entry.status ? <>{staffStatus(entry.status)}{entry.actor && !entry.actor.startsWith('service-') ? <span class="muted"> · {entry.actor}</span> : null}</> : entry.message}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}
