import { type ClaimFile, type ClaimUpdate } from '../portal/portal-types';
import { declineClaimStep } from './decline-claim.step';
import { type StepContext, type StepJob } from './job-step';

/**
 * The decline step against a recording stand-in of the portal (the step's
 * only collaborator here): which reason lands on which item, and which text
 * the client reads.
 */
function run(variables: Record<string, unknown>) {
  const updates: ClaimUpdate[] = [];
  const file = {
    claim: { id: 'c1', status: 'in-review' },
    items: [
      { id: 'item-b', lineNumber: 2, reasonCode: null },
      { id: 'item-a', lineNumber: 1, reasonCode: null },
    ],
  } as unknown as ClaimFile;
  const portal = {
    claim: () => Promise.resolve(file),
    updateClaim: (_: string, update: ClaimUpdate) => {
      updates.push(update);
      return Promise.resolve();
    },
  };
  const job = { jobKey: '1', processInstanceKey: '2', elementId: 'decline', elementInstanceKey: '3', variables: { claimId: 'c1', ...variables }, customHeaders: {}, retries: 3 } satisfies StepJob;
  return declineClaimStep.run(job, { portal } as unknown as StepContext).then(() => updates);
}

describe('the decline step', () => {
  test('matches the adjuster\'s rows to items by itemId, whatever their order', async () => {
    const [update] = await run({
      assessment: 'decline',
      clientReason: 'Not covered by your policy.',
      items: [
        { itemId: 'item-b', decision: 'decline', reasonCode: 'NOT_COVERED' },
        { itemId: 'item-a', decision: 'decline', reasonCode: 'DUPLICATE' },
      ],
    });
    expect(update!.items).toEqual([
      { id: 'item-a', status: 'rejected', reasonCode: 'DUPLICATE', approvedAmount: 0 },
      { id: 'item-b', status: 'rejected', reasonCode: 'NOT_COVERED', approvedAmount: 0 },
    ]);
  });

  test('rows of an instance started before rows carried an itemId still match, by position', async () => {
    const [update] = await run({ assessment: 'decline', items: [{ decision: 'decline', reasonCode: 'DUPLICATE' }, { decision: 'decline', reasonCode: 'NOT_COVERED' }] });
    expect(update!.items!.map((i) => [i.id, i.reasonCode])).toEqual([['item-a', 'DUPLICATE'], ['item-b', 'NOT_COVERED']]);
  });

  test('the client reads the reason written for them, never the note for the file', async () => {
    const [byAdjuster] = await run({ assessment: 'decline', clientReason: '  Not covered by your policy.  ', decisionNote: 'FILE-ONLY', items: [] });
    expect(byAdjuster!.decisionNote).toBe('Not covered by your policy.');
    const [byManager] = await run({ paymentApproved: 'decline', approvalClientReason: 'A second review found no cover.', approvalNote: 'FILE-ONLY', clientReason: 'stale' });
    expect(byManager!.decisionNote).toBe('A second review found no cover.');
    const [byInvestigator] = await run({ investigationOutcome: 'fraud-confirmed', investigationFindings: 'FILE-ONLY', decisionNote: 'FILE-ONLY' });
    expect(byInvestigator).not.toHaveProperty('decisionNote');
    expect(byInvestigator!.items!.map((i) => i.reasonCode)).toEqual(['FRAUD_SUSPECTED', 'FRAUD_SUSPECTED']);
  });
});
