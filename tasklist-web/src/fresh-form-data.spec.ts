import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withoutDecisions } from './fresh-form-data';

const form = (name: string): unknown => JSON.parse(readFileSync(path.join(__dirname, '../../forms', `${name}.form`), 'utf8'));

describe('the data a task form starts from', () => {
  it('opens a second assessment with the first one\'s choices gone and what the task shows kept', () => {
    // What the process holds when the claim comes back after a request for information.
    const variables = {
      claimReference: 'CLM-2026-000007', totalClaimed: 180, currency: 'EUR', fraudScore: 10,
      informationQuestion: 'Please send the prescription.', informationAnswer: 'Attached.',
      items: [
        { itemId: 'i-1', label: 'Specialist, 3 Nov', amount: 120, decision: 'accept', approvedAmount: null, reasonCode: null },
        { itemId: 'i-2', label: 'Medicines, 4 Nov', amount: 60, decision: 'decline', approvedAmount: null, reasonCode: 'MISSING_DOCUMENT' },
      ],
      assessment: 'request-information', informationRequest: 'Please send the prescription.', clientReason: 'x', decisionNote: 'Asked for the prescription.',
    };
    expect(withoutDecisions(form('assess-claim'), variables)).toEqual({
      claimReference: 'CLM-2026-000007', totalClaimed: 180, currency: 'EUR', fraudScore: 10,
      informationQuestion: 'Please send the prescription.', informationAnswer: 'Attached.',
      items: [
        { itemId: 'i-1', label: 'Specialist, 3 Nov', amount: 120 },
        { itemId: 'i-2', label: 'Medicines, 4 Nov', amount: 60 },
      ],
    });
  });

  it('preselects no payment decision for the approver, and leaves the variables it was given alone', () => {
    const variables = { claimReference: 'CLM-1', paymentApproved: 'approve', approvalNote: 'old' };
    expect(withoutDecisions(form('approve-payment'), variables)).toEqual({ claimReference: 'CLM-1' });
    expect(variables.paymentApproved).toBe('approve');
  });

  it('keeps everything for a task without a form', () => {
    expect(withoutDecisions(null, { a: 1 })).toEqual({ a: 1 });
  });
});
