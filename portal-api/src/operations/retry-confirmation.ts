import { type IncidentWire, type JobWire } from './engine-wire';

/** What became of a job after its incident was resolved. */
export type RetryOutcome =
  | { readonly outcome: 'completed'; readonly job: JobSnapshot }
  | { readonly outcome: 'failed-again'; readonly job: JobSnapshot; readonly error: string; readonly incidentKey: string | null }
  | { readonly outcome: 'error-thrown'; readonly job: JobSnapshot }
  | { readonly outcome: 'resolved'; readonly job: null }
  | { readonly outcome: 'still-waiting'; readonly job: JobSnapshot | null };

export interface JobSnapshot {
  readonly jobKey: string;
  readonly state: string;
  readonly retries: number;
  readonly errorMessage: string | null;
}

export interface RetryProbe {
  /** The job now (job search). */
  job(): Promise<JobWire | undefined>;
  /** The instance's open incidents now. */
  openIncidents(): Promise<readonly IncidentWire[]>;
}

const POLL_MS = 150;

/**
 * Waits until the retried job has really run again: completed, failed
 * again (a new incident, or a failure with retries left), or thrown a BPMN
 * error the process handles; or until the wait is over. `before` is the
 * job's state right after its retries were raised, so a failure recorded
 * earlier is not taken for a new one.
 */
export async function confirmRetry(probe: RetryProbe, resolvedIncidentKey: string, before: string, waitMs: number): Promise<RetryOutcome> {
  const deadline = Date.now() + waitMs;
  let last: JobWire | undefined;
  for (;;) {
    last = await probe.job();
    const snapshot = last ? snapshotOf(last) : null;
    if (last && snapshot) {
      if (last.state === 'COMPLETED') return { outcome: 'completed', job: snapshot };
      const again = (await probe.openIncidents()).find((incident) => String(incident.incidentKey) !== resolvedIncidentKey && String(incident.jobKey ?? '') === snapshot.jobKey);
      // The job was read before the incidents: if it failed again in between, the job read still has the
      // old error, and the new incident the new one. Read the job again, so both tell of the same failure.
      if (again) {
        const failedJob = (await probe.job()) ?? last;
        return { outcome: 'failed-again', job: snapshotOf(failedJob), error: again.errorMessage ?? failedJob.errorMessage ?? 'the job failed', incidentKey: String(again.incidentKey) };
      }
      if (last.state !== before && last.state === 'FAILED') return { outcome: 'failed-again', job: snapshot, error: last.errorMessage ?? 'the job failed', incidentKey: null };
      if (last.state !== before && last.state === 'ERROR_THROWN') return { outcome: 'error-thrown', job: snapshot };
    }
    if (Date.now() >= deadline) return { outcome: 'still-waiting', job: snapshot };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export function snapshotOf(job: JobWire): JobSnapshot {
  return { jobKey: String(job.jobKey), state: job.state, retries: job.retries, errorMessage: job.errorMessage ?? null };
}
