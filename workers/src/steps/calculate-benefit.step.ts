import { type ItemAssessment } from './claim-validation';
import { clientText } from './decline-claim.step';
import { type JobStep, required } from './job-step';

/**
 * "Calculate benefit": the portal calculates, under a lock on the policy,
 * what the policy pays for each item and stores the breakdown, which reserves
 * the limits and deductible it uses (see the root README, "How a benefit is
 * calculated"). A retried job recalculates and replaces the claim's own
 * figures. Only the decisions are sent, each naming its item.
 * The client reads the adjuster's reason written for them (`clientReason`),
 * never the note for the file.
 */
export const calculateBenefitStep: JobStep = {
  type: 'claim-calculate-benefit',
  variables: ['claimId', 'items', 'clientReason'],
  async run(job, { portal }) {
    const claimId = required(job, 'claimId');
    const assessments = required<ItemAssessment[]>(job, 'items', Array.isArray);
    const note = clientText(job.variables.clientReason);
    const result = await portal.calculateBenefit(claimId, {
      items: assessments.map((a) => ({ ...(a.itemId ? { itemId: a.itemId } : {}), decision: a.decision, approvedAmount: a.approvedAmount ?? null, reasonCode: a.reasonCode ?? null })),
      ...(note ? { decisionNote: note } : {}),
    });
    return { variables: { totalPayable: result.totalPayable, currency: result.currency } };
  },
};
