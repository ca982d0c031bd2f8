import { validateClaim } from './claim-validation';
import { type JobStep, NotYet, required } from './job-step';

/**
 * "Check claim against policy": decides each item, records declines with
 * reasons, and says what is missing. A client's receipts are uploaded just
 * after the claim is filed (the process starts on filing), so documents
 * missing from a claim filed moments ago are waited for (the upload grace)
 * before the client is asked for them.
 */
export const validateClaimStep: JobStep = {
  type: 'claim-validate',
  variables: ['claimId'],
  async run(job, { portal, settings }) {
    const claimId = required(job, 'claimId');
    const file = await portal.claim(claimId);
    const result = validateClaim(file);
    const age = Date.now() - Date.parse(file.claim.submittedAt);
    if (result.outcome === 'incomplete' && file.claim.status === 'received' && age < settings.documentUploadGraceMs) {
      throw new NotYet(`Documents missing on a claim filed ${Math.round(age / 1000)} s ago; waiting for uploads.`, Math.min(settings.documentUploadGraceMs - age + 50, 5_000));
    }
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
