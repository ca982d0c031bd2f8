import { Temporal } from 'temporal-polyfill';
import { missingDocumentsQuestion } from './claim-validation';
import { formatDate } from '../notifications/dates';
import { type JobStep, required } from './job-step';

/**
 * "Ask client for information": records the question and the deadline on the
 * claim, tells the client by email and SMS, and hands the deadline to the
 * diagram's timer (informationDue). The adjuster's question wins over the
 * documents validation found missing.
 */
export const requestInformationStep: JobStep = {
  type: 'claim-request-information',
  variables: ['claimId', 'customerId', 'claimReference', 'informationRequest', 'missingDocuments'],
  async run(job, { portal, notifier, settings }) {
    const claimId = required(job, 'claimId');
    const customerId = required(job, 'customerId');
    const v = job.variables;
    const question =
      typeof v.informationRequest === 'string' && v.informationRequest.trim()
        ? v.informationRequest.trim()
        : Array.isArray(v.missingDocuments) && v.missingDocuments.length > 0
          ? missingDocumentsQuestion(v.missingDocuments as string[])
          : 'Please send us any documents that support this request.';
    const file = await portal.claim(claimId);
    const due = Temporal.Now.zonedDateTimeISO('UTC').add(Temporal.Duration.from(settings.informationDeadline)).toInstant().toString();
    // A retried job (the status is set already) updates the deadline without a second timeline entry.
    await portal.updateClaim(claimId, { ...(file.claim.status === 'information-requested' ? {} : { status: 'information-requested' }), informationRequested: question, informationDue: due });
    await notifier.toClient({
      dedupKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
      claimId,
      customerId,
      template: 'information-requested',
      channels: ['email', 'sms'],
      values: { reference: file.claim.reference, question, due: formatDate(due) },
    });
    return { variables: { informationDue: due, informationRequest: null } };
  },
};
