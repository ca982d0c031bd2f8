import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { dateTime, words } from '@claims/portal-web/common/format';
import { Link } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { ConfirmAction } from '../operations/confirm-action';
import { InstanceDiagram } from '../operations/instance-diagram';
import { type InstanceDetail, type ProcessVersion, type RetryAnswer } from '../operations/operations-types';

/** What a retry's answer means, in words. */
export function retryOutcome(answer: RetryAnswer): string {
  switch (answer.outcome) {
    case 'completed': return 'The job ran again and completed.';
    case 'failed-again': return `The job ran again and failed again: ${answer.error ?? 'no message'}`;
    case 'error-thrown': return 'The job ran again and raised a business error, which the process handles.';
    case 'resolved': return 'The incident is resolved.';
    default: return 'The incident is resolved, but no worker has run the job again yet. Look again in a moment.';
  }
}

/** The flow nodes a token can be moved to, from the diagram itself: id and name. */
function flowNodes(xml: string): { id: string; name: string }[] {
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  return [...document.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/MODEL', '*')]
    .filter((element) => /(Task|task|Event|Gateway|subProcess|callActivity)$/.test(element.localName) && !/Definition$/.test(element.localName) && element.getAttribute('id'))
    .filter((element) => !['startEvent', 'boundaryEvent'].includes(element.localName))
    .map((element) => ({ id: element.getAttribute('id')!, name: element.getAttribute('name') ?? element.getAttribute('id')! }));
}

/**
 * One process instance: its diagram with tokens, incidents and the path
 * taken; the incidents with the job's last error and retries left, each
 * with a Retry that says whether the job then ran; cancel, move a token,
 * migrate to another version; the variables and the history.
 */
export function OperationsInstancePage(props: { api: Api; processInstanceKey: string }) {
  const [detail, setDetail] = useState<InstanceDetail>();
  const [versions, setVersions] = useState<ProcessVersion[]>([]);
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  const [moveFrom, setMoveFrom] = useState('');
  const [moveTo, setMoveTo] = useState('');
  const [target, setTarget] = useState('');
  /** What the last action came to: kept by the page, as the action's own panel may be gone once the instance is read again (a resolved incident). */
  const [notice, setNotice] = useState<string>();
  const key = props.processInstanceKey;

  useEffect(() => {
    props.api.get<InstanceDetail>(`/operations/process-instances/${key}`).then((found) => {
      setDetail(found);
      setError(undefined);
      document.title = `${found.claim?.reference ?? `Instance ${key}`} · Operations · Claims staff`;
    }, (e: unknown) => setError(messageOf(e)));
  }, [key, tick]);
  useEffect(() => {
    props.api.get<{ items: ProcessVersion[] }>('/operations/process-definitions').then((found) => setVersions(found.items), (e: unknown) => setError(messageOf(e)));
  }, []);

  if (!detail) return error ? <ErrorMessage error={error} /> : <Loading what="the process instance" />;
  const reload = () => setTick((n) => n + 1);
  const after = (message: string) => () => {
    setNotice(message);
    reload();
  };
  const { instance } = detail;
  const active = instance.state === 'ACTIVE';
  const holding = detail.statistics.filter((s) => s.active + s.incidents > 0);
  const nodes = flowNodes(detail.xml);
  const otherVersions = versions.filter((v) => v.processDefinitionId === instance.processDefinitionId && v.processDefinitionKey !== instance.processDefinitionKey);
  const nameOf = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;
  const from = moveFrom || holding[0]?.elementId || '';
  const targetVersion = target || otherVersions[0]?.processDefinitionKey || '';

  return (
    <>
      <p><Link href="/staff/operations">← Operations</Link></p>
      <h1>{detail.claim ? `Claim ${detail.claim.reference}` : `Instance ${key}`}</h1>
      <p>
        {instance.processName} v{instance.version} · instance {key} · <strong>{words(instance.state.toLowerCase())}</strong>
        {instance.hasIncident ? <> <span class="badge overdue">Incident</span></> : null}
        {detail.claim ? <> · <Link href={`/staff/?${new URLSearchParams({ scope: 'open', claimReference: detail.claim.reference }).toString()}`}>the claim's tasks</Link> ({words(detail.claim.status)})</> : null}
      </p>
      <ErrorMessage error={error} />
      <div role="status" aria-live="polite" class={notice ? 'card notice' : undefined}>{notice ? <p>{notice}</p> : null}</div>
      <InstanceDiagram xml={detail.xml} counts={detail.statistics} takenFlows={detail.takenFlows} />

      <section aria-labelledby="incidents-title">
        <h2 id="incidents-title">Incidents ({detail.incidents.length})</h2>
        {detail.incidents.length === 0 ? <p>No open incident.</p> : detail.incidents.map((incident) => (
          <article key={incident.incidentKey} class="card" aria-label={`Incident at ${nameOf(incident.elementId)}`}>
            <h3>At “{nameOf(incident.elementId)}” <span class="muted">({words(incident.errorType.toLowerCase())})</span></h3>
            <dl>
              <dt>Message</dt><dd class="error-text">{incident.errorMessage}</dd>
              {incident.job ? <><dt>Job's last error</dt><dd class="error-text">{incident.job.errorMessage ?? '—'}</dd><dt>Retries left</dt><dd>{incident.job.retries}</dd><dt>Job</dt><dd>{incident.job.type} ({incident.job.jobKey})</dd></> : null}
              <dt>Since</dt><dd>{dateTime(incident.creationTime)}</dd>
            </dl>
            <ConfirmAction
              label="Retry"
              confirmLabel="Retry now"
              question="Give the job one more try and resolve the incident? Fix the cause first; the page then waits until the job has run again."
              run={() => props.api.post<RetryAnswer>(`/operations/incidents/${incident.incidentKey}/retry`, {})}
              onDone={(answer) => {
                setNotice(retryOutcome(answer));
                reload();
              }}
            />
          </article>
        ))}
      </section>

      {active ? (
        <section aria-labelledby="actions-title" class="card">
          <h2 id="actions-title">Change the instance</h2>
          <div class="ops-actions">
            <ConfirmAction label="Cancel instance" question={`Cancel this instance? ${detail.claim ? `Claim ${detail.claim.reference} stops where it is.` : ''}`} confirmLabel="Cancel the instance" run={() => props.api.post(`/operations/process-instances/${key}/cancellation`)} onDone={after('The instance is cancelled.')} />
          </div>
          <div class="ops-actions">
            <label>Move the token from
              <select value={from} onChange={(e) => setMoveFrom(e.currentTarget.value)}>
                {holding.map((s) => <option key={s.elementId} value={s.elementId}>{nameOf(s.elementId)}</option>)}
              </select>
            </label>
            <label>to
              <select value={moveTo || nodes[0]?.id} onChange={(e) => setMoveTo(e.currentTarget.value)}>
                {nodes.filter((n) => n.id !== from).map((n) => <option key={n.id} value={n.id}>{n.name}</option>)}
              </select>
            </label>
            <ConfirmAction label="Move token" disabled={!from} question={`Move the token from “${nameOf(from)}” to “${nameOf(moveTo || nodes.find((n) => n.id !== from)?.id || '')}”?`} run={() => props.api.post(`/operations/process-instances/${key}/modification`, { fromElementId: from, toElementId: moveTo || nodes.find((n) => n.id !== from)?.id })} onDone={after('The token is moved.')} />
          </div>
          <div class="ops-actions">
            {otherVersions.length === 0 ? <p class="muted">No other version of {instance.processDefinitionId} is deployed to migrate to.</p> : (
              <>
                <label>Migrate to version
                  <select value={targetVersion} onChange={(e) => setTarget(e.currentTarget.value)}>
                    {otherVersions.map((v) => <option key={v.processDefinitionKey} value={v.processDefinitionKey}>{v.version}</option>)}
                  </select>
                </label>
                <ConfirmAction label="Migrate" question={`Migrate this instance from version ${instance.version} to version ${otherVersions.find((v) => v.processDefinitionKey === targetVersion)?.version}? Each token stays on the element of the same id.`} run={() => props.api.post(`/operations/process-instances/${key}/migration`, { targetProcessDefinitionKey: targetVersion })} onDone={after('The instance is migrated.')} />
              </>
            )}
          </div>
        </section>
      ) : null}

      <section aria-labelledby="variables-title">
        <h2 id="variables-title">Variables ({detail.variables.length})</h2>
        {detail.variables.length === 0 ? <p>No variable.</p> : (
          <table class="data" aria-label="Variables">
            <thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Scope</th></tr></thead>
            <tbody>
              {detail.variables.map((v) => (
                <tr key={`${v.scopeKey}-${v.name}`}>
                  <td data-label="Name">{v.name}</td>
                  <td data-label="Value"><pre class="variable">{v.value}{v.truncated ? ' …' : ''}</pre></td>
                  <td data-label="Scope">{v.scopeKey === key ? 'instance' : v.scopeKey}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <table class="data" aria-label="History">
          <thead><tr><th scope="col">Step</th><th scope="col">State</th><th scope="col">Started</th><th scope="col">Ended</th></tr></thead>
          <tbody>
            {detail.history.map((h) => (
              <tr key={h.elementInstanceKey}>
                <td data-label="Step">{h.elementName}</td>
                <td data-label="State">{words(h.state.toLowerCase())} {h.hasIncident ? <span class="badge overdue">Incident</span> : null}</td>
                <td data-label="Started">{dateTime(h.startDate)}</td>
                <td data-label="Ended">{dateTime(h.endDate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
