import { type InvalidParam } from '../http/problem';

/**
 * Beneficiaries' shares are whole percent, each at least 1, together exactly
 * 100: what is paid out is split without a remainder nobody owns. Answers the
 * fields at fault (empty when the shares are right).
 */
export function shareErrors(shares: readonly number[], field = 'beneficiaries'): InvalidParam[] {
  if (shares.length === 0) return [{ name: field, reason: 'must name at least one beneficiary' }];
  const errors: InvalidParam[] = [];
  shares.forEach((share, i) => {
    if (!Number.isSafeInteger(share) || share < 1 || share > 100) errors.push({ name: `${field}[${i}].sharePercent`, reason: 'must be a whole percent from 1 to 100' });
  });
  const total = shares.reduce((sum, share) => sum + share, 0);
  if (errors.length === 0 && total !== 100) errors.push({ name: field, reason: `shares must add up to 100 %, but add up to ${total} %` });
  return errors;
}
