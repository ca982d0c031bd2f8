import { type JobStep, required } from './job-step';

/**
 * The job types of bpmn/customer-follow-up.bpmn. The portal keeps the
 * follow-up and decides (internal/follow-ups/{id}/…); each call answers the
 * same when repeated, so a retried job changes nothing twice.
 */
export const recordFollowUpStep: JobStep = {
  type: 'follow-up-record',
  variables: ['followUpId'],
  async run(job, { portal }) {
    const { open } = await portal.followUp<{ open: boolean }>(required(job, 'followUpId'), 'process-instance', { processInstanceKey: job.processInstanceKey });
    // Closed before this instance got here: the diagram ends without opening the agent's task.
    return { variables: { followUpOpen: open } };
  },
};

/**
 * The due date passed: the portal marks the follow-up escalated unless it was
 * closed meanwhile; the diagram then opens the team leads' task, whose
 * opening the task announcements mail to the managers' mailbox.
 */
export const escalateFollowUpStep: JobStep = {
  type: 'follow-up-escalate',
  variables: ['followUpId'],
  async run(job, { portal }) {
    const { escalated, leadsDueAt } = await portal.followUp<{ escalated: boolean; leadsDueAt: string | null }>(required(job, 'followUpId'), 'escalation', {});
    return { variables: escalated ? { escalated, leadsDueAt } : { escalated } };
  },
};

/**
 * A follow-up task was completed: the outcome its form asked for is recorded
 * on the follow-up, by whoever the task was assigned to. Closed from the
 * customer's page, the follow-up is closed already and stays as it is.
 */
export const closeFollowUpStep: JobStep = {
  type: 'follow-up-close',
  variables: ['followUpId', 'outcome'],
  async run(job, { portal, engine }) {
    const outcome = typeof job.variables.outcome === 'string' && job.variables.outcome.trim() !== '' ? job.variables.outcome.trim() : undefined;
    const done = await engine.searchUserTasks({ filter: { processInstanceKey: job.processInstanceKey, state: 'COMPLETED' }, page: { from: 0, limit: 10 } });
    const closedBy = done.items.map((task) => task.assignee).find((assignee): assignee is string => typeof assignee === 'string' && assignee !== '');
    await portal.followUp(required(job, 'followUpId'), 'closure', { outcome, closedBy });
    return { variables: {} };
  },
};

export const FOLLOW_UP_STEPS: readonly JobStep[] = [recordFollowUpStep, escalateFollowUpStep, closeFollowUpStep];
