import { calculateBenefit } from './benefit-calculation';
import { type ItemAssessment } from './claim-validation';
import { clientText } from './decline-claim.step';
import { type JobStep, required } from './job-step';

/**
 * "Calculate benefit": applies limits, deductible and co-insurance to the
 * accepted items and records the breakdown. The client reads the adjuster's
 * reason written for them (`clientReason`), never the note for the file.
 */
export const calculateBenefitStep: JobStep = {
  type: 'claim-calculate-benefit',
  variables: ['claimId', 'items', 'clientReason'],
  async run(job, { portal }) {
    const claimId = required(job, 'claimId');
    const assessments = required<ItemAssessment[]>(job, 'items', Array.isArray);
    const file = await portal.claim(claimId);
    const result = calculateBenefit(file, assessments);
    const reason = clientText(job.variables.clientReason);
    await portal.updateClaim(claimId, { items: result.decisions, breakdown: result.breakdown, totalApproved: result.totalPayable, ...(reason ? { decisionNote: reason } : {}), message: 'We have calculated what your policy pays for each item.' });
    return { variables: { totalPayable: result.totalPayable, currency: file.claim.currency } };
  },
};
