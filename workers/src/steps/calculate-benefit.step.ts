import { calculateBenefit } from './benefit-calculation';
import { type ItemAssessment } from './claim-validation';
import { type JobStep, required } from './job-step';

/** "Calculate benefit": applies limits, deductible and co-insurance to the accepted items and records the breakdown. */
export const calculateBenefitStep: JobStep = {
  type: 'claim-calculate-benefit',
  variables: ['claimId', 'items', 'decisionNote'],
  async run(job, { portal }) {
    const claimId = required(job, 'claimId');
    const assessments = required<ItemAssessment[]>(job, 'items', Array.isArray);
    const file = await portal.claim(claimId);
    const result = calculateBenefit(file, assessments);
    const note = typeof job.variables.decisionNote === 'string' && job.variables.decisionNote.trim() ? job.variables.decisionNote : undefined;
    await portal.updateClaim(claimId, { items: result.decisions, breakdown: result.breakdown, totalApproved: result.totalPayable, ...(note ? { decisionNote: note } : {}), message: 'We have calculated what your policy pays for each item.' });
    return { variables: { totalPayable: result.totalPayable, currency: file.claim.currency } };
  },
};
