import { type JobStep, required } from './job-step';
import { formatMoney } from './money';

export const PAYOUT_REJECTED = 'PAYOUT_REJECTED';

/**
 * "Pay benefit": pays totalPayable once. The attempt key is this visit of the
 * task (its element instance), so a retried job, or one handed out again after
 * its worker died, is the same payment to the provider and the same payout
 * record; a new visit after the payment details were fixed is a new attempt.
 * The portal pays a claim at most once whatever the keys. A payout the
 * provider refuses is recorded and raised as the BPMN error the diagram
 * catches.
 */
export const payBenefitStep: JobStep = {
  type: 'claim-pay',
  variables: ['claimId', 'claimReference', 'totalPayable'],
  async run(job, { portal, payments }) {
    const claimId = required(job, 'claimId');
    const amount = required<number>(job, 'totalPayable', (v) => typeof v === 'number' && v >= 0);
    const file = await portal.claim(claimId);
    const currency = file.claim.currency;
    if (amount === 0) {
      await portal.updateClaim(claimId, { status: 'paid', message: 'Nothing is payable for this request: the accepted amounts are within your deductible or your limits.' });
      return { variables: { payoutReference: null } };
    }
    if (file.claim.status !== 'payment-pending' && file.claim.status !== 'paid') await portal.updateClaim(claimId, { status: 'payment-pending' });
    const attemptKey = `${claimId}:${job.elementInstanceKey}`;
    const details = await portal.paymentDetails(claimId);
    const outcome = await payments.pay({ idempotencyKey: attemptKey, amount, currency, accountHolder: details.accountHolder, iban: details.iban, reference: `Claim ${file.claim.reference}` });
    const { payout } = await portal.recordPayout(claimId, outcome.status === 'paid' ? { attemptKey, amount, status: 'paid', providerReference: outcome.providerReference } : { attemptKey, amount, status: 'rejected', rejectionReason: outcome.reason });
    if (payout.status === 'rejected') {
      return { bpmnError: { code: PAYOUT_REJECTED, message: payout.rejectionReason ?? 'The payout was rejected.', variables: { payoutRejection: payout.rejectionReason } } };
    }
    if (file.claim.status !== 'paid') {
      const account = details.iban ? ` into the account ending ${details.iban.replace(/\s/g, '').slice(-4)}` : '';
      await portal.updateClaim(claimId, { status: 'paid', message: `We have paid ${formatMoney(payout.amount, currency)}${account}.` });
    }
    return { variables: { payoutReference: payout.providerReference, payoutRejection: null } };
  },
};
