import { type Policy } from './policy.entity';

/** A policy's terms as the API shows them (coverage is added by the caller, for the date it needs). */
export function policyView(policy: Policy) {
  return {
    id: policy.id,
    number: policy.number,
    product: policy.product,
    status: policy.status,
    startsOn: policy.startsOn,
    endsOn: policy.endsOn,
    currency: policy.currency,
    annualDeductible: policy.annualDeductible,
    coinsuranceRate: policy.coinsuranceRate,
    annualLimit: policy.annualLimit,
  };
}
