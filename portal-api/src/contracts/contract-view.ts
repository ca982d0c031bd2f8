import { toCents } from '../benefits/cents';
import { policyView } from '../customers/policy-view';
import { todayUtc } from '../products/quote-dates';
import { issuedTerms, membersOn, type ContractRecords } from './contract-records';
import { statusOn } from './policy-standing';

/**
 * A policy's contract as people read it: where it stands today and its
 * history, the terms over time (endorsements) with their premiums, the
 * dependants and beneficiaries, and the renewal offer. `audience` 'client'
 * leaves out what is for the file only (why a state was set, who recorded it).
 */
export function contractView(records: ContractRecords, audience: 'client' | 'staff', today = todayUtc()) {
  const { policy, periods, versions, members, renewals } = records;
  const staff = audience === 'staff';
  const terms = versions.length > 0 ? versions : [{ ...issuedTerms(policy, membersOn(members, 'dependant', policy.startsOn).length), id: null, recordedAt: null }];
  const offer = renewals.at(-1);
  const history = periods.length > 0 ? periods : [{ status: 'active' as const, effectiveFrom: policy.startsOn, effectiveTo: null, reason: 'Policy issued', recordedBy: 'system' }];
  return {
    policy: { ...policyView(policy), annualDeductibleCents: toCents(policy.annualDeductible), region: policy.region, paymentFrequency: policy.paymentFrequency, statusToday: statusOn(policy, periods, today) },
    statusHistory: history.map((p) => ({ status: p.status, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo, ...(staff ? { reason: p.reason, recordedBy: p.recordedBy } : {}) })),
    versions: terms.map((v) => ({
      version: v.version,
      kind: v.kind,
      effectiveFrom: v.effectiveFrom,
      effectiveTo: v.effectiveTo,
      change: v.change,
      annualDeductibleCents: v.annualDeductibleCents,
      insuredCount: v.insuredCount,
      yearlyPremiumCents: v.yearlyPremiumCents,
      periodPremiumCents: v.periodPremiumCents,
      adjustmentCents: v.adjustmentCents,
      ...(staff ? { breakdown: v.breakdown, recordedBy: v.recordedBy } : {}),
    })),
    dependants: members.filter((m) => m.kind === 'dependant').map((m) => ({ id: m.id, fullName: m.fullName, relationship: m.relationship, birthDate: m.birthDate, effectiveFrom: m.effectiveFrom, effectiveTo: m.effectiveTo })),
    beneficiaries: members.filter((m) => m.kind === 'beneficiary').map((m) => ({ id: m.id, fullName: m.fullName, relationship: m.relationship, sharePercent: m.sharePercent, effectiveFrom: m.effectiveFrom, effectiveTo: m.effectiveTo })),
    renewal: offer
      ? {
          id: offer.id,
          status: offer.status,
          termEndsOn: offer.termEndsOn,
          newEndsOn: offer.newEndsOn,
          annualDeductibleCents: offer.annualDeductibleCents,
          insuredCount: offer.insuredCount,
          yearlyPremiumCents: offer.yearlyPremiumCents,
          periodPremiumCents: offer.periodPremiumCents,
          breakdown: offer.breakdown,
          offeredAt: offer.offeredAt.toISOString(),
          decidedAt: offer.decidedAt?.toISOString() ?? null,
          /** The client may decline until the term ends. */
          declinable: offer.status === 'offered' && today <= offer.termEndsOn,
        }
      : null,
  };
}

export type ContractView = ReturnType<typeof contractView>;
