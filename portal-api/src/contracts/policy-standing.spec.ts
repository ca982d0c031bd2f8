import { shareErrors } from './beneficiary-shares';
import { refusalOn, statusOn, withPeriod, type StatusPeriod } from './policy-standing';

const policy = { startsOn: '2026-01-01', endsOn: '2026-12-31' };
const history: StatusPeriod[] = [
  { status: 'active', effectiveFrom: '2026-01-01', effectiveTo: '2026-03-31' },
  { status: 'lapsed', effectiveFrom: '2026-04-01', effectiveTo: '2026-04-30' },
  { status: 'active', effectiveFrom: '2026-05-01', effectiveTo: '2026-06-30' },
  { status: 'suspended', effectiveFrom: '2026-07-01', effectiveTo: '2026-07-15' },
  { status: 'active', effectiveFrom: '2026-07-16', effectiveTo: '2026-09-30' },
  { status: 'cancelled', effectiveFrom: '2026-10-01', effectiveTo: null },
];

describe('where a policy stood on a care date', () => {
  it('covers care only on days of an active period inside the policy dates', () => {
    expect(refusalOn(policy, history, '2026-03-31')).toBeNull();
    expect(refusalOn(policy, history, '2026-04-01')).toBe('POLICY_LAPSED');
    expect(refusalOn(policy, history, '2026-04-30')).toBe('POLICY_LAPSED');
    expect(refusalOn(policy, history, '2026-05-01')).toBeNull();
    expect(refusalOn(policy, history, '2026-07-10')).toBe('POLICY_SUSPENDED');
    expect(refusalOn(policy, history, '2026-10-01')).toBe('POLICY_CANCELLED');
    expect(refusalOn(policy, history, '2027-02-01')).toBe('POLICY_CANCELLED');
  });

  it('without a history: in force from start to end, not before, not after', () => {
    expect(refusalOn(policy, [], '2025-12-31')).toBe('POLICY_INACTIVE');
    expect(refusalOn(policy, [], '2026-01-01')).toBeNull();
    expect(refusalOn(policy, [], '2026-12-31')).toBeNull();
    expect(refusalOn(policy, [], '2027-01-01')).toBe('POLICY_INACTIVE');
    expect(statusOn(policy, [], '2025-12-31')).toBe('pending');
    expect(statusOn(policy, [], '2027-01-01')).toBe('expired');
  });

  it('an expired period after the end names the expiry; an active period beyond the dates covers nothing', () => {
    expect(refusalOn(policy, [{ status: 'expired', effectiveFrom: '2027-01-01', effectiveTo: null }], '2027-03-01')).toBe('POLICY_EXPIRED');
    expect(refusalOn(policy, [{ status: 'active', effectiveFrom: '2026-01-01', effectiveTo: null }], '2027-03-01')).toBe('POLICY_INACTIVE');
    expect(statusOn(policy, history, '2026-04-15')).toBe('lapsed');
  });
});

describe('beneficiary shares', () => {
  it('are whole percent adding up to 100, naming the field at fault', () => {
    expect(shareErrors([50, 30, 20])).toEqual([]);
    expect(shareErrors([100])).toEqual([]);
    expect(shareErrors([50, 40])).toEqual([{ name: 'beneficiaries', reason: 'shares must add up to 100 %, but add up to 90 %' }]);
    expect(shareErrors([50, 49.5, 0.5])).toEqual([
      { name: 'beneficiaries[1].sharePercent', reason: 'must be a whole percent from 1 to 100' },
      { name: 'beneficiaries[2].sharePercent', reason: 'must be a whole percent from 1 to 100' },
    ]);
    expect(shareErrors([])).toEqual([{ name: 'beneficiaries', reason: 'must name at least one beneficiary' }]);
  });
});

describe('laying a state over the history', () => {
  it('splits the period it falls in and keeps the days around it', () => {
    const lapsed = withPeriod(policy, [], { status: 'lapsed', effectiveFrom: '2026-04-01', effectiveTo: '2026-04-30' });
    expect(lapsed).toEqual([
      { status: 'active', effectiveFrom: '2026-01-01', effectiveTo: '2026-03-31' },
      { status: 'lapsed', effectiveFrom: '2026-04-01', effectiveTo: '2026-04-30' },
      { status: 'active', effectiveFrom: '2026-05-01', effectiveTo: null },
    ]);
    const cancelled = withPeriod(policy, lapsed, { status: 'cancelled', effectiveFrom: '2026-04-15', effectiveTo: null });
    expect(cancelled).toEqual([
      { status: 'active', effectiveFrom: '2026-01-01', effectiveTo: '2026-03-31' },
      { status: 'lapsed', effectiveFrom: '2026-04-01', effectiveTo: '2026-04-14' },
      { status: 'cancelled', effectiveFrom: '2026-04-15', effectiveTo: null },
    ]);
  });
});
