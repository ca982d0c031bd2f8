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

  test('subtracts what was paid and borne this year, never below zero', () => {
    const coverage = coverageOf(policy, { from: '2026-01-01', to: '2026-12-31' }, { paidByCareCode: new Map([['GP_VISIT', 320.5], ['DENTAL', 100]]), deductibleUsed: 60 });
    expect(coverage).toMatchObject({ annualUsed: 420.5, annualRemaining: 579.5, deductibleUsed: 60, deductibleRemaining: 40 });
    expect(coverage.benefits.map((b) => [b.careCode, b.used, b.remaining, b.coveredFrom])).toEqual([
      ['DENTAL', 100, 700, '2026-06-30'],
      ['GP_VISIT', 320.5, 0, '2026-01-01'],
    ]);
  });
});
