import { type ClaimFile, type CoverageView } from '../portal/portal-types';
import { validateClaim } from './claim-validation';

/** Validation's item decisions: each names its item, and each item is checked in the policy year of its own date. */
describe('claim validation', () => {
  const gp = { careCode: 'GP_VISIT', label: 'General practitioner visit', perItemLimit: 100, annualLimit: 300, waitingPeriodDays: 0, requiredDocuments: ['receipt'] };
  const year = (from: string, to: string, gpRemaining: number): CoverageView => ({
    policyYear: { from, to },
    annualLimit: 10_000,
    annualRemaining: 10_000,
    deductible: 100,
    deductibleRemaining: 100,
    benefits: [{ ...gp, used: 300 - gpRemaining, remaining: gpRemaining, coveredFrom: '2025-01-01' }],
  });
  const item = (id: string, lineNumber: number, serviceDate: string) => ({ id, lineNumber, serviceDate, providerName: 'Dr. A', providerId: null, careCode: 'GP_VISIT', description: null, invoiceNumber: null, amount: 50, status: 'pending' as const, reasonCode: null, approvedAmount: null });
  const lastYear = year('2025-01-01', '2025-12-31', 0);
  const file = {
    claim: { id: 'c', reference: 'CLM-1', status: 'validating', currency: 'EUR', totalClaimed: 100, totalApproved: null, submittedAt: '2026-01-10T00:00:00Z', fraudScore: null, processInstanceKey: null, breakdown: null, decisionNote: null },
    items: [item('item-b', 2, '2026-01-05'), item('item-a', 1, '2025-12-20')],
    documents: [{ id: 'd', type: 'receipt', name: 'r.pdf' }],
    policy: { id: 'p', number: 'POL-1', status: 'active', startsOn: '2025-01-01', endsOn: null, currency: 'EUR', annualDeductible: 100, coinsuranceRate: 0.8, annualLimit: 10_000, benefits: [gp], coverage: lastYear, coverageByYear: [lastYear, year('2026-01-01', '2026-12-31', 300)] },
    customer: { id: 'u', fullName: 'A', email: 'a@example.com', phone: null, hasPaymentDetails: true },
  } satisfies ClaimFile;

  test('items carry their id, in line order', () => {
    expect(validateClaim(file).items.map((i) => [i.itemId, i.label])).toEqual([
      ['item-a', '1. General practitioner visit, 20 Dec 2025'],
      ['item-b', '2. General practitioner visit, 5 Jan 2026'],
    ]);
  });

  test('a yearly limit used up in one policy year does not decline care in the next', () => {
    const result = validateClaim(file);
    expect(result.declined).toEqual([{ id: 'item-a', reasonCode: 'ANNUAL_LIMIT' }]);
    expect(result.items.map((i) => i.decision)).toEqual(['decline', 'accept']);
    expect(result.outcome).toBe('valid');
  });

  test('care on a day the policy was lapsed, suspended or cancelled is declined with that reason; care on an active day is not', () => {
    const standing = (status: 'lapsed' | 'suspended' | 'cancelled') => validateClaim({
      ...file,
      policy: { ...file.policy, statusPeriods: [{ status: 'active', effectiveFrom: '2025-01-01', effectiveTo: '2026-01-01' }, { status, effectiveFrom: '2026-01-02', effectiveTo: null }] },
    });
    expect(standing('lapsed').declined).toEqual([{ id: 'item-a', reasonCode: 'ANNUAL_LIMIT' }, { id: 'item-b', reasonCode: 'POLICY_LAPSED' }]);
    expect(standing('suspended').declined.map((d) => d.reasonCode)).toEqual(['ANNUAL_LIMIT', 'POLICY_SUSPENDED']);
    expect(standing('cancelled').outcome).toBe('rejected');
    expect(validateClaim({ ...file, items: [item('before', 1, '2024-12-31')] }).declined).toEqual([{ id: 'before', reasonCode: 'POLICY_INACTIVE' }]);
  });
});
