import { coverageOf, policyYearOf } from './coverage';
import { type Policy } from './policy.entity';

describe('policy years', () => {
  test('run from an anniversary of the start to the day before the next', () => {
    expect(policyYearOf({ startsOn: '2024-03-15' }, '2026-03-14')).toEqual({ from: '2025-03-15', to: '2026-03-14' });
    expect(policyYearOf({ startsOn: '2024-03-15' }, '2026-03-15')).toEqual({ from: '2026-03-15', to: '2027-03-14' });
    expect(policyYearOf({ startsOn: '2024-03-15' }, '2024-03-15')).toEqual({ from: '2024-03-15', to: '2025-03-14' });
  });
});

describe('coverage', () => {
  const policy = {
    startsOn: '2026-01-01',
    annualLimit: 1000,
    annualDeductible: 100,
    benefits: [
      { careCode: 'GP_VISIT', label: 'GP', perItemLimit: 50, annualLimit: 300, waitingPeriodDays: 0, requiredDocuments: ['receipt'] },
      { careCode: 'DENTAL', label: 'Dental', perItemLimit: 400, annualLimit: 800, waitingPeriodDays: 180, requiredDocuments: [] },
    ],
  } as unknown as Policy;

  test('counts care limits on eligible amounts, the annual limit on what is paid, never below zero', () => {
    const coverage = coverageOf(policy, { from: '2026-01-01', to: '2026-12-31' }, { eligibleByCare: new Map([['GP_VISIT', 32050], ['DENTAL', 10000]]), deductible: 6000, paid: 28040 });
    expect(coverage).toMatchObject({ annualUsed: 280.4, annualRemaining: 719.6, deductibleUsed: 60, deductibleRemaining: 40 });
    expect(coverage.benefits.map((b) => [b.careCode, b.used, b.remaining, b.coveredFrom])).toEqual([
      ['DENTAL', 100, 700, '2026-06-30'],
      ['GP_VISIT', 320.5, 0, '2026-01-01'],
    ]);
  });
});
