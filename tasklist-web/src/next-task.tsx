import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api } from '@claims/portal-web/common/api';
import { Link } from '@claims/portal-web/common/router';
import { type TaskView } from './task-types';

/**
 * What follows a completed task: the next one waiting, the person's own
 * first, then their groups' unassigned ones, so work goes on without a trip
 * through the list. Focus lands on the outcome so a keyboard or screen
 * reader user hears it and can go on with Tab.
 */
export function TaskDone(props: { api: Api; message: string; after: string }) {
  const [next, setNext] = useState<TaskView | null>();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    const first = (scope: string) => props.api.get<{ items: TaskView[] }>(`/tasks?scope=${scope}&sort=dueDate&order=asc&limit=5`).then((r) => r.items.find((t) => t.userTaskKey !== props.after));
    first('mine').then(async (mine) => mine ?? (await first('unassigned')) ?? null).then(setNext, () => setNext(null));
  }, [props.after]);
  return (
    <div class="card" role="status">
      <h1 ref={heading} tabIndex={-1}>{props.message}</h1>
      <p data-testid="next-task">
        {next === undefined ? 'Looking for your next task…' : next ? <Link class="button" href={`/staff/tasks/${next.userTaskKey}`}>Next task: {next.name}{next.claim ? ` · ${next.claim.reference}` : ''}</Link> : 'No more tasks are waiting for you or your groups.'}
      </p>
      <p><Link href="/staff/">Back to the task list</Link></p>
    </div>
  );
}
