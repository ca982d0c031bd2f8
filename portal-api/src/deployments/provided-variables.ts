/**
 * The process variables each part of our processes provides, declared where
 * the BPMN cannot show them: a job worker's completion variables, a message's
 * variables and a task form's fields are set by code the diagram only names
 * (by job type, message name, form id). Keep in step with workers/src/steps,
 * portal-api/src/claims/process-starter.ts and forms/.
 */
export const VARIABLES_BY_JOB_TYPE: Readonly<Record<string, readonly string[]>> = {
  'claim-validate': ['validationOutcome', 'items', 'rejectedItemCount', 'missingDocuments', 'informationRequest'],
  'claim-fraud-screen': ['fraudScore', 'fraudSignals'],
  'claim-request-information': ['informationDue', 'informationRequest'],
  'claim-calculate-benefit': ['totalPayable', 'currency'],
  'claim-pay': ['payoutReference', 'payoutRejection'],
  // bpmn/policy-application.bpmn (workers/src/steps/applications/application-steps.ts)
  'application-assess': ['applicationOutcome', 'reasonCodes'],
  'application-request-information': ['informationDue'],
  'application-offer': ['offerValidUntil'],
  'application-decline': [],
  'application-expire-offer': ['offerExpired'],
  'application-issue-policy': ['policyId', 'policyNumber'],
  // bpmn/premium-collection.bpmn (workers/src/steps/billing/premium-collection.steps.ts; the plan's facts are CollectionsService.plan's)
  'premium-collection-plan': [
    'planned', 'notPlannedBecause', 'caseKey', 'invoiceNumber', 'policyId', 'policyNumber', 'customerId', 'currency', 'amountCents',
    'dueOn', 'graceEndsOn', 'lapsesOn', 'reinstatableUntil', 'retryDays', 'lastReminderAt', 'lapseAt', 'writeOffAt', 'attempt',
  ],
  'premium-collection-collect': ['collected', 'declineKind', 'declineCode'],
  'premium-collection-pay-now': [],
  'premium-collection-notify': [],
  'premium-collection-lapse': ['lapsed'],
  'premium-collection-reinstate': ['reinstated'],
  'premium-collection-write-off': ['writtenOff'],
};

export const VARIABLES_BY_MESSAGE: Readonly<Record<string, readonly string[]>> = {
  'claim-submitted': ['claimId', 'claimReference', 'customerId', 'policyId', 'totalClaimed', 'currency'],
  'claim-information-provided': [],
  // portal-api/src/applications/applications.service.ts
  'policy-application-submitted': ['applicationId', 'applicationReference', 'yearlyPremiumCents'],
  'application-information-provided': [],
  'application-offer-accepted': [],
  // portal-api/src/billing/collections (collection-starter.ts, collections.service.ts)
  'premium-collection-start': ['invoiceId', 'policyId'],
  'premium-invoice-paid': ['paidBy'],
  'premium-pay-now': ['payNowAttemptId'],
};

export const VARIABLES_BY_FORM: Readonly<Record<string, readonly string[]>> = {
  'assess-claim': ['assessment', 'items', 'reasonCode', 'clientMessage', 'staffNote', 'informationRequest'],
  'investigate-claim': ['investigationOutcome', 'investigationNote'],
  'approve-payment': ['paymentApproved', 'approvalNote'],
  'fix-payment-details': [],
  // Its free-text fields stay on the application (portal-api/src/tasks/underwriter-words.ts), never variables.
  'underwrite-application': ['underwritingDecision', 'informationKind', 'declineReasonCode'],
};

/** Decisions code evaluates itself (not from a business rule task): the workers', and the portal's quotes (products/premium-pricing.ts), with the variables they pass. */
export const VARIABLES_OF_WORKER_DECISIONS: Readonly<Record<string, readonly string[]>> = {
  'fraud-rule-weights': ['duplicateReceipt', 'soonAfterPolicyStart', 'frequentClaims', 'unusualAmount', 'watchListedProvider'],
  'premium-pricing': ['productCode', 'age', 'region', 'dependants', 'deductibleCents', 'paymentFrequency'],
  // Evaluated per insured person by the application-assess worker, from facts the portal derives (the answers stay in the portal).
  'application-eligibility': ['role', 'age', 'insuredCount'],
  'underwriting-rules': ['bmi', 'smoker', 'chronicCondition', 'hospitalisedLastFiveYears', 'ongoingTreatment'],
  // Evaluated by the portal when a billed policy is cancelled (billing/cancellation-refunds.service.ts).
  'cancellation-refund': ['daysInForce', 'monthsInForce', 'cancellationReason', 'productCode'],
};
