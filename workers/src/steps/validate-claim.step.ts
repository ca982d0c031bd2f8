import { validateClaim } from './claim-validation';
import { InstanceStoodDown, type JobStep, required } from './job-step';

/**
 * "Check claim against policy": decides each item, records declines with
 * reasons, and says what is missing. A claim reaches the process only when
 * its client submits it, with its receipts already attached, so validation
 * sees every document at once and asks for what is missing straight away.
 *
 * As the process's first step it also records which instance carries the
 * claim (the message start does not tell the portal). Should a second
 * instance ever start for a claim, it finds the claim taken and cancels
 * itself before doing anything.
 */
export const validateClaimStep: JobStep = {
  type: 'claim-validate',
  variables: ['claimId'],
  async run(job, { portal, engine }) {
    const claimId = required(job, 'claimId');
    if (!(await portal.recordProcessInstance(claimId, job.processInstanceKey))) {
      await engine.cancelProcessInstance({ processInstanceKey: job.processInstanceKey });
      throw new InstanceStoodDown(`Claim ${claimId} is carried by another process instance; instance ${job.processInstanceKey} cancelled itself.`);
    }
    const file = await portal.claim(claimId);
    const result = validateClaim(file);
    await portal.updateClaim(claimId, {
      ...(file.claim.status === 'validating' ? {} : { status: 'validating' }),
      items: file.items.map((item) => {
        const declined = result.declined.find((d) => d.id === item.id);
        return declined ? { id: item.id, status: 'rejected', reasonCode: declined.reasonCode } : { id: item.id, status: 'pending' };
      }),
      informationRequested: null,
      informationDue: null,
    });
    return {
      variables: {
        validationOutcome: result.outcome,
        items: result.items,
        rejectedItemCount: result.declined.length,
        missingDocuments: result.missingDocuments,
        informationRequest: null,
      },
    };
  },
};
