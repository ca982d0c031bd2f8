import { type ClaimStatus } from '../claims/claim-status';

/**
 * The service levels the dashboards check, in one place. They are the due
 * dates the claim process gives its user tasks (`zeebe:taskSchedule` in
 * bpmn/claim-reimbursement.bpmn; service-levels.spec.ts keeps the two equal):
 * a claim that stays in a status longer than its task is due is a breach.
 */
export const SERVICE_LEVELS: readonly { readonly status: ClaimStatus; readonly task: string; readonly hours: number }[] = [
  { status: 'in-review', task: 'assess-claim', hours: 2 * 24 },
  { status: 'investigating', task: 'investigate-claim', hours: 5 * 24 },
  { status: 'awaiting-approval', task: 'approve-payment', hours: 24 },
];

/** The team that works each user task: its candidate group in the process. */
export const TASK_TEAMS: Readonly<Record<string, string>> = {
  'assess-claim': 'adjuster',
  'investigate-claim': 'investigator',
  'approve-payment': 'manager',
  'fix-payment-details': 'call-center',
};

export const TEAMS = [...new Set(Object.values(TASK_TEAMS))];

/** Teams the customer-service figures name: the task teams, and the call center, who also work the claims mailbox. */
export const SERVICE_TEAMS = [...new Set([...TEAMS, 'call-center', 'manager'])];
