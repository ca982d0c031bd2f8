import { type ItemDecision } from '../portal/portal-types';
import { type ItemAssessment, itemsInOrder } from './claim-validation';
import { type JobStep, required } from './job-step';

/**
 * "Decline claim": records the decline and a reason per item. Which step
 * declined decides the reason: the manager (after review), the investigator
 * (fraud), the adjuster (the reasons chosen per item), or validation (its
 * reason codes, already on the items).
 */
export const declineClaimStep: JobStep = {
  type: 'claim-decline',
  variables: ['claimId', 'items', 'paymentApproved', 'approvalNote', 'investigationOutcome', 'assessment', 'decisionNote'],
  async run(job, { portal }) {
    const claimId = required(job, 'claimId');
    const v = job.variables;
    const file = await portal.claim(claimId);
    const items = itemsInOrder(file);
    const assessments = Array.isArray(v.items) ? (v.items as ItemAssessment[]) : [];
    let decide: (index: number) => string;
    let note: string | null = null;
    if (v.paymentApproved === 'decline') {
      decide = () => 'ADJUSTER_DECISION';
      note = typeof v.approvalNote === 'string' ? v.approvalNote : null;
    } else if (v.investigationOutcome === 'fraud-confirmed') {
      decide = () => 'FRAUD_SUSPECTED';
    } else if (v.assessment === 'decline') {
      decide = (index) => assessments[index]?.reasonCode ?? 'ADJUSTER_DECISION';
      note = typeof v.decisionNote === 'string' ? v.decisionNote : null;
    } else {
      decide = (index) => items[index]?.reasonCode ?? assessments[index]?.reasonCode ?? 'NOT_COVERED';
    }
    const decisions: ItemDecision[] = items.map((item, index) => ({ id: item.id, status: 'rejected', reasonCode: decide(index), approvedAmount: 0 }));
    if (file.claim.status !== 'rejected') await portal.updateClaim(claimId, { status: 'rejected', items: decisions, totalApproved: 0, ...(note ? { decisionNote: note } : {}) });
    return { variables: {} };
  },
};
