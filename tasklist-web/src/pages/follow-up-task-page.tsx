import { dateTime } from '@claims/portal-web/common/format';
import { Link } from '@claims/portal-web/common/router';
import { type TaskWithForm } from '../task-types';

/** The process whose tasks this page serves (bpmn/customer-follow-up.bpmn). */
export const FOLLOW_UP_PROCESS = 'customer-follow-up';

/**
 * A follow-up task opened from the task list (or its email): it is about a
 * customer, not a claim, so it leads to the customer's page, where the call
 * and everything else about them is, and where it is closed with its outcome
 * (which completes this task).
 */
export function FollowUpTaskPage(props: { task: TaskWithForm }) {
  const customerId = typeof props.task.variables.customerId === 'string' ? props.task.variables.customerId : undefined;
  const overdue = props.task.elementId === 'overdue-follow-up';
  return (
    <article aria-labelledby="follow-up-task-title">
      <p><Link href="/staff/">← Tasks</Link></p>
      <h1 id="follow-up-task-title">{props.task.name}</h1>
      <p>
        {overdue ? 'The agent did not follow up in time: it is yours now, as a team lead. ' : ''}
        Due {dateTime(props.task.dueDate)}{props.task.assignee ? ` · ${props.task.assignee}` : ` · ${props.task.candidateGroups.join(', ')}`}.
      </p>
      {customerId ? <p><Link href={`/staff/customers/${customerId}`}>Open the customer's page</Link> to read the call, contact them and close the follow-up with its outcome.</p> : <p>The customer of this follow-up is not known.</p>}
    </article>
  );
}
