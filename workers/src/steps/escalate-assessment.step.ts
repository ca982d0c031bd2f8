import { type TaskChangeSet } from '@camunda8/sdk/dist/c8/lib/C8Dto';
import { formatDateTime } from '../notifications/dates';
import { type JobStep, required } from './job-step';

export const ESCALATION_GROUP = 'manager';
export const ESCALATED_PRIORITY = 90;

/**
 * "Alert managers", when the assessment passes its due date: the open task
 * gets high priority and the managers as candidates (the adjusters keep it),
 * and the managers' mailbox gets the task link. The client sees nothing.
 */
export const escalateAssessmentStep: JobStep = {
  type: 'claim-escalate',
  variables: ['claimId', 'claimReference'],
  async run(job, { engine, portal, notifier }) {
    const claimId = required(job, 'claimId');
    const reference = typeof job.variables.claimReference === 'string' ? job.variables.claimReference : claimId;
    const open = await engine.searchUserTasks({ filter: { processInstanceKey: job.processInstanceKey, elementId: 'assess-claim', state: 'CREATED' }, page: { from: 0, limit: 10 } });
    for (const task of open.items) {
      const groups = [...new Set([...(task.candidateGroups ?? []), ESCALATION_GROUP])];
      await engine.updateUserTask({ userTaskKey: task.userTaskKey, changeset: { candidateGroups: groups, priority: ESCALATED_PRIORITY } as TaskChangeSet });
      await notifier.toStaff({
        dedupKey: `escalated:${task.userTaskKey}`,
        claimId,
        group: ESCALATION_GROUP,
        userTaskKey: task.userTaskKey,
        template: 'assessment-overdue',
        values: { reference, due: formatDateTime(task.dueDate) || 'earlier', assignee: task.assignee ?? '' },
      });
    }
    await portal.updateClaim(claimId, { message: 'The assessment is overdue; the managers have been alerted.', visibleToClient: false });
    return { variables: {} };
  },
};
