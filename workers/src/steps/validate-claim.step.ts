import { validateClaim } from './claim-validation';
import { type JobStep, required } from './job-step';

/** "Check claim against policy": decides each item, records declines with reasons, and says what is missing. */
export const validateClaimStep: JobStep = {
  type: 'claim-validate',
  variables: ['claimId'],
  async run(job, { portal }) {
    const claimId = required(job, 'claimId');
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
