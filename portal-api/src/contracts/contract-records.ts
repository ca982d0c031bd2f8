import { type EntityManager } from 'typeorm';
import { fromCents, toCents } from '../benefits/cents';
import { Policy } from '../customers/policy.entity';
import { PolicyMember } from './policy-member.entity';
import { PolicyRenewal } from './policy-renewal.entity';
import { PolicyStatusPeriod } from './policy-status-period.entity';
import { PolicyVersion } from './policy-version.entity';

/** A policy with everything its contract view and its changes read. */
export interface ContractRecords {
  readonly policy: Policy;
  readonly periods: PolicyStatusPeriod[];
  readonly versions: PolicyVersion[];
  readonly members: PolicyMember[];
  readonly renewals: PolicyRenewal[];
}

export async function loadContract(manager: EntityManager, policyId: string, options: { lock?: boolean } = {}): Promise<ContractRecords | null> {
  // The lock every change of this policy queues on, the same row lock the benefit calculation takes.
  if (options.lock) await manager.query('SELECT id FROM policy WHERE id = $1 FOR UPDATE', [policyId]);
  const policy = await manager.getRepository(Policy).findOne({ where: { id: policyId }, relations: { benefits: true } });
  if (!policy) return null;
  const [periods, versions, members, renewals] = await Promise.all([
    manager.getRepository(PolicyStatusPeriod).find({ where: { policyId }, order: { effectiveFrom: 'ASC' } }),
    manager.getRepository(PolicyVersion).find({ where: { policyId }, order: { effectiveFrom: 'ASC' } }),
    manager.getRepository(PolicyMember).find({ where: { policyId }, order: { effectiveFrom: 'ASC', fullName: 'ASC' } }),
    manager.getRepository(PolicyRenewal).find({ where: { policyId }, order: { termEndsOn: 'ASC' } }),
  ]);
  return { policy, periods, versions, members, renewals };
}

/** The terms a policy with no version rows is on: its own row, from start to end, as issued. */
export function issuedTerms(policy: Policy, dependantsAtStart: number): Omit<PolicyVersion, 'id' | 'recordedAt'> {
  return {
    policyId: policy.id,
    version: 1,
    kind: 'issued',
    effectiveFrom: policy.startsOn,
    effectiveTo: null,
    productVersionId: policy.productVersionId,
    annualDeductibleCents: toCents(policy.annualDeductible),
    insuredCount: 1 + dependantsAtStart,
    yearlyPremiumCents: null,
    periodPremiumCents: null,
    adjustmentCents: 0,
    breakdown: null,
    change: 'Policy issued',
    recordedBy: 'system',
  };
}

/** The version in force on `date` (the first one before the first version's start: the policy as issued). */
export function versionOn<T extends Pick<PolicyVersion, 'effectiveFrom' | 'effectiveTo'>>(versions: readonly T[], date: string): T | undefined {
  return versions.find((v) => v.effectiveFrom <= date && (v.effectiveTo === null || date <= v.effectiveTo)) ?? (versions[0] && date < versions[0].effectiveFrom ? versions[0] : versions.at(-1));
}

/** People on the policy on `date`, of one kind. */
export function membersOn(members: readonly PolicyMember[], kind: PolicyMember['kind'], date: string): PolicyMember[] {
  return members.filter((m) => m.kind === kind && m.effectiveFrom <= date && (m.effectiveTo === null || date <= m.effectiveTo));
}

/**
 * The policy as the benefit calculation and coverage read it for care on
 * `date`: the deductible of the terms in force that day (a mid-term change of
 * deductible applies to care from its effective day). A policy with no
 * versions is returned as it is.
 */
export async function policyOnDate(manager: EntityManager, policy: Policy, date: string): Promise<Policy> {
  const versions = await manager.getRepository(PolicyVersion).find({ where: { policyId: policy.id }, order: { effectiveFrom: 'ASC' } });
  return policyWithTermsOn(policy, versions, date);
}

/** `policyOnDate` from the policy's versions (oldest first) already read. */
export function policyWithTermsOn(policy: Policy, versions: readonly Pick<PolicyVersion, 'effectiveFrom' | 'effectiveTo' | 'annualDeductibleCents'>[], date: string): Policy {
  const terms = versionOn(versions, date);
  if (!terms) return policy;
  return Object.assign(Object.create(Object.getPrototypeOf(policy) as object) as Policy, policy, { annualDeductible: fromCents(terms.annualDeductibleCents) });
}
