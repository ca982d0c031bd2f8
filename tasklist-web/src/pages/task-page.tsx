import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { Breakdown, ClaimItems, DocumentPreview } from '@claims/portal-web/common/claim-parts';
import { date, dateTime, money, words } from '@claims/portal-web/common/format';
import { FormView, type FormHandle } from '@claims/portal-web/common/form-view';
import { FOCUS_GIVEN_ATTRIBUTE } from '@claims/portal-web/common/preview-focus';
import { Link } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { DiagramView } from '../diagram-view';
import { PaymentDetailsForm } from '../payment-details-form';
import { AssessmentSummaryCard } from '../assessment-summary';
import { ClaimLimits } from '../claim-limits';
import { withoutDecisions } from '../fresh-form-data';
import { InformationThread } from '../information-thread';
import { TaskDone } from '../next-task';
import { moneyMoved, staffStatus } from '../staff-wording';
import { StaffTimeline } from '../staff-timeline';
import { type TaskContext, type TaskWithForm } from '../task-types';
import { UNDERWRITING_TASK, UnderwritingTaskPage } from './underwriting-task-page';
import { FOLLOW_UP_PROCESS, FollowUpTaskPage } from './follow-up-task-page';

/**
 * One task: its form beside the claim it is about (documents, policy and
 * coverage, earlier claims, fraud flags, the diagram with the current step,
 * the history). The form can be filled once the task is claimed. On a wide
 * screen the form and the documents stay in view while the claim scrolls;
 * on a phone they stack, the form first. The form starts with no decision
 * made (not the previous round's, not the validation step's proposal).
 */
export function TaskPage(props: { api: Api; taskKey: string; username: string; fixesPayments?: boolean }) {
  const [task, setTask] = useState<TaskWithForm>();
  const [context, setContext] = useState<TaskContext>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();
  const form = useRef<FormHandle>();
  const actions = useRef<HTMLDivElement>(null);
  const errorBox = useRef<HTMLDivElement>(null);
  /** Whether the next error shown takes the focus (a refusal does; a form's own field errors keep it on the field). */
  const focusError = useRef(false);
  // The form is rebuilt only when its schema really changes, not on every reload after claiming.
  const schemaText = JSON.stringify(task?.form ?? null);
  const schema = useMemo(() => task?.form, [schemaText]);
  const formData = useMemo(() => (task ? withoutDecisions(task.form, task.variables) : {}), [task?.userTaskKey, schemaText]);

  // An underwriting task is about a policy application, a follow-up about a customer, not a claim: they have no claim context.
  const load = () => props.api.get<TaskWithForm>(`/tasks/${props.taskKey}`).then(async (t) => {
    const c = t.elementId === UNDERWRITING_TASK || t.processDefinitionId === FOLLOW_UP_PROCESS ? undefined : await props.api.get<TaskContext>(`/tasks/${props.taskKey}/context`);
    setTask(t);
    setContext(c);
  }).catch((e: unknown) => setError(messageOf(e)));

  useEffect(() => {
    // "Next task" opens another task on this same page: start it afresh.
    setDone(undefined);
    setTask(undefined);
    setContext(undefined);
    setError(undefined);
    void load();
  }, [props.taskKey]);
  // A refusal is read where the person acted: focus moves to it.
  useEffect(() => {
    const alert = errorBox.current?.querySelector<HTMLElement>('[role="alert"]');
    if (!error || !alert || !focusError.current) return;
    focusError.current = false;
    alert.tabIndex = -1;
    alert.focus();
  }, [error]);
  useEffect(() => {
    if (task) document.title = `${task.name} · ${task.claim?.reference ?? ''} · Claims staff`;
  }, [task?.name]);

  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await what();
      await load();
    } catch (e) {
      focusError.current = true;
      setError(messageOf(e));
      // Someone else may have taken the task meanwhile: show who has it now.
      await load();
    } finally {
      setBusy(false);
      // Claim and Unclaim replace each other: focus stays on the buttons, not lost to the page (a refusal takes it instead).
      // Only focus the pressed button took with it is brought back: someone already at work in the form (a drop-down
      // opened the moment the task became theirs) keeps it, and the drop-down stays open.
      if (!focusError.current) window.requestAnimationFrame(() => focusLost() && actions.current?.querySelector<HTMLElement>('button')?.focus());
    }
  };
  const complete = async () => {
    const result = form.current?.submit();
    if (!result) {
      setError('Some fields need your attention; they are marked in the form.');
      // The first field at fault takes the focus, where the person fixes it.
      window.requestAnimationFrame(() => document.querySelector<HTMLElement>('.form-view .fjs-has-errors input, .form-view .fjs-has-errors select, .form-view .fjs-has-errors textarea')?.focus());
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`/tasks/${props.taskKey}/completion`, { variables: result.data });
      setDone(`${task?.name ?? 'Task'} completed.`);
    } catch (e) {
      focusError.current = true;
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (done) return <TaskDone api={props.api} message={done} after={props.taskKey} />;
  if (task?.processDefinitionId === FOLLOW_UP_PROCESS) return <FollowUpTaskPage task={task} />;
  if (task?.elementId === UNDERWRITING_TASK) return <UnderwritingTaskPage api={props.api} task={task} username={props.username} reload={load} />;
  if (!task || !context) return error ? <ErrorMessage error={error} /> : <Loading what="the task" />;
  const mine = task.assignee === props.username;
  const open = task.state === 'CREATED';
  const { claim } = context;
  // Bank details are changed from the claim; on the "Fix payment details" task the form sits with the work.
  const fixTask = task.elementId === 'fix-payment-details' && open;
  const paymentDetails = props.fixesPayments ? <div class="card"><PaymentDetailsForm api={props.api} claimId={claim.id} userTaskKey={fixTask ? task.userTaskKey : undefined} /></div> : null;
  return (
    <>
      <p><Link href="/staff/">← Tasks</Link></p>
      <h1>{task.name} <span class="muted">· {claim.reference}</span></h1>
      <div class="task-layout">
        <section class="card task-work" aria-labelledby="form-title">
          <h2 id="form-title">Your work</h2>
          <dl class="facts">
            <dt>Assignee</dt><dd data-testid="assignee">{task.assignee ?? 'nobody yet'}</dd>
            <dt>Due</dt><dd>{dateTime(task.dueDate)} {task.overdue ? <span class="badge overdue">Overdue</span> : null}</dd>
            <dt>Priority</dt><dd>{task.priority}</dd>
            <dt>Groups</dt><dd>{task.candidateGroups.join(', ') || '—'}</dd>
          </dl>
          <div class="actions" ref={actions}>
            {open && !task.assignee ? <button type="button" disabled={busy} onClick={() => void act(() => props.api.post(`/tasks/${props.taskKey}/assignment`))}>Claim</button> : null}
            {open && mine ? <button type="button" class="secondary" disabled={busy} onClick={() => void act(() => props.api.delete(`/tasks/${props.taskKey}/assignment`))}>Unclaim</button> : null}
            {open && task.assignee && !mine ? <span class="muted">Assigned to {task.assignee}.</span> : null}
            {!open ? <span class="muted">This task is {words(task.state)}.</span> : null}
          </div>
          <AssessmentSummaryCard assessment={context.assessment} />
          <InformationThread answers={context.informationAnswers} openQuestion={claim.informationRequested} waiting={claim.status === 'information-requested'} />
          <ClaimLimits coverage={context.policy?.coverage} items={claim.items} currency={claim.currency} />
          {fixTask ? paymentDetails : null}
          {schema ? <FormView schema={schema} data={formData} readOnly={!open || !mine} onReady={(handle) => (form.current = handle)} /> : <p>This task has no form.</p>}
          <div ref={errorBox}><ErrorMessage error={error} /></div>
          {open && mine ? <div class="actions"><button type="button" disabled={busy} onClick={() => void complete()}>Complete task</button></div> : null}
        </section>
        <section class="card task-documents" aria-labelledby="documents-title">
          <h2 id="documents-title">Documents</h2>
          {claim.documents.length ? <ul>{claim.documents.map((d, index) => <DocumentPreview key={d.id} api={props.api} document={d} initiallyOpen={index === 0} />)}</ul> : <p>No documents.</p>}
        </section>
        <section class="task-context" aria-labelledby="claim-title">
          <div class="card">
            <h2 id="claim-title">Claim {claim.reference} <span class={`badge status-${claim.status}`} data-testid="claim-status">{staffStatus(claim.status)}</span>{claim.technicalDelay ? <> <span class="badge overdue" data-testid="claim-incident" title="The claim's process is stopped on an open incident; the client is told of a technical delay">Incident open</span></> : null}</h2>
            <dl class="facts">
              <dt>Client</dt><dd>{task.claim?.customerName ?? '—'}</dd>
              <dt>Sent</dt><dd>{date(claim.submittedAt)}</dd>
              <dt>Claimed</dt><dd>{money(claim.totalClaimed, claim.currency)}</dd>
              {claim.totalApproved !== null ? (<><dt>Approved</dt><dd>{money(claim.totalApproved, claim.currency)}</dd></>) : null}
              {moneyMoved(claim.status) && claim.totalPaid !== null ? (<><dt>Paid</dt><dd>{money(claim.totalPaid, claim.currency)}</dd></>) : null}
            </dl>
            <ClaimItems items={claim.items} currency={claim.currency} />
            <Breakdown lines={claim.breakdown} currency={claim.currency} paid={moneyMoved(claim.status)} caption="How the reimbursement is calculated" />
          </div>
          {fixTask ? null : paymentDetails}
          <div class="card">
            <h2>Fraud screening {context.fraud.score !== null ? <span class="muted">score {context.fraud.score}</span> : null}</h2>
            {context.fraud.flags?.length ? (
              <ul class="flags">{context.fraud.flags.map((flag, index) => <li key={index}><strong>{words(flag.code ?? flag.signal ?? 'signal')}</strong>{flag.weight !== undefined ? ` (+${flag.weight})` : ''}: {flag.reason}</li>)}</ul>
            ) : <p>No fraud signals.</p>}
          </div>
          {context.policy ? (
            <div class="card">
              <h2>Policy {context.policy.number}</h2>
              <p>{context.policy.product} · {context.policy.status} · {date(context.policy.startsOn)} to {date(context.policy.endsOn)}</p>
              <p>Left this policy year: <strong>{money(context.policy.coverage.annualRemaining, claim.currency)}</strong> of {money(context.policy.coverage.annualLimit, claim.currency)}; deductible left {money(context.policy.coverage.deductibleRemaining, claim.currency)}.</p>
            </div>
          ) : null}
          <div class="card">
            <h2>Earlier claims of this client</h2>
            {context.earlierClaims.length ? (
              <table class="data"><thead><tr><th scope="col">Claim</th><th scope="col">Sent</th><th scope="col">Status</th><th scope="col" class="num">Claimed</th><th scope="col" class="num">Paid</th></tr></thead>
                <tbody>{context.earlierClaims.map((c) => <tr key={c.id}><td data-label="Claim">{c.reference}</td><td data-label="Sent">{date(c.submittedAt)}</td><td data-label="Status">{staffStatus(c.status)}</td><td class="num" data-label="Claimed">{money(c.totalClaimed, claim.currency)}</td><td class="num" data-label="Paid">{moneyMoved(c.status) ? money(c.totalPaid, claim.currency) : '—'}</td></tr>)}</tbody>
              </table>
            ) : <p>None.</p>}
          </div>
          <div class="card">
            <h2>Where the claim stands</h2>
            <DiagramView xml={context.diagram.xml} current={context.diagram.activeElementIds} done={context.diagram.completedElementIds} />
          </div>
          <div class="card"><StaffTimeline entries={claim.timeline} /></div>
        </section>
      </div>
    </>
  );
}

/**
 * Whether nothing on the page has the focus any more (the element that had it was removed), or only a
 * document preview has it that the person did not give it: the browser's PDF viewer takes it when it
 * finishes loading. A preview the person tabbed into or clicked keeps it.
 */
function focusLost(): boolean {
  const active = document.activeElement;
  if (!active || active === document.body || !active.isConnected) return true;
  return active.tagName === 'OBJECT' && active.closest('.preview') !== null && !active.hasAttribute(FOCUS_GIVEN_ATTRIBUTE);
}
