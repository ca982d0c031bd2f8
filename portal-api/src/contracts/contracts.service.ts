import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { CustomersRepository } from '../customers/customers.repository';
import { policyYearOf } from '../customers/coverage';
import { Policy } from '../customers/policy.entity';
import { Problem, type InvalidParam } from '../http/problem';
import { ProductVersion } from '../products/product-version.entity';
import { addDays, todayUtc } from '../products/quote-dates';
import { CancellationRefunds } from '../billing/cancellation-refunds.service';
import { billChangeOnIssuedPeriods, billedBeforeChange } from '../billing/mid-term-billing';
import { shareErrors } from './beneficiary-shares';
import { type BeneficiariesInput, type CancellationInput, type EndorsementInput, type StatusChangeInput } from './contract.dto';
import { ContractPricing } from './contract-pricing';
import { issuedTerms, loadContract, membersOn, versionOn, type ContractRecords } from './contract-records';
import { contractView } from './contract-view';
import { daysIncluded, proRataAdjustmentCents } from './mid-term-pricing';
import { PolicyMember } from './policy-member.entity';
import { statusOn, withPeriod, type StatusPeriod } from './policy-standing';
import { PolicyStatusPeriod } from './policy-status-period.entity';
import { PolicyVersion } from './policy-version.entity';

const ENDED = new Set(['cancelled', 'expired']);

/**
 * Contract administration: the contract view, mid-term changes re-priced
 * from a day, cancellation, suspension, lapse and reinstatement, and
 * beneficiaries. Every change holds the policy's row lock, so two changes of
 * one policy (or a change and a benefit calculation) go one after the other,
 * and is audited in the same transaction.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly pricing: ContractPricing,
    private readonly audit: AuditLog,
    private readonly refunds: CancellationRefunds,
  ) {}

  async forStaff(policyId: string) {
    return contractView(await this.records(this.dataSource.manager, policyId), 'staff');
  }

  /** The client's own policy; another's answers 404 as if absent. */
  async forClient(caller: Principal, policyId: string) {
    return contractView(await this.ownRecords(caller, policyId), 'client');
  }

  async ownRecords(caller: Principal, policyId: string, manager: EntityManager = this.dataSource.manager): Promise<ContractRecords> {
    const customer = await this.customers.bySubject(caller.subject);
    const records = isUuid(policyId) ? await loadContract(manager, policyId) : null;
    if (!customer || !records || records.policy.customerId !== customer.id) throw Problem.notFound('policy', policyId);
    return records;
  }

  /** A mid-term change: adds dependants and/or changes the deductible from `effectiveFrom`, re-priced, with the pro-rata charge or refund. */
  async endorse(staff: Principal, policyId: string, input: EndorsementInput) {
    if (input.deductibleCents === undefined && (input.addDependants ?? []).length === 0) throw Problem.unprocessable('A change needs a new deductible or a dependant to add.', [{ name: 'addDependants', reason: 'or deductibleCents must be given' }]);
    return this.dataSource.transaction(async (manager) => {
      const records = await this.records(manager, policyId, true);
      const { policy, versions, members } = records;
      const today = todayUtc();
      this.refuseEnded(records, today);
      const errors: InvalidParam[] = [];
      const current = versionOn(versions, input.effectiveFrom) ?? issuedTerms(policy, membersOn(members, 'dependant', policy.startsOn).length);
      if (input.effectiveFrom < policy.startsOn || input.effectiveFrom > policy.endsOn) errors.push({ name: 'effectiveFrom', reason: `must be within the policy term, ${policy.startsOn} to ${policy.endsOn}` });
      else if (versions.length > 0 && input.effectiveFrom <= versions.at(-1)!.effectiveFrom) errors.push({ name: 'effectiveFrom', reason: `must be after the last change, effective ${versions.at(-1)!.effectiveFrom}` });
      else if (input.effectiveFrom === policy.startsOn) errors.push({ name: 'effectiveFrom', reason: 'must be after the policy start (a change from the first day is a new policy)' });
      if (!policy.productVersionId) errors.push({ name: 'policy', reason: 'was sold before the product catalog and cannot be re-priced' });
      if (!policy.holderBirthDate) errors.push({ name: 'policy', reason: 'has no policyholder birth date to price on' });
      const product = policy.productVersionId ? await manager.getRepository(ProductVersion).findOne({ where: { id: policy.productVersionId }, relations: { product: true } }) : null;
      if (product && input.deductibleCents !== undefined && !product.deductibleOptionsCents.includes(input.deductibleCents)) errors.push({ name: 'deductibleCents', reason: `must be one of ${[...product.deductibleOptionsCents].sort((a, b) => a - b).join(', ')} for ${product.product.name}` });
      if (input.deductibleCents !== undefined && input.deductibleCents === current.annualDeductibleCents) errors.push({ name: 'deductibleCents', reason: 'is already the deductible' });
      (input.addDependants ?? []).forEach((d, i) => {
        if (d.birthDate > input.effectiveFrom) errors.push({ name: `addDependants[${i}].birthDate`, reason: 'must be on or before the effective date' });
      });
      if (errors.length > 0) throw Problem.unprocessable(`This change cannot be made: ${errors.map((e) => `${e.name} ${e.reason}`).join('; ')}.`, errors);

      // Ages are counted on the policy year's first day, as at the last pricing, so only the change moves the premium.
      const year = policyYearOf(policy, input.effectiveFrom);
      const dependants = membersOn(members, 'dependant', input.effectiveFrom);
      const basis = { productCode: product!.product.code, region: policy.region, paymentFrequency: policy.paymentFrequency, agesOn: year.from };
      const before = await this.pricing.price({ ...basis, deductibleCents: current.annualDeductibleCents, birthDates: [policy.holderBirthDate!, ...dependants.map((d) => d.birthDate!)] });
      const deductibleCents = input.deductibleCents ?? current.annualDeductibleCents;
      const added = input.addDependants ?? [];
      const after = await this.pricing.price({ ...basis, deductibleCents, birthDates: [policy.holderBirthDate!, ...dependants.map((d) => d.birthDate!), ...added.map((d) => d.birthDate)] });
      const adjustmentCents = proRataAdjustmentCents(before.yearlyPremiumCents, after.yearlyPremiumCents, daysIncluded(input.effectiveFrom, year.to), daysIncluded(year.from, year.to));

      const repo = manager.getRepository(PolicyVersion);
      let last = versions.at(-1);
      if (!last) last = await repo.save(repo.create({ ...issuedTerms(policy, membersOn(members, 'dependant', policy.startsOn).length), yearlyPremiumCents: before.yearlyPremiumCents, periodPremiumCents: before.periodPremiumCents, breakdown: [...before.steps] }));
      // What the periods already invoiced cost before the change (its baseline version in): the change bills its difference to them below.
      const billedBefore = await billedBeforeChange(manager, policy.id);
      await repo.update({ id: last.id }, { effectiveTo: addDays(input.effectiveFrom, -1) });
      const change = [
        ...added.map((d) => `Dependant added: ${d.fullName}`),
        ...(input.deductibleCents !== undefined ? [`Deductible changed from ${formatCents(current.annualDeductibleCents, policy.currency)} to ${formatCents(deductibleCents, policy.currency)}`] : []),
      ].join('; ');
      const version = await repo.save(repo.create({
        policyId: policy.id,
        version: last.version + 1,
        kind: 'mid-term-change',
        effectiveFrom: input.effectiveFrom,
        effectiveTo: null,
        productVersionId: policy.productVersionId,
        annualDeductibleCents: deductibleCents,
        insuredCount: 1 + dependants.length + added.length,
        yearlyPremiumCents: after.yearlyPremiumCents,
        periodPremiumCents: after.periodPremiumCents,
        adjustmentCents,
        breakdown: [...after.steps],
        change,
        recordedBy: staff.username,
      }));
      for (const d of added) await manager.getRepository(PolicyMember).save({ policyId: policy.id, kind: 'dependant' as const, fullName: d.fullName, relationship: d.relationship, birthDate: d.birthDate, sharePercent: null, effectiveFrom: input.effectiveFrom, effectiveTo: null });
      const rebilled = billedBefore ? await billChangeOnIssuedPeriods(manager, billedBefore, { id: version.id, effectiveFrom: input.effectiveFrom, recordedBy: staff.username, description: change }) : [];
      await this.audit.record(manager, staff, { action: 'policy.changed', entityType: 'policy', entityId: policy.id, details: { version: version.version, effectiveFrom: input.effectiveFrom, change, yearlyPremiumCents: after.yearlyPremiumCents, previousYearlyPremiumCents: before.yearlyPremiumCents, adjustmentCents, invoicedPeriodsRebilled: rebilled.map((r) => ({ periodFrom: r.period.from, cents: r.cents })) } });
      return contractView((await loadContract(manager, policy.id))!, 'staff', today);
    });
  }

  /** Cancels from a day and, in the same transaction, credits the premium invoiced for the days after it (billing/cancellation-credit.ts). */
  async cancel(staff: Principal, policyId: string, input: CancellationInput) {
    const reason = input.cancellationReason ?? 'client-request';
    return this.setStatus(staff, policyId, { status: 'cancelled', effectiveFrom: input.effectiveFrom, effectiveTo: null }, input.reason, 'policy.cancelled', async (manager, policy) => {
      const credit = await this.refunds.onCancellation(manager, policy, input.effectiveFrom, reason, todayUtc());
      return {
        cancellationReason: reason,
        ...(credit && { refundMethod: credit.rule.method, penaltyBasisPoints: credit.rule.penaltyBasisPoints, creditNotes: credit.creditNotes.map((n) => n.number), creditCents: credit.calculation.creditCents, refundCents: credit.calculation.refundCents }),
      };
    });
  }

  /** With `manager`, in the caller's transaction (collections lapse and reinstate under their own row locks). */
  async changeStatus(staff: Principal, policyId: string, input: StatusChangeInput, manager?: EntityManager) {
    if (input.effectiveTo !== undefined && input.effectiveTo < input.effectiveFrom) throw Problem.unprocessable('The state must end on or after its first day.', [{ name: 'effectiveTo', reason: 'must be on or after effectiveFrom' }]);
    return this.setStatus(staff, policyId, { status: input.status, effectiveFrom: input.effectiveFrom, effectiveTo: input.effectiveTo ?? null }, input.reason, `policy.${input.status === 'active' ? 'reinstated' : input.status}`, undefined, manager);
  }

  async setBeneficiaries(staff: Principal, policyId: string, input: BeneficiariesInput) {
    const errors = shareErrors(input.beneficiaries.map((b) => b.sharePercent));
    if (errors.length > 0) throw Problem.unprocessable(`These beneficiaries cannot be recorded: ${errors.map((e) => `${e.name} ${e.reason}`).join('; ')}.`, errors);
    return this.dataSource.transaction(async (manager) => {
      const records = await this.records(manager, policyId, true);
      const today = todayUtc();
      this.refuseEnded(records, today);
      if (input.effectiveFrom < records.policy.startsOn || input.effectiveFrom > records.policy.endsOn) throw outsideTerm(records.policy);
      const repo = manager.getRepository(PolicyMember);
      for (const b of records.members.filter((m) => m.kind === 'beneficiary')) {
        if (b.effectiveFrom >= input.effectiveFrom) await repo.delete({ id: b.id });
        else if (b.effectiveTo === null || b.effectiveTo >= input.effectiveFrom) await repo.update({ id: b.id }, { effectiveTo: addDays(input.effectiveFrom, -1) });
      }
      for (const b of input.beneficiaries) await repo.save({ policyId, kind: 'beneficiary' as const, fullName: b.fullName, relationship: b.relationship, birthDate: null, sharePercent: b.sharePercent, effectiveFrom: input.effectiveFrom, effectiveTo: null });
      await this.audit.record(manager, staff, { action: 'policy.beneficiaries-changed', entityType: 'policy', entityId: policyId, details: { effectiveFrom: input.effectiveFrom, shares: input.beneficiaries.map((b) => b.sharePercent) } });
      return contractView((await loadContract(manager, policyId))!, 'staff', today);
    });
  }

  /** Lays a state over the history from a day (to a day), under the policy's lock; the policy's own status follows today's. */
  private async setStatus(staff: Principal, policyId: string, next: StatusPeriod, reason: string, action: string, alongside?: (manager: EntityManager, policy: Policy) => Promise<Record<string, unknown>>, within?: EntityManager) {
    const work = async (manager: EntityManager) => {
      const records = await this.records(manager, policyId, true);
      const { policy, periods } = records;
      const today = todayUtc();
      this.refuseEnded(records, today);
      if (next.effectiveFrom < policy.startsOn || next.effectiveFrom > policy.endsOn) throw outsideTerm(policy);
      if (periods.some((p) => p.status === 'cancelled')) throw Problem.conflict(`Policy ${policy.number} is cancelled from ${periods.find((p) => p.status === 'cancelled')!.effectiveFrom}; it does not change state again.`);
      await writeHistory(manager, policy, withPeriod(policy, periods, next), { reason, recordedBy: staff.username }, periods);
      const more = alongside ? await alongside(manager, policy) : {};
      await this.audit.record(manager, staff, { action, entityType: 'policy', entityId: policy.id, details: { status: next.status, effectiveFrom: next.effectiveFrom, effectiveTo: next.effectiveTo, reason, ...more } });
      return contractView((await loadContract(manager, policy.id))!, 'staff', today);
    };
    return within ? work(within) : this.dataSource.transaction(work);
  }

  private refuseEnded(records: ContractRecords, today: string): void {
    const status = statusOn(records.policy, records.periods, today);
    if (ENDED.has(status)) throw Problem.conflict(`Policy ${records.policy.number} is ${status}; it can no longer be changed.`);
  }

  private async records(manager: EntityManager, policyId: string, lock = false): Promise<ContractRecords> {
    const records = isUuid(policyId) ? await loadContract(manager, policyId, { lock }) : null;
    if (!records) throw Problem.notFound('policy', policyId);
    return records;
  }
}

/**
 * Replaces the history with `periods`: rows that did not change keep their
 * reason, new or changed ones get `note`. The policy's own status is set to
 * today's state, so lists that read the column stay true.
 */
export async function writeHistory(manager: EntityManager, policy: Policy, periods: readonly StatusPeriod[], note: { reason: string; recordedBy: string }, existing: readonly PolicyStatusPeriod[]): Promise<void> {
  const repo = manager.getRepository(PolicyStatusPeriod);
  const same = (a: StatusPeriod, b: StatusPeriod) => a.status === b.status && a.effectiveFrom === b.effectiveFrom && a.effectiveTo === b.effectiveTo;
  const keep = existing.filter((row) => periods.some((p) => same(p, row)));
  const gone = existing.filter((row) => !keep.includes(row));
  if (gone.length > 0) await repo.delete(gone.map((row) => row.id));
  const origin = existing.length === 0 ? { reason: 'Policy issued', recordedBy: 'system' } : undefined;
  for (const p of periods.filter((p) => !keep.some((row) => same(p, row)))) {
    const carried = existing.find((row) => row.status === p.status && row.effectiveFrom === p.effectiveFrom) ?? (origin && p.effectiveFrom === policy.startsOn && p.status === 'active' ? origin : undefined);
    await repo.save(repo.create({ policyId: policy.id, status: p.status, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo, reason: carried?.reason ?? note.reason, recordedBy: carried?.recordedBy ?? note.recordedBy }));
  }
  await manager.getRepository(Policy).update({ id: policy.id }, { status: statusOn(policy, periods, todayUtc()) });
}

/** A well-formed date this policy cannot take: 422 naming the field. */
function outsideTerm(policy: Policy): Problem {
  const reason = `must be within the policy term, ${policy.startsOn} to ${policy.endsOn}`;
  return Problem.unprocessable(`This change cannot be made: effectiveFrom ${reason}.`, [{ name: 'effectiveFrom', reason }]);
}

/** Money in words the way the web apps and messages write it (en-GB). */
export function formatCents(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}
