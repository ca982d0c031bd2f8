import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { ErrorMessage } from '@claims/portal-web/common/ui';

export interface BatchProgressView {
  readonly batchOperationKey: string;
  readonly state: string;
  readonly type: string;
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly failures: { processInstanceKey: string; error: string | null }[];
}

const FINISHED = ['COMPLETED', 'PARTIALLY_COMPLETED', 'FAILED', 'CANCELED'];
const POLL_MS = 700;

/** A batch's progress bar, asked of the portal until the engine says the batch is over. */
export function BatchProgress(props: { api: Api; batchOperationKey: string; onFinished?: () => void }) {
  const [progress, setProgress] = useState<BatchProgressView>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await props.api.get<BatchProgressView>(`/operations/batches/${props.batchOperationKey}`);
        if (stopped) return;
        setProgress(next);
        if (FINISHED.includes(next.state)) return props.onFinished?.();
      } catch (e) {
        if (!stopped) setError(messageOf(e));
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [props.batchOperationKey]);
  const done = progress ? progress.completed + progress.failed : 0;
  const finished = progress ? FINISHED.includes(progress.state) : false;
  return (
    <div class="progress">
      <label for={`batch-${props.batchOperationKey}`}>Batch {props.batchOperationKey}: {progress ? `${done} of ${progress.total} done${progress.failed ? `, ${progress.failed} failed` : ''}` : 'starting'}</label>
      <progress id={`batch-${props.batchOperationKey}`} max={Math.max(progress?.total ?? 1, 1)} value={progress?.total === 0 && finished ? 1 : done} />
      <p role="status" aria-live="polite">{finished ? (progress!.state === 'COMPLETED' ? `Finished: all ${progress!.total} done.` : `Finished (${progress!.state.toLowerCase().replace(/_/g, ' ')}).`) : ''}</p>
      {progress?.failures.length ? <ul>{progress.failures.map((f) => <li key={f.processInstanceKey}>{f.processInstanceKey}: {f.error ?? 'failed'}</li>)}</ul> : null}
      <ErrorMessage error={error} />
    </div>
  );
}
