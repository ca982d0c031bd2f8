import { type ItemAssessment } from './claim-validation';
import { type JobStep, required } from './job-step';

/**
 * "Calculate benefit": the portal calculates, under a lock on the policy,
 * what the policy pays for each item and stores the breakdown, which reserves
 * the limits and deductible it uses (see the root README, "How a benefit is
 * calculated"). A retried job recalculates and replaces the claim's own
 * figures. Only the decisions are sent, each naming its item.
 */
export const calculateBenefitStep: JobStep = {
  type: 'claim-calculate-benefit',
  variables: ['claimId', 'items', 'decisionNote'],
  async run(job, { portal }) {
    const claimId = required(job, 'claimId');
    const assessments = required<ItemAssessment[]>(job, 'items', Array.isArray);
    const note = typeof job.variables.decisionNote === 'string' && job.variables.decisionNote.trim() ? job.variables.decisionNote : undefined;
    const result = await portal.calculateBenefit(claimId, {
      items: assessments.map((a) => ({ ...(a.itemId ? { itemId: a.itemId } : {}), decision: a.decision, approvedAmount: a.approvedAmount ?? null, reasonCode: a.reasonCode ?? null })),
      ...(note ? { decisionNote: note } : {}),
    });
    return { variables: { totalPayable: result.totalPayable, currency: result.currency } };
  },
};
