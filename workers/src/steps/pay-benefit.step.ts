import { nothingPayableReasons } from '../notifications/nothing-payable';
import { type JobStep, required } from './job-step';
import { formatMoney } from './money';

export const PAYOUT_REJECTED = 'PAYOUT_REJECTED';

/** Statuses the claim has already passed "approved" in. */
const APPROVED_OR_LATER = new Set(['approved', 'payment-pending', 'payment-failed', 'paid']);

/**
 * "Pay benefit": reaching it means the benefit is approved (within the
 * automatic authority, or by a manager), so the claim becomes `approved`.
 * Then the payout happens once per claim, whatever the process does:
 *
 * 1. the portal records (or answers) the payout intent for the claim, whose
 *    key depends on the claim and the attempt number only, and refuses an
 *    amount other than the approved total the calculation recorded (an
 *    incident at once);
 * 2. if the claim is already paid, nothing is sent to the provider again (a
 *    second process instance, a revisited task, an incident resolved later);
 * 3. else the provider is called with the intent's key (it treats a repeat
 *    as the same payment) and the outcome recorded. A rejection is raised as
 *    the BPMN error the diagram catches; once the details are fixed, the next
 *    visit opens the next attempt.
 *
 * Nothing payable (the total is 0): the claim is closed as
 * `closed-nothing-payable`, saying why, and no payout is made.
 */
export const payBenefitStep: JobStep = {
  type: 'claim-pay',
  variables: ['claimId', 'claimReference', 'totalPayable'],
  async run(job, { portal, payments }) {
    const claimId = required(job, 'claimId');
    const amount = required<number>(job, 'totalPayable', (v) => typeof v === 'number' && v >= 0);
    // The status and the calculated breakdown are what this step reads: the summary, not the whole file.
    const file = await portal.claimSummary(claimId);
    const currency = file.claim.currency;
    if (amount === 0 && file.claim.status !== 'paid') {
      if (file.claim.status !== 'closed-nothing-payable') {
        const why = nothingPayableReasons(file, (value) => formatMoney(value, currency));
        await portal.updateClaim(claimId, { status: 'closed-nothing-payable', message: `We have closed your request: under your policy nothing is payable for it. ${why.join(' ')}`.trim() });
      }
      return { variables: { payoutReference: null } };
    }
    if (!APPROVED_OR_LATER.has(file.claim.status)) await portal.updateClaim(claimId, { status: 'approved', message: `Your request has been approved: we will pay ${formatMoney(amount, currency)}.` });
    const { payout: intent } = await portal.payoutIntent(claimId, amount);
    let payout = intent;
    if (intent.status !== 'paid') {
      if (file.claim.status !== 'payment-pending') await portal.updateClaim(claimId, { status: 'payment-pending' });
      const details = await portal.paymentDetails(claimId);
      const outcome = await payments.pay({ idempotencyKey: intent.attemptKey, amount: intent.amount, currency, accountHolder: details.accountHolder, iban: details.iban, reference: `Claim ${file.claim.reference}` });
      ({ payout } = await portal.recordPayout(claimId, outcome.status === 'paid' ? { attemptKey: intent.attemptKey, amount: intent.amount, status: 'paid', providerReference: outcome.providerReference } : { attemptKey: intent.attemptKey, amount: intent.amount, status: 'rejected', rejectionReason: outcome.reason }));
      if (payout.status === 'rejected') {
        return { bpmnError: { code: PAYOUT_REJECTED, message: payout.rejectionReason ?? 'The payout was rejected.', variables: { payoutRejection: payout.rejectionReason } } };
      }
    }
    if (file.claim.status !== 'paid') {
      const account = payout.accountHint ? ` into the account ending ${payout.accountHint}` : '';
      await portal.updateClaim(claimId, { status: 'paid', message: `We have paid ${formatMoney(payout.amount, currency)}${account}.` });
    }
    return { variables: { payoutReference: payout.providerReference, payoutRejection: null } };
  },
};
