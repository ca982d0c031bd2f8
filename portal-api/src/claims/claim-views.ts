import { type ClaimDocument } from '../documents/document.entity';
import { type Payout } from '../payouts/payout.entity';
import { type ClaimEvent } from './claim-event.entity';
import { type PaymentDateEstimate } from '../dashboards/payment-date-estimate';
import { type Claim } from './claim.entity';
import { careWords } from './care-wording';
import { REASON_WORDING, STATUS_WORDING } from './claim-status';

/**
 * A claim as the API shows it; `forClient` leaves out what only staff see.
 * `estimatedPayment` (the claim page only) is an estimate from measured
 * durations, absent once the claim is paid or declined or when too few
 * claims compare (PaymentDateEstimates).
 */
export function claimView(claim: Claim, options: { forClient: boolean; estimatedPayment?: PaymentDateEstimate | null }) {
  return {
    id: claim.id,
    reference: claim.reference,
    status: claim.status,
    statusText: STATUS_WORDING[claim.status],
    policyId: claim.policyId,
    customerId: claim.customerId,
    currency: claim.currency,
    totalClaimed: claim.totalClaimed,
    totalApproved: claim.totalApproved,
    totalPaid: claim.totalPaid,
    description: claim.description,
    submittedAt: claim.submittedAt.toISOString(),
    updatedAt: claim.updatedAt.toISOString(),
    informationRequested: claim.informationRequested,
    informationDue: claim.informationDue?.toISOString() ?? null,
    decisionNote: claim.decisionNote,
    intakeChannel: claim.intakeChannel,
    ...(options.estimatedPayment === undefined ? {} : { estimatedPayment: options.estimatedPayment }),
    items: [...(claim.items ?? [])]
      .sort((a, b) => a.lineNumber - b.lineNumber)
      .map((item) => ({
        id: item.id,
        lineNumber: item.lineNumber,
        serviceDate: item.serviceDate,
        providerName: item.providerName,
        providerId: item.providerId,
        careCode: item.careCode,
        careLabel: careWords(item.careCode),
        description: item.description,
        invoiceNumber: item.invoiceNumber,
        amount: item.amount,
        status: item.status,
        reasonCode: item.reasonCode,
        reason: item.reasonCode ? (REASON_WORDING[item.reasonCode] ?? item.reasonCode) : null,
        approvedAmount: item.approvedAmount,
      })),
    // Each line's note (a reason code) also in the words a client reads.
    breakdown: claim.breakdown.map((line) => ({ ...line, reason: line.note ? (REASON_WORDING[line.note] ?? line.note) : null })),
    ...(options.forClient ? {} : { processInstanceKey: claim.processInstanceKey, fraudScore: claim.fraudScore, fraudFlags: claim.fraudFlags, filedByAgent: claim.filedByAgent }),
  };
}

export function timelineView(events: readonly ClaimEvent[]) {
  return events.map((event) => ({ id: event.id, at: event.at.toISOString(), kind: event.kind, status: event.status, message: event.message, actor: event.actor }));
}

export function documentView(document: ClaimDocument) {
  const versions = [...(document.versions ?? [])].sort((a, b) => b.version - a.version);
  const current = versions[0];
  return {
    id: document.id,
    claimId: document.claimId,
    type: document.type,
    name: document.name,
    currentVersion: document.currentVersion,
    mediaType: current?.mediaType,
    size: current?.size,
    createdAt: document.createdAt.toISOString(),
    versions: versions.map((v) => ({ version: v.version, mediaType: v.mediaType, size: v.size, sha256: v.sha256, fileName: v.fileName, uploadedAt: v.uploadedAt.toISOString(), uploadedBy: v.uploadedBy })),
  };
}

export function payoutView(payout: Payout) {
  return {
    id: payout.id,
    claimId: payout.claimId,
    attemptKey: payout.attemptKey,
    amount: payout.amount,
    currency: payout.currency,
    status: payout.status,
    accountHint: payout.accountHint,
    providerReference: payout.providerReference,
    rejectionReason: payout.rejectionReason,
    createdAt: payout.createdAt.toISOString(),
  };
}
