import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { dateTime, money } from '@claims/portal-web/common/format';
import { Link, navigate } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { type TaskView } from '../task-types';

const SCOPES = [
  { value: 'mine', label: 'My tasks' },
  { value: 'unassigned', label: 'Unassigned in my groups' },
  { value: 'open', label: 'All open' },
  { value: 'completed', label: 'Completed' },
] as const;

/** The filters `GET /api/tasks` takes; kept in the page's URL and in saved views. */
const FILTER_KEYS = ['scope', 'processDefinitionId', 'claimReference', 'dueBefore', 'dueAfter', 'minPriority', 'minAmount', 'maxAmount', 'sort', 'order'] as const;
type TaskQuery = Partial<Record<(typeof FILTER_KEYS)[number], string | number>>;

interface SavedView {
  readonly id: string;
  readonly name: string;
  readonly query: TaskQuery;
}

const REFRESH_MS = 15_000;

/**
 * Tasks by scope, with filters, sort and the person's saved views; claim in
 * place, and unclaim one's own tasks. A task someone else took meanwhile is
 * said in words ("Adam took this task a moment ago") and its row refreshed.
 */
export function TaskListPage(props: { api: Api; query: URLSearchParams; username: string }) {
  const query: TaskQuery = Object.fromEntries(FILTER_KEYS.map((key): [string, string | undefined] => [key, props.query.get(key) ?? undefined]).filter(([, value]) => value));
  const scope = String(query.scope ?? 'open');
  const [tasks, setTasks] = useState<{ items: TaskView[]; total: number }>();
  const [views, setViews] = useState<SavedView[]>([]);
  const [viewName, setViewName] = useState('');
  const [error, setError] = useState<string>();
  const search = new URLSearchParams(Object.entries({ ...query, scope }).map(([k, v]) => [k, String(v)])).toString();

  const load = () => props.api.get<{ items: TaskView[]; total: number }>(`/tasks?${search}`).then((found) => {
    setTasks(found);
    setError(undefined);
  }, (e: unknown) => setError(messageOf(e)));

  useEffect(() => {
    document.title = 'Tasks · Claims staff';
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [search]);

  useEffect(() => {
    props.api.get<{ items: SavedView[] }>('/task-views').then((r) => setViews(r.items), (e: unknown) => setError(messageOf(e)));
  }, []);

  const apply = (next: TaskQuery) => {
    const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]));
    navigate(`/staff/?${params.toString()}`, { replace: true });
  };
  const set = (key: keyof TaskQuery, value: string) => apply({ ...query, scope, [key]: value || undefined });

  const saveView = async (event: Event) => {
    event.preventDefault();
    try {
      const numeric = (v: unknown) => (v === undefined ? undefined : Number(v));
      const saved = await props.api.post<SavedView>('/task-views', { name: viewName, query: { ...query, scope, minPriority: numeric(query.minPriority), minAmount: numeric(query.minAmount), maxAmount: numeric(query.maxAmount) } });
      setViews([...views.filter((v) => v.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)));
      setViewName('');
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const deleteView = async (view: SavedView) => {
    try {
      await props.api.delete(`/task-views/${view.id}`);
      setViews(views.filter((v) => v.id !== view.id));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const assign = async (task: TaskView, claim: boolean) => {
    try {
      if (claim) await props.api.post(`/tasks/${task.userTaskKey}/assignment`);
      else await props.api.delete(`/tasks/${task.userTaskKey}/assignment`);
      await load();
    } catch (e) {
      setError(messageOf(e));
      // The row shows who has the task now (load clears the error only when it fails itself).
      await props.api.get<{ items: TaskView[]; total: number }>(`/tasks?${search}`).then(setTasks, () => undefined);
    }
  };

  return (
    <>
      <h1>Tasks</h1>
      <div class="tabs" role="group" aria-label="Which tasks">
        {SCOPES.map((s) => (
          <button key={s.value} type="button" aria-pressed={scope === s.value} onClick={() => apply({ ...query, scope: s.value })}>{s.label}</button>
        ))}
      </div>
      <details class="card" open={Object.keys(query).some((k) => k !== 'scope')}>
        <summary>Filters and sort</summary>
        <div class="filters">
          <label>Process<input value={query.processDefinitionId ?? ''} placeholder="claim-reimbursement" onChange={(e) => set('processDefinitionId', e.currentTarget.value)} /></label>
          <label>Claim reference<input value={query.claimReference ?? ''} placeholder="CLM-2026-000001" onChange={(e) => set('claimReference', e.currentTarget.value)} /></label>
          <label>Due after<input type="date" value={String(query.dueAfter ?? '').slice(0, 10)} onChange={(e) => set('dueAfter', e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : '')} /></label>
          <label>Due before<input type="date" value={String(query.dueBefore ?? '').slice(0, 10)} onChange={(e) => set('dueBefore', e.currentTarget.value ? new Date(e.currentTarget.value).toISOString() : '')} /></label>
          <label>Priority at least<input type="number" min={0} max={100} value={query.minPriority ?? ''} onChange={(e) => set('minPriority', e.currentTarget.value)} /></label>
          <label>Amount from<input type="number" min={0} value={query.minAmount ?? ''} onChange={(e) => set('minAmount', e.currentTarget.value)} /></label>
          <label>Amount to<input type="number" min={0} value={query.maxAmount ?? ''} onChange={(e) => set('maxAmount', e.currentTarget.value)} /></label>
          <label>Sort by
            <select value={query.sort ?? 'dueDate'} onChange={(e) => set('sort', e.currentTarget.value)}>
              <option value="dueDate">Due date</option><option value="creationDate">Created</option><option value="priority">Priority</option><option value="followUpDate">Follow-up date</option><option value="completionDate">Completed</option>
            </select>
          </label>
          <label>Order
            <select value={query.order ?? 'asc'} onChange={(e) => set('order', e.currentTarget.value)}><option value="asc">Ascending</option><option value="desc">Descending</option></select>
          </label>
          <button type="button" class="secondary" onClick={() => apply({ scope })}>Clear filters</button>
        </div>
      </details>
      <div class="views" aria-label="Saved views">
        <strong>Saved views:</strong>
        {views.length === 0 ? <span class="muted">none yet</span> : null}
        {views.map((view) => (
          <span key={view.id}>
            <button type="button" class="secondary" onClick={() => apply(view.query)}>{view.name}</button>
            <button type="button" class="quiet" aria-label={`Delete view ${view.name}`} onClick={() => void deleteView(view)}>×</button>
          </span>
        ))}
        <form onSubmit={(e) => void saveView(e)} class="views">
          <label for="view-name" class="muted">Save these filters as</label>
          <input id="view-name" required maxLength={80} value={viewName} onInput={(e) => setViewName(e.currentTarget.value)} />
          <button type="submit" class="secondary">Save view</button>
        </form>
      </div>
      <ErrorMessage error={error} />
      {!tasks ? (
        <Loading what="tasks" />
      ) : tasks.items.length === 0 ? (
        <p>No tasks here.</p>
      ) : (
        <table class="data" aria-label="Tasks">
          <thead>
            <tr><th scope="col">Task</th><th scope="col">Claim</th><th scope="col">Client</th><th scope="col" class="num">Amount</th><th scope="col">Due</th><th scope="col">Priority</th><th scope="col">Assignee</th><th scope="col"><span class="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {tasks.items.map((task) => (
              <tr key={task.userTaskKey}>
                <td><Link href={`/staff/tasks/${task.userTaskKey}`}>{task.name}</Link></td>
                <td>{task.claim?.reference ?? '—'}</td>
                <td>{task.claim?.customerName ?? '—'}</td>
                <td class="num">{task.claim ? money(task.claim.totalClaimed, task.claim.currency) : '—'}</td>
                <td>{dateTime(task.dueDate)} {task.overdue ? <span class="badge overdue">Overdue</span> : null}</td>
                <td class={task.priority >= 80 ? 'priority-high' : undefined}>{task.priority}</td>
                <td>{task.assignee ?? <span class="muted">unassigned</span>}</td>
                <td>
                  {task.state !== 'CREATED' ? null : task.assignee === props.username ? (
                    <button type="button" class="quiet" aria-label={`Unclaim ${task.name}${task.claim ? ` of ${task.claim.reference}` : ''}`} onClick={() => void assign(task, false)}>Unclaim</button>
                  ) : task.assignee ? null : (
                    <button type="button" class="secondary" aria-label={`Claim ${task.name}${task.claim ? ` of ${task.claim.reference}` : ''}`} onClick={() => void assign(task, true)}>Claim</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tasks ? <p class="muted">{tasks.total} task{tasks.total === 1 ? '' : 's'}</p> : null}
    </>
  );
}
