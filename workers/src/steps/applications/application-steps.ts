import { Temporal } from 'temporal-polyfill';
import { formatDate } from '../../notifications/dates';
import { formatMoney, fromCents } from '../money';
import { ModelError, required, type JobStep, type StepJob } from '../job-step';
import { combineHits, parseHits, type RuleHit } from './application-rules';

/** How long an offer holds once made. */
export const OFFER_VALIDITY = 'P30D';
export const ELIGIBILITY_DECISION = 'application-eligibility';
export const UNDERWRITING_DECISION = 'underwriting-rules';

interface RuleInputs {
  readonly yearlyPremiumCents: number;
  readonly insuredCount: number;
  readonly people: readonly { role: string; age: number; bmi: number; smoker: boolean; chronicCondition: boolean; hospitalisedLastFiveYears: boolean; ongoingTreatment: boolean }[];
}

function inFromNow(duration: string): string {
  return Temporal.Now.zonedDateTimeISO('UTC').add(Temporal.Duration.from(duration)).toInstant().toString();
}

/**
 * "Apply eligibility and underwriting rules": each person's facts from the
 * portal go to the two decision tables through the engine's decision
 * evaluation (not as process variables: the answers stay out of the
 * process); the combined outcome is recorded on the application and only it
 * and its reason codes are handed to the diagram.
 */
export const assessApplicationStep: JobStep = {
  type: 'application-assess',
  variables: ['applicationId'],
  async run(job, { portal, engine }) {
    const applicationId = required(job, 'applicationId');
    const inputs = await portal.application<RuleInputs>('GET', applicationId, 'rule-inputs');
    const hits: RuleHit[] = [];
    for (const person of inputs.people) {
      for (const [decisionDefinitionId, variables] of [
        [ELIGIBILITY_DECISION, { role: person.role, age: person.age, insuredCount: inputs.insuredCount }],
        [UNDERWRITING_DECISION, { bmi: person.bmi, smoker: person.smoker, chronicCondition: person.chronicCondition, hospitalisedLastFiveYears: person.hospitalisedLastFiveYears, ongoingTreatment: person.ongoingTreatment }],
      ] as const) {
        const evaluation = await engine.evaluateDecision({ decisionDefinitionId, variables });
        if (evaluation.failureMessage) throw new ModelError(`Decision ${decisionDefinitionId} failed: ${evaluation.failureMessage}`);
        hits.push(...parseHits(decisionDefinitionId, evaluation.output));
      }
    }
    const { outcome, reasonCodes } = combineHits(hits);
    await portal.application('POST', applicationId, 'assessment', { outcome, reasonCodes, processInstanceKey: job.processInstanceKey });
    return { variables: { applicationOutcome: outcome, reasonCodes } };
  },
};

/**
 * "Ask client for information": the underwriter's question and its deadline
 * (INFORMATION_DEADLINE), for the timer. The question is the portal's (kept
 * on the application when the underwriter completed their task): free text
 * about the applicant's health is never a process variable.
 */
export const requestApplicationInformationStep: JobStep = {
  type: 'application-request-information',
  variables: ['applicationId', 'informationKind'],
  async run(job, { portal, settings, notifier }) {
    const applicationId = required(job, 'applicationId');
    const kind = job.variables.informationKind === 'medical-exam' ? 'medical-exam' : 'information';
    const due = inFromNow(settings.informationDeadline);
    await portal.application('POST', applicationId, 'information-request', { kind, due });
    // One mail per request (an underwriter may ask again after an answer); a retried job finds it sent.
    await notifier.toApplicant({
      dedupKey: `application:${applicationId}:information:${job.elementInstanceKey}`,
      applicationId,
      template: 'application-information-requested',
      values: (a) => ({ reference: a.reference, product: a.product.name, question: a.informationRequest?.question ?? '', exam: kind === 'medical-exam', due: formatDate(due) }),
    });
    return { variables: { informationDue: due } };
  },
};

/** "Make offer": valid for OFFER_VALIDITY, the date the diagram's timer waits for. */
export const makeOfferStep: JobStep = {
  type: 'application-offer',
  variables: ['applicationId'],
  async run(job, { portal, notifier }) {
    const applicationId = required(job, 'applicationId');
    // A retried job finds the offer made and keeps its date.
    const made = await portal.application<{ validUntil: string }>('POST', applicationId, 'offer', { validUntil: inFromNow(OFFER_VALIDITY) });
    await notifier.toApplicant({
      dedupKey: `application:${applicationId}:offer`,
      applicationId,
      template: 'application-offered',
      values: (a) => ({ reference: a.reference, product: a.product.name, startsOn: formatDate(a.startsOn), yearly: formatMoney(fromCents(a.yearlyPremiumCents), a.currency), validUntil: formatDate(made.validUntil) }),
    });
    return { variables: { offerValidUntil: made.validUntil } };
  },
};

/**
 * Which reasons a decline gives: the diagram's (header), the underwriter's, or
 * the rules'. The underwriter's words for the client are on the application
 * already (the portal kept them when they completed their task).
 */
export function declineReasons(job: Pick<StepJob, 'variables' | 'customHeaders'>): { reasonCodes: string[] } {
  const v = job.variables;
  if (job.customHeaders.reasonCode) return { reasonCodes: [job.customHeaders.reasonCode] };
  if (v.underwritingDecision === 'decline' && typeof v.declineReasonCode === 'string' && v.declineReasonCode) return { reasonCodes: [v.declineReasonCode] };
  if (Array.isArray(v.reasonCodes) && v.reasonCodes.length > 0) return { reasonCodes: v.reasonCodes as string[] };
  throw new ModelError('A decline reached "Decline application" without a reason code.');
}

export const declineApplicationStep: JobStep = {
  type: 'application-decline',
  variables: ['applicationId', 'reasonCodes', 'underwritingDecision', 'declineReasonCode'],
  async run(job, { portal, notifier }) {
    const applicationId = required(job, 'applicationId');
    await portal.application('POST', applicationId, 'decline', declineReasons(job));
    // The reasons as the client reads them on the extranet (the portal words the codes), never the codes themselves.
    await notifier.toApplicant({
      dedupKey: `application:${applicationId}:declined`,
      applicationId,
      template: 'application-declined',
      values: (a) => ({ reference: a.reference, product: a.product.name, reasons: a.declineReasons }),
    });
    return { variables: {} };
  },
};

/** "Expire offer": the portal expires it unless the client accepted first. */
export const expireOfferStep: JobStep = {
  type: 'application-expire-offer',
  variables: ['applicationId'],
  async run(job, { portal }) {
    const answer = await portal.application<{ expired: boolean }>('POST', required(job, 'applicationId'), 'expiry');
    return { variables: { offerExpired: answer.expired } };
  },
};

/** "Issue policy": once, whatever retries (the portal finds the policy issued before). */
export const issuePolicyStep: JobStep = {
  type: 'application-issue-policy',
  variables: ['applicationId'],
  async run(job, { portal, notifier }) {
    const applicationId = required(job, 'applicationId');
    const issued = await portal.application<{ policyId: string; policyNumber: string }>('POST', applicationId, 'policy');
    await notifier.toApplicant({
      dedupKey: `application:${applicationId}:policy-issued`,
      applicationId,
      template: 'application-policy-issued',
      values: (a) => ({ product: a.product.name, policyNumber: issued.policyNumber, startsOn: formatDate(a.startsOn) }),
      link: notifier.policyLink(issued.policyId),
    });
    return { variables: { policyId: issued.policyId, policyNumber: issued.policyNumber } };
  },
};

/** Every job type of the policy-application diagram. */
export const APPLICATION_STEPS: readonly JobStep[] = [assessApplicationStep, requestApplicationInformationStep, makeOfferStep, declineApplicationStep, expireOfferStep, issuePolicyStep];
