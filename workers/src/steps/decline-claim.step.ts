import { type ItemDecision } from '../portal/portal-types';
import { type ItemAssessment, itemsInOrder } from './claim-validation';
import { type JobStep, required } from './job-step';

/**
 * "Decline claim": records the decline and a reason per item. Which step
 * declined decides the reason: the manager (after review), the investigator
 * (fraud), the adjuster (the reasons chosen per item), or validation (its
 * reason codes, already on the items). The client reads the reason the
 * decider wrote for them (`approvalClientReason`, `clientReason`); notes for
 * the file stay on the staff history (written when the task was completed).
 */
export const declineClaimStep: JobStep = {
  type: 'claim-decline',
  variables: ['claimId', 'items', 'paymentApproved', 'approvalClientReason', 'investigationOutcome', 'assessment', 'clientReason'],
  async run(job, { portal }) {
    const claimId = required(job, 'claimId');
    const v = job.variables;
    const file = await portal.claim(claimId);
    const items = itemsInOrder(file);
    const assessed = rowsByItem(items, Array.isArray(v.items) ? (v.items as ItemAssessment[]) : []);
    let decide: (itemId: string) => string;
    let reason: string | null = null;
    if (v.paymentApproved === 'decline') {
      decide = () => 'ADJUSTER_DECISION';
      reason = clientText(v.approvalClientReason);
    } else if (v.investigationOutcome === 'fraud-confirmed') {
      decide = () => 'FRAUD_SUSPECTED';
    } else if (v.assessment === 'decline') {
      decide = (itemId) => assessed.get(itemId)?.reasonCode ?? 'ADJUSTER_DECISION';
      reason = clientText(v.clientReason);
    } else {
      decide = (itemId) => items.find((i) => i.id === itemId)?.reasonCode ?? assessed.get(itemId)?.reasonCode ?? 'NOT_COVERED';
    }
    const decisions: ItemDecision[] = items.map((item) => ({ id: item.id, status: 'rejected', reasonCode: decide(item.id), approvedAmount: 0 }));
    if (file.claim.status !== 'rejected') await portal.updateClaim(claimId, { status: 'rejected', items: decisions, totalApproved: 0, ...(reason ? { decisionNote: reason } : {}) });
    return { variables: {} };
  },
};

/** A reason written for the client, or null when there is none. */
export function clientText(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * Rows of the assessment match items by id, never by position. Only rows of
 * instances started before rows carried an id (none has one) fall back to
 * their position, the order the items were listed in.
 */
export function rowsByItem(items: readonly { readonly id: string }[], rows: readonly ItemAssessment[]): Map<string, ItemAssessment> {
  const withIds = rows.filter((row) => typeof row?.itemId === 'string');
  if (withIds.length === 0 && rows.length === items.length) return new Map(items.map((item, index) => [item.id, rows[index]!]));
  return new Map(withIds.map((row) => [row.itemId, row]));
}
