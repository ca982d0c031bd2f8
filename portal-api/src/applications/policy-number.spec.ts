import fc from 'fast-check';
import { policyNumberFor } from './issue-policy';

describe('policyNumberFor', () => {
  test('two applications never issue the same number (APP-000001 and APP-100001 once both gave POL-900001)', () => {
    expect(policyNumberFor('APP-000001')).toBe('POL-9000001');
    expect(policyNumberFor('APP-100001')).toBe('POL-9100001');
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 99_999_999 }), (a, b) => {
      const ref = (n: number) => `APP-${String(n).padStart(6, '0')}`;
      return a === b || policyNumberFor(ref(a)) !== policyNumberFor(ref(b));
    }));
  });
});
