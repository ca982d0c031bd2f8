import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { dateTime, words } from '@claims/portal-web/common/format';
import { Link, navigate } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { BatchProgress } from '../operations/batch-progress';
import { ConfirmAction } from '../operations/confirm-action';
import { type IncidentView, type InstanceSummary, type ProcessVersion } from '../operations/operations-types';

/** Who runs the processes (the portal checks the same roles). */
export const OPERATIONS_ROLES = ['operations', 'admin'];

const FILTERS = ['processDefinitionId', 'version', 'state', 'hasIncident', 'offset'] as const;
const STATES = ['ACTIVE', 'COMPLETED', 'TERMINATED'];
const PAGE = 25;

interface Found<T> {
  readonly items: T[];
  readonly total: number;
}

/**
 * Process instances by process, version, state and incident, with the open
 * incidents above them; batch retry or cancel over what the filter finds,
 * with a progress bar. The filter lives in the URL, so Back and a shared
 * link keep it.
 */
export function OperationsPage(props: { api: Api; query: URLSearchParams }) {
  const filters = Object.fromEntries(FILTERS.map((key): [string, string] => [key, props.query.get(key) ?? '']).filter(([, value]) => value));
  const search = new URLSearchParams({ ...filters, limit: String(PAGE) }).toString();
  const [versions, setVersions] = useState<ProcessVersion[]>([]);
  const [instances, setInstances] = useState<Found<InstanceSummary>>();
  const [incidents, setIncidents] = useState<Found<IncidentView>>();
  const [batches, setBatches] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    document.title = 'Operations · Claims staff';
    props.api.get<{ items: ProcessVersion[] }>('/operations/process-definitions').then((found) => setVersions(found.items), (e: unknown) => setError(messageOf(e)));
  }, []);
  useEffect(() => {
    setInstances(undefined);
    props.api.get<Found<InstanceSummary>>(`/operations/process-instances?${search}`).then(setInstances, (e: unknown) => setError(messageOf(e)));
    const incidentFilter = filters.processDefinitionId ? `processDefinitionId=${encodeURIComponent(filters.processDefinitionId)}&` : '';
    props.api.get<Found<IncidentView>>(`/operations/incidents?${incidentFilter}limit=50`).then(setIncidents, (e: unknown) => setError(messageOf(e)));
  }, [search, tick]);

  const go = (next: Record<string, string | undefined>) => navigate(`/staff/operations?${new URLSearchParams(Object.entries(next).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString()}`);
  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    go(Object.fromEntries(FILTERS.filter((key) => key !== 'offset').map((key) => [key, String((form.get(key) as string | null) ?? '')])));
  };
  const processIds = [...new Set(versions.map((v) => v.processDefinitionId))];
  const offset = Number(filters.offset ?? 0);
  const batchFilter = { processDefinitionId: filters.processDefinitionId, ...(filters.version ? { version: Number(filters.version) } : {}), ...(filters.hasIncident ? { hasIncident: filters.hasIncident === 'true' } : {}) };
  const startBatch = (type: 'retry' | 'cancel' | 'modify' | 'migrate', extra: Record<string, string> = {}) => props.api.post<{ batchOperationKey: string; instances: number }>('/operations/batches', { type, filter: batchFilter, ...extra });
  const started = (b: { instances: number }) => `Batch started over ${b.instances} instance${b.instances === 1 ? '' : 's'}.`;
  const follow = (b: { batchOperationKey: string }) => setBatches((all) => [b.batchOperationKey, ...all]);
  const targets = versions.filter((v) => v.processDefinitionId === filters.processDefinitionId && String(v.version) !== filters.version);
  const [moveFrom, setMoveFrom] = useState('');
  const [moveTo, setMoveTo] = useState('');
  const [target, setTarget] = useState('');
  const targetKey = target || targets[0]?.processDefinitionKey || '';

  return (
    <>
      <h1>Operations</h1>
      <ErrorMessage error={error} />
      <section aria-labelledby="incidents-title">
        <h2 id="incidents-title">Open incidents{incidents ? ` (${incidents.total})` : ''}</h2>
        {!incidents ? <Loading what="incidents" /> : incidents.items.length === 0 ? <p>No open incident.</p> : (
          <table class="data" aria-label="Open incidents">
            <thead><tr><th scope="col">Claim</th><th scope="col">Step</th><th scope="col">Message</th><th scope="col" class="num">Retries left</th><th scope="col">Since</th></tr></thead>
            <tbody>
              {incidents.items.map((incident) => (
                <tr key={incident.incidentKey}>
                  <td data-label="Claim"><Link href={`/staff/operations/instances/${incident.processInstanceKey}`}>{incident.claim?.reference ?? `Instance ${incident.processInstanceKey}`}</Link></td>
                  <td data-label="Step">{incident.elementId}</td>
                  <td data-label="Message" class="error-text">{incident.job?.errorMessage ?? incident.errorMessage}</td>
                  <td data-label="Retries left" class="num">{incident.job ? incident.job.retries : '—'}</td>
                  <td data-label="Since">{dateTime(incident.creationTime)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <details class="card" open>
        <summary>Instance filters</summary>
        <form class="filters" aria-label="Instance filters" onSubmit={apply} key={search}>
          <label>Process
            <select name="processDefinitionId" defaultValue={filters.processDefinitionId ?? ''}>
              <option value="">any</option>
              {processIds.map((id) => <option key={id} value={id}>{id}</option>)}
            </select>
          </label>
          <label>Version
            <select name="version" defaultValue={filters.version ?? ''}>
              <option value="">any</option>
              {[...new Set(versions.filter((v) => !filters.processDefinitionId || v.processDefinitionId === filters.processDefinitionId).map((v) => v.version))].map((version) => <option key={version} value={String(version)}>{version}</option>)}
            </select>
          </label>
          <label>State
            <select name="state" defaultValue={filters.state ?? ''}>
              <option value="">any</option>
              {STATES.map((state) => <option key={state} value={state}>{words(state.toLowerCase())}</option>)}
            </select>
          </label>
          <label>Incident
            <select name="hasIncident" defaultValue={filters.hasIncident ?? ''}>
              <option value="">any</option>
              <option value="true">with an incident</option>
              <option value="false">without</option>
            </select>
          </label>
          <button type="submit">Show instances</button>
          <button type="button" class="secondary" onClick={() => go({})}>Clear filters</button>
        </form>
      </details>

      <section aria-labelledby="batch-title" class="card">
        <h2 id="batch-title">Act on every instance found</h2>
        {!filters.processDefinitionId ? <p class="muted">Choose a process in the filters first: a batch acts on one process.</p> : (
          <div class="ops-actions">
            <ConfirmAction label="Retry all with incidents" question={`Retry every instance of ${filters.processDefinitionId}${filters.version ? ` version ${filters.version}` : ''} stopped on an incident?`} run={() => startBatch('retry')} done={started} onDone={follow} />
            <ConfirmAction label="Cancel all found" question={`Cancel every active instance of ${filters.processDefinitionId}${filters.version ? ` version ${filters.version}` : ''} that the filters find? Their claims stop where they are.`} run={() => startBatch('cancel')} done={started} onDone={follow} />
          </div>
        )}
        {filters.processDefinitionId ? (
          <div class="ops-actions">
            <label>Move tokens from element<input value={moveFrom} onInput={(e) => setMoveFrom(e.currentTarget.value.trim())} placeholder="screen-fraud" autoComplete="off" /></label>
            <label>to element<input value={moveTo} onInput={(e) => setMoveTo(e.currentTarget.value.trim())} placeholder="calculate-benefit" autoComplete="off" /></label>
            <ConfirmAction label="Move tokens in all found" disabled={!moveFrom || !moveTo} question={`Move the tokens at ${moveFrom} to ${moveTo} in every active instance found?`} run={() => startBatch('modify', { fromElementId: moveFrom, toElementId: moveTo })} done={started} onDone={follow} />
          </div>
        ) : null}
        {filters.processDefinitionId && filters.version ? (
          <div class="ops-actions">
            {targets.length === 0 ? <p class="muted">No other version to migrate to.</p> : (
              <>
                <label>Migrate all found to version
                  <select value={targetKey} onChange={(e) => setTarget(e.currentTarget.value)}>
                    {targets.map((v) => <option key={v.processDefinitionKey} value={v.processDefinitionKey}>{v.version}</option>)}
                  </select>
                </label>
                <ConfirmAction label="Migrate all found" question={`Migrate every active instance of version ${filters.version} to version ${targets.find((v) => v.processDefinitionKey === targetKey)?.version}? Each token stays on the element of the same id.`} run={() => startBatch('migrate', { targetProcessDefinitionKey: targetKey })} done={started} onDone={follow} />
              </>
            )}
          </div>
        ) : filters.processDefinitionId ? <p class="muted">Choose a version too to migrate its instances.</p> : null}
        {batches.map((key) => <BatchProgress key={key} api={props.api} batchOperationKey={key} onFinished={() => setTick((n) => n + 1)} />)}
      </section>

      <section aria-labelledby="instances-title">
        <h2 id="instances-title">Process instances{instances ? ` (${instances.total})` : ''}</h2>
        {!instances ? <Loading what="process instances" /> : instances.items.length === 0 ? <p>No instance matches these filters.</p> : (
          <table class="data" aria-label="Process instances">
            <thead><tr><th scope="col">Instance</th><th scope="col">Claim</th><th scope="col">Process</th><th scope="col">State</th><th scope="col">Started</th></tr></thead>
            <tbody>
              {instances.items.map((instance) => (
                <tr key={instance.processInstanceKey}>
                  <td data-label="Instance"><Link href={`/staff/operations/instances/${instance.processInstanceKey}`}>{instance.processInstanceKey}</Link></td>
                  <td data-label="Claim">{instance.claim?.reference ?? '—'}</td>
                  <td data-label="Process">{instance.processDefinitionId} v{instance.version}</td>
                  <td data-label="State">{words(instance.state.toLowerCase())} {instance.hasIncident ? <span class="badge overdue">Incident</span> : null}</td>
                  <td data-label="Started">{dateTime(instance.startDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {instances && (offset > 0 || offset + PAGE < instances.total) ? (
          <nav class="pager" aria-label="Pages of instances">
            <button type="button" class="secondary" disabled={offset === 0} onClick={() => go({ ...filters, offset: String(Math.max(0, offset - PAGE)) })}>Previous</button>
            <span>{offset + 1}–{offset + instances.items.length}</span>
            <button type="button" class="secondary" disabled={offset + PAGE >= instances.total} onClick={() => go({ ...filters, offset: String(offset + PAGE) })}>Next</button>
          </nav>
        ) : null}
      </section>
    </>
  );
}
