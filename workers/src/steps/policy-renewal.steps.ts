import { formatDate } from '../notifications/dates';
import { type JobStep, ModelError, required } from './job-step';
import { formatMoney, fromCents } from './money';

/**
 * The job types of bpmn/policy-renewal.bpmn. The portal decides and keeps
 * every fact (internal/policies/{id}/…), each step idempotent per term, so a
 * retried job neither prices twice nor renews twice; the process carries ids,
 * dates and amounts in cents only.
 */
export const planRenewalStep: JobStep = {
  type: 'policy-renewal-plan',
  variables: ['policyId'],
  async run(job, { portal }) {
    const plan = await portal.renewalPlan(required(job, 'policyId'), job.processInstanceKey);
    if (!plan.planned) return { variables: { planned: false, notPlannedBecause: plan.why } };
    return { variables: { planned: true, customerId: plan.customerId, termEndsOn: plan.termEndsOn, offerAt: plan.offerAt, remindAt: plan.remindAt, endsAt: plan.endsAt } };
  },
};

export const priceRenewalStep: JobStep = {
  type: 'policy-renewal-offer',
  variables: ['policyId', 'termEndsOn'],
  async run(job, { portal }) {
    const { offered, renewal } = await portal.renewalOffer(required(job, 'policyId'), required(job, 'termEndsOn'));
    if (!offered || !renewal) return { variables: { offered: false } };
    return {
      variables: {
        offered: true,
        renewalId: renewal.id,
        policyNumber: renewal.policyNumber,
        product: renewal.product,
        currency: renewal.currency,
        newEndsOn: renewal.newEndsOn,
        renewalYearlyPremiumCents: renewal.yearlyPremiumCents,
        renewalPeriodPremiumCents: renewal.periodPremiumCents,
        paymentFrequency: renewal.paymentFrequency,
      },
    };
  },
};

const OFFER_TEMPLATES = new Set(['renewal-offer', 'renewal-reminder']);
const FREQUENCY_WORDS: Record<string, string> = { yearly: 'once a year', 'half-yearly': 'every six months', quarterly: 'each quarter', monthly: 'a month' };

/** The diagram's renewal messages (header `template`): offer, reminder, renewed, expired; each sent once per element instance. */
export const notifyRenewalStep: JobStep = {
  type: 'policy-renewal-notify',
  variables: ['policyId', 'customerId', 'termEndsOn', 'newEndsOn', 'policyNumber', 'product', 'currency', 'renewalYearlyPremiumCents', 'renewalPeriodPremiumCents', 'paymentFrequency'],
  async run(job, { notifier, portal }) {
    const template = job.customHeaders.template;
    if (!template) throw new ModelError(`The send task ${job.elementId} has no "template" header.`);
    const policyId = required(job, 'policyId');
    const termEndsOn = required(job, 'termEndsOn');
    if (OFFER_TEMPLATES.has(template)) {
      // Only an offer that still stands is announced: declined or cancelled meanwhile, the reminder would not be true.
      const { offered, renewal } = await portal.renewalOffer(policyId, termEndsOn);
      if (!offered || renewal?.status !== 'offered') return { variables: {} };
    }
    const currency = typeof job.variables.currency === 'string' ? job.variables.currency : 'EUR';
    const cents = (name: string) => (typeof job.variables[name] === 'number' ? formatMoney(fromCents(job.variables[name]), currency) : '');
    const newEndsOn = typeof job.variables.newEndsOn === 'string' ? job.variables.newEndsOn : termEndsOn;
    const renewsOn = new Date(Date.parse(`${termEndsOn}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    await notifier.toPolicyholder({
      dedupKey: `${job.processInstanceKey}:${job.elementInstanceKey}`,
      policyId,
      customerId: required(job, 'customerId'),
      template,
      values: {
        policyNumber: job.variables.policyNumber ?? '',
        product: job.variables.product ?? 'health',
        termEndsOn: formatDate(termEndsOn),
        renewsOn: formatDate(renewsOn),
        newEndsOn: formatDate(newEndsOn),
        yearly: cents('renewalYearlyPremiumCents'),
        instalment: cents('renewalPeriodPremiumCents'),
        frequency: FREQUENCY_WORDS[String(job.variables.paymentFrequency)] ?? '',
      },
    });
    return { variables: {} };
  },
};

export const renewPolicyStep: JobStep = {
  type: 'policy-renewal-renew',
  variables: ['policyId', 'termEndsOn'],
  async run(job, { portal }) {
    const { renewed, cancelled } = await portal.renew(required(job, 'policyId'), required(job, 'termEndsOn'));
    return { variables: { renewed, cancelled } };
  },
};

export const expirePolicyStep: JobStep = {
  type: 'policy-renewal-expire',
  variables: ['policyId', 'termEndsOn'],
  async run(job, { portal }) {
    const { expired } = await portal.expire(required(job, 'policyId'), required(job, 'termEndsOn'));
    return { variables: { expired } };
  },
};

export const RENEWAL_STEPS: readonly JobStep[] = [planRenewalStep, priceRenewalStep, notifyRenewalStep, renewPolicyStep, expirePolicyStep];
