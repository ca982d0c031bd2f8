import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { date, dateTime, money, words } from '@claims/portal-web/common/format';
import { FormView, type FormHandle } from '@claims/portal-web/common/form-view';
import { Link } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { withoutDecisions } from '../fresh-form-data';
import { TaskDone } from '../next-task';
import { type TaskWithForm } from '../task-types';

/** The task of bpmn/policy-application.bpmn this page serves. */
export const UNDERWRITING_TASK = 'underwrite-application';

interface PersonFile {
  readonly role: string;
  readonly fullName: string;
  readonly birthDate: string;
  readonly age: number | null;
  readonly answers: { heightCm: number; weightKg: number; smoker: boolean; chronicCondition: boolean; hospitalisedLastFiveYears: boolean; ongoingTreatment: boolean; details?: string } | null;
  readonly facts: { bmi: number } | null;
}

interface ApplicationFile {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly product: { code: string; name: string };
  readonly currency: string;
  readonly yearlyPremiumCents: number;
  readonly startsOn: string;
  readonly contact: { email: string; phone?: string };
  readonly insured: readonly PersonFile[];
  readonly outcome: string | null;
  readonly reasonCodes: readonly string[];
  readonly informationRequest: { question: string; kind: string; due: string | null; answer: string | null } | null;
  readonly documents: readonly { id: string; name: string; mediaType: string; createdAt: string }[];
}

const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no');

/**
 * An underwriting task beside the application it decides: the people, each
 * one's health questionnaire with the facts the rules read, the rules'
 * outcome and reason codes, and the client's answer to the last request.
 */
export function UnderwritingTaskPage(props: { api: Api; task: TaskWithForm; username: string; reload: () => Promise<void> }) {
  const { task } = props;
  const [file, setFile] = useState<ApplicationFile>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const form = useRef<FormHandle>();
  const schemaText = JSON.stringify(task.form ?? null);
  const schema = useMemo(() => task.form, [schemaText]);
  const formData = useMemo(() => withoutDecisions(task.form, task.variables), [task.userTaskKey, schemaText]);
  const applicationId = typeof task.variables.applicationId === 'string' ? task.variables.applicationId : '';
  const reference = typeof task.variables.applicationReference === 'string' ? task.variables.applicationReference : '';

  useEffect(() => {
    document.title = `${task.name} · ${reference} · Claims staff`;
    props.api.get<ApplicationFile>(`/underwriting/applications/${encodeURIComponent(applicationId)}`).then(setFile, (e: unknown) => setError(messageOf(e)));
  }, [task.userTaskKey]);

  const download = async (document: ApplicationFile['documents'][number]) => {
    try {
      const blob = await props.api.blob(`/underwriting/applications/${encodeURIComponent(applicationId)}/documents/${document.id}/content`);
      const link = window.document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = document.name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      await props.reload();
      setBusy(false);
    }
  };
  const complete = async () => {
    const result = form.current?.submit();
    if (!result) return setError('Some fields need your attention; they are marked in the form.');
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`/tasks/${task.userTaskKey}/completion`, { variables: result.data });
      setDone(`${task.name} completed.`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (done) return <TaskDone api={props.api} message={done} after={task.userTaskKey} />;
  const mine = task.assignee === props.username;
  const open = task.state === 'CREATED';
  return (
    <>
      <p><Link href="/staff/">← Tasks</Link></p>
      <h1>{task.name} <span class="muted">· {file?.reference ?? reference}</span></h1>
      <div class="task-layout">
        <section class="card task-work" aria-labelledby="form-title">
          <h2 id="form-title">Your work</h2>
          <dl class="facts">
            <dt>Assignee</dt><dd data-testid="assignee">{task.assignee ?? 'nobody yet'}</dd>
            <dt>Due</dt><dd>{dateTime(task.dueDate)}</dd>
            <dt>Groups</dt><dd>{task.candidateGroups.join(', ') || '—'}</dd>
          </dl>
          <div class="actions">
            {open && !task.assignee ? <button type="button" disabled={busy} onClick={() => void act(() => props.api.post(`/tasks/${task.userTaskKey}/assignment`))}>Claim</button> : null}
            {open && mine ? <button type="button" class="secondary" disabled={busy} onClick={() => void act(() => props.api.delete(`/tasks/${task.userTaskKey}/assignment`))}>Unclaim</button> : null}
            {open && task.assignee && !mine ? <span class="muted">Assigned to {task.assignee}.</span> : null}
            {!open ? <span class="muted">This task is {words(task.state)}.</span> : null}
          </div>
          {schema ? <FormView schema={schema} data={formData} readOnly={!open || !mine} onReady={(handle) => (form.current = handle)} /> : <p>This task has no form.</p>}
          <ErrorMessage error={error} />
          {open && mine ? <div class="actions"><button type="button" disabled={busy} onClick={() => void complete()}>Complete task</button></div> : null}
        </section>
        <section class="card task-documents" aria-labelledby="application-title">
          {!file ? <Loading what="the application" /> : (
            <>
              <h2 id="application-title">Application {file.reference}</h2>
              <dl class="facts">
                <dt>Product</dt><dd>{file.product.name}</dd>
                <dt>Premium</dt><dd>{money(file.yearlyPremiumCents / 100, file.currency)} a year</dd>
                <dt>Cover from</dt><dd>{date(file.startsOn)}</dd>
                <dt>Contact</dt><dd>{file.contact.email}{file.contact.phone ? `, ${file.contact.phone}` : ''}</dd>
                <dt>Rules' outcome</dt><dd data-testid="rules-outcome">{file.outcome ?? '—'}{file.reasonCodes.length ? `: ${file.reasonCodes.map((c) => words(c)).join(', ')}` : ''}</dd>
              </dl>
              <h3>Documents from the client</h3>
              {file.documents.length ? <ul>{file.documents.map((d) => <li key={d.id}><button type="button" class="quiet" onClick={() => void download(d)}>{d.name}</button> <span class="muted">{date(d.createdAt)}</span></li>)}</ul> : <p>None.</p>}
            </>
          )}
        </section>
        <section class="task-context" aria-label="Questionnaire and answers">
          {!file ? null : (
            <>
              <div class="card">
                <h2>Health questionnaire</h2>
                <table class="data">
                  <thead><tr><th scope="col">Person</th><th scope="col">Age</th><th scope="col" class="num">BMI</th><th scope="col">Smoker</th><th scope="col">Chronic condition</th><th scope="col">Hospital (5 years)</th><th scope="col">Ongoing treatment</th></tr></thead>
                  <tbody>
                    {file.insured.map((p, i) => (
                      <tr key={i}>
                        <td data-label="Person">{p.fullName} ({p.role}, born {date(p.birthDate)})</td>
                        <td data-label="Age">{p.age ?? '—'}</td>
                        <td class="num" data-label="BMI">{p.facts?.bmi ?? '—'} <span class="muted">({p.answers?.heightCm} cm, {p.answers?.weightKg} kg)</span></td>
                        <td data-label="Smoker">{yesNo(p.answers?.smoker)}</td>
                        <td data-label="Chronic condition">{yesNo(p.answers?.chronicCondition)}</td>
                        <td data-label="Hospital (5 years)">{yesNo(p.answers?.hospitalisedLastFiveYears)}</td>
                        <td data-label="Ongoing treatment">{yesNo(p.answers?.ongoingTreatment)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {file.insured.filter((p) => p.answers?.details).map((p, i) => <p key={i}><strong>{p.fullName}:</strong> {p.answers!.details}</p>)}
              </div>
              {file.informationRequest ? (
                <div class="card">
                  <h2>{file.informationRequest.kind === 'medical-exam' ? 'Medical exam asked for' : 'Information asked for'}</h2>
                  <p><strong>We asked:</strong> {file.informationRequest.question}</p>
                  <p><strong>The client answered:</strong> {file.informationRequest.answer ?? <span class="muted">not yet (due {dateTime(file.informationRequest.due)})</span>}</p>
                </div>
              ) : null}
            </>
          )}
        </section>
      </div>
    </>
  );
}
