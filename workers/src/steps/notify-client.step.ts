import { formatDate } from '../notifications/dates';
import { type Channel } from '../notifications/notifier';
import { careWords } from '@claims/portal-api/src/claims/care-wording';
import { REASON_WORDING } from '@claims/portal-api/src/claims/claim-status';
import { lineReason } from '../notifications/nothing-payable';
import { type JobStep, ModelError, required } from './job-step';
import { formatMoney } from './money';

/**
 * The diagram's "Tell client: …" send tasks. Headers name the template, the
 * channels (email, sms) and, where the step changes what the client sees, the
 * claim's new status, recorded before the message goes out.
 */
export const notifyClientStep: JobStep = {
  type: 'claim-notify',
  variables: ['claimId', 'customerId', 'informationDue'],
  async run(job, { portal, notifier }) {
    const claimId = required(job, 'claimId');
    const customerId = required(job, 'customerId');
    const header = job.customHeaders.template;
    if (!header) throw new ModelError(`The send task ${job.elementId} has no "template" header.`);
    const channels = (job.customHeaders.channels ?? 'email').split(',').map((c) => c.trim()).filter((c): c is Channel => c === 'email' || c === 'sms');
    const status = job.customHeaders.status;
    // The claim and its items are all a message tells: the summary, not the whole file.
    let file = await portal.claimSummary(claimId);
    if (status && file.claim.status !== status) {
      await portal.updateClaim(claimId, { status });
      file = await portal.claimSummary(claimId);
    }
    // "Tell client: paid" follows the pay step also when nothing was payable: then the truthful message is that one.
    const template = header === 'claim-paid' && file.claim.status === 'closed-nothing-payable' ? 'claim-nothing-payable' : header;
    const currency = file.claim.currency;
    const money = (amount: number | null) => (amount === null ? '' : formatMoney(amount, currency));
    const breakdown = file.claim.breakdown ?? [];
    await notifier.toClient({
      dedupKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
      claimId,
      customerId,
      template,
      channels,
      values: {
        reference: file.claim.reference,
        claimed: money(file.claim.totalClaimed),
        payable: money(file.claim.totalApproved),
        paid: money(file.claim.totalApproved),
        due: typeof job.variables.informationDue === 'string' ? formatDate(job.variables.informationDue) : '',
        reasons: [...new Set(file.items.filter((i) => i.status === 'rejected' && i.reasonCode).map((i) => `Item ${i.lineNumber} (${careWords(i.careCode).toLowerCase()}): ${REASON_WORDING[i.reasonCode!] ?? i.reasonCode}`))],
        note: file.claim.decisionNote ?? '',
        lines: breakdown.map((line) => ({ label: line.label, claimed: money(line.claimed), paid: money(line.paid), note: line.note ? (REASON_WORDING[line.note] ?? line.note) : '', why: lineReason(line, money) })),
      },
    });
    return { variables: {} };
  },
};
