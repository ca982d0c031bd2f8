import { recordCollection } from '../../metrics';
import { formatDate } from '../../notifications/dates';
import { type CollectionChargeRequest } from '../../portal/collection-types';
import { type JobStep, ModelError, NotYet, required, type StepContext } from '../job-step';
import { formatMoney, fromCents } from '../money';

/**
 * The job types of bpmn/premium-collection.bpmn. The portal keeps every fact
 * (the case, its attempts and dates, the invoice and the ledger); the process
 * carries ids, the attempt number and the decline's kind and code. A charge
 * goes to the provider under the attempt's key, so a retried job (a worker
 * crash after the provider answered) asks again with the same key and is
 * answered without a second charge.
 */
export const planCollectionStep: JobStep = {
  type: 'premium-collection-plan',
  variables: ['invoiceId'],
  async run(job, { portal }) {
    const plan = await portal.collectionPlan(required(job, 'invoiceId'), job.processInstanceKey);
    if (!plan.planned) return { variables: { planned: false, notPlannedBecause: plan.why } };
    const { planned, ...facts } = plan;
    return { variables: { planned, ...facts } };
  },
};

/** A charge already in flight for the invoice (the client's "Pay now"): look again shortly. */
const BUSY_RETRY_MS = 5_000;

async function charge(request: CollectionChargeRequest, { portal, collections }: StepContext) {
  const { attemptId, ...toProvider } = request;
  const outcome = await collections.collect(toProvider);
  const answer = await portal.recordCollectionOutcome(attemptId, outcome);
  if (!answer.replayed) recordCollection(request.method.kind, outcome.status, outcome.status === 'declined' ? outcome.kind : null);
  return answer;
}

export const collectPremiumStep: JobStep = {
  type: 'premium-collection-collect',
  variables: ['invoiceId', 'attempt'],
  async run(job, context) {
    const invoiceId = required(job, 'invoiceId');
    const attempt = required<number>(job, 'attempt', (v) => Number.isInteger(v) && (v as number) >= 1);
    const opening = await context.portal.openCollectionAttempt(invoiceId, attempt);
    if (opening.status === 'settled') return { variables: { collected: true } };
    if (opening.status === 'busy') throw new NotYet(`Another charge of invoice ${invoiceId} is in flight.`, BUSY_RETRY_MS);
    if (opening.status === 'declined') return { variables: { collected: false, declineKind: opening.declineKind, declineCode: opening.declineCode } };
    const answer = await charge(opening.request, context);
    context.logger.info({ invoiceId, attempt, collected: answer.collected, declineCode: answer.declineCode }, 'premium collection attempted');
    return { variables: answer.collected ? { collected: true } : { collected: false, declineKind: answer.declineKind, declineCode: answer.declineCode } };
  },
};

/** The client's "Pay now": the attempt the portal opened; its outcome is the portal's to act on (paid: the case hears premium-invoice-paid). */
export const payNowStep: JobStep = {
  type: 'premium-collection-pay-now',
  variables: ['payNowAttemptId'],
  async run(job, context) {
    const request = await context.portal.collectionAttempt(required(job, 'payNowAttemptId'));
    await charge(request, context);
    return { variables: {} };
  },
};

const TEMPLATES = new Set(['premium-payment-failed', 'premium-last-reminder', 'premium-policy-lapsed', 'premium-policy-reinstated', 'premium-written-off']);

/** The case's messages to the client (header `template`), email and SMS, each once per element instance. */
export const notifyCollectionStep: JobStep = {
  type: 'premium-collection-notify',
  variables: ['invoiceId'],
  async run(job, { notifier, portal }) {
    const template = job.customHeaders.template;
    if (!template || !TEMPLATES.has(template)) throw new ModelError(`The send task ${job.elementId} has no known "template" header.`);
    const invoiceId = required(job, 'invoiceId');
    const notice = await portal.collectionNotice(invoiceId);
    await notifier.toPolicyholder({
      dedupKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
      policyId: notice.policyId,
      customerId: notice.customerId,
      template,
      link: notifier.invoiceLink(invoiceId),
      values: {
        invoiceNumber: notice.invoiceNumber,
        policyNumber: notice.policyNumber,
        amount: formatMoney(fromCents(template === 'premium-policy-reinstated' ? notice.totalCents : notice.openCents), notice.currency),
        reason: notice.reason,
        dueOn: formatDate(notice.dueOn),
        graceEndsOn: formatDate(notice.graceEndsOn),
        lapsesOn: formatDate(notice.lapsesOn),
        reinstatableUntil: formatDate(notice.reinstatableUntil),
        reinstatedOn: notice.reinstatedOn ? formatDate(notice.reinstatedOn) : '',
      },
    });
    return { variables: {} };
  },
};

export const lapsePolicyStep: JobStep = {
  type: 'premium-collection-lapse',
  variables: ['invoiceId'],
  async run(job, { portal }) {
    const { lapsed } = await portal.collectionStep<{ lapsed: boolean }>(required(job, 'invoiceId'), 'lapse');
    return { variables: { lapsed } };
  },
};

export const reinstatePolicyStep: JobStep = {
  type: 'premium-collection-reinstate',
  variables: ['invoiceId'],
  async run(job, { portal }) {
    const { reinstated } = await portal.collectionStep<{ reinstated: boolean }>(required(job, 'invoiceId'), 'reinstatement');
    return { variables: { reinstated } };
  },
};

export const writeOffStep: JobStep = {
  type: 'premium-collection-write-off',
  variables: ['invoiceId'],
  async run(job, { portal }) {
    const { writtenOff } = await portal.collectionStep<{ writtenOff: boolean }>(required(job, 'invoiceId'), 'write-off');
    return { variables: { writtenOff } };
  },
};

export const COLLECTION_STEPS: readonly JobStep[] = [planCollectionStep, collectPremiumStep, payNowStep, notifyCollectionStep, lapsePolicyStep, reinstatePolicyStep, writeOffStep];
