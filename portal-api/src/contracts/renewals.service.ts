import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { Policy } from '../customers/policy.entity';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { ProductCatalog } from '../products/product-catalog';
import { ProductVersion } from '../products/product-version.entity';
import { addDays, todayUtc } from '../products/quote-dates';
import { ContractPricing } from './contract-pricing';
import { issuedTerms, loadContract, membersOn, versionOn, type ContractRecords } from './contract-records';
import { contractView } from './contract-view';
import { ContractsService, writeHistory } from './contracts.service';
import { withPeriod } from './policy-standing';
import { PolicyRenewal } from './policy-renewal.entity';
import { PolicyVersion } from './policy-version.entity';

/** How long before the end of a term the renewal offer goes out, and the reminder. */
export const RENEWAL_OFFER_DAYS = 45;
export const RENEWAL_REMINDER_DAYS = 14;
export const RENEWAL_PROCESS_ID = 'policy-renewal';
export const RENEWAL_START_MESSAGE = 'policy-renewal-start';
export const RENEWAL_DECLINED_MESSAGE = 'policy-renewal-declined';

/**
 * The portal's side of bpmn/policy-renewal.bpmn: plan the timers from the
 * policy's end date, price the renewal on the product version current for the
 * new term, record the client's decline (and tell the process), renew or
 * expire. Each step is idempotent per term (`termEndsOn`): a retried job
 * answers what was done, never a second offer or a second renewal.
 */
@Injectable()
export class RenewalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: ProductCatalog,
    private readonly pricing: ContractPricing,
    private readonly contracts: ContractsService,
    private readonly engine: EngineClient,
    private readonly audit: AuditLog,
  ) {}

  /** Records the renewal instance watching the policy (the first one wins); answers the timer dates, or planned false. */
  async plan(worker: Principal, policyId: string, processInstanceKey: string) {
    return this.dataSource.transaction(async (manager) => {
      const { policy, periods } = await this.records(manager, policyId);
      if (policy.renewalProcessKey === null) {
        await manager.getRepository(Policy).update({ id: policy.id }, { renewalProcessKey: processInstanceKey });
        await this.audit.record(manager, worker, { action: 'policy.renewal-watched', entityType: 'policy', entityId: policy.id, details: { processInstanceKey } });
      } else if (policy.renewalProcessKey !== processInstanceKey) return { planned: false, why: `instance ${policy.renewalProcessKey} watches this policy` };
      const ended = periods.find((p) => (p.status === 'cancelled' || p.status === 'expired') && p.effectiveFrom <= policy.endsOn);
      if (ended) return { planned: false, why: `the policy is ${ended.status} from ${ended.effectiveFrom}` };
      return {
        planned: true,
        policyId: policy.id,
        customerId: policy.customerId,
        termEndsOn: policy.endsOn,
        offerAt: `${addDays(policy.endsOn, -RENEWAL_OFFER_DAYS)}T00:00:00Z`,
        remindAt: `${addDays(policy.endsOn, -RENEWAL_REMINDER_DAYS)}T00:00:00Z`,
        endsAt: `${addDays(policy.endsOn, 1)}T00:00:00Z`,
      };
    });
  }

  /** The offer for the term after `termEndsOn`, priced once; offered false when the policy is not renewable. */
  async offer(worker: Principal, policyId: string, termEndsOn: string) {
    return this.dataSource.transaction(async (manager) => {
      const records = await this.records(manager, policyId);
      const { policy, periods, versions, members, renewals } = records;
      const made = renewals.find((r) => r.termEndsOn === termEndsOn);
      // Cancelled before the new term would start: no offer stands (the reminder asks again, and is not sent).
      if (periods.some((p) => p.status === 'cancelled' && p.effectiveFrom <= addDays(termEndsOn, 1))) return { offered: false, renewal: made ? renewalFacts(made, policy) : null };
      if (made) return { offered: true, renewal: renewalFacts(made, policy) };
      if (policy.endsOn !== termEndsOn || periods.some((p) => p.status === 'expired')) return { offered: false, renewal: null };
      const sold = policy.productVersionId ? await manager.getRepository(ProductVersion).findOne({ where: { id: policy.productVersionId }, relations: { product: true } }) : null;
      const newStart = addDays(termEndsOn, 1);
      const current = sold ? await this.catalog.versionOn(sold.product.code, newStart, manager) : null;
      if (!current || !policy.holderBirthDate) return { offered: false, renewal: null };
      const terms = versionOn(versions, termEndsOn) ?? issuedTerms(policy, 0);
      const deductibleCents = nearestOption(current.deductibleOptionsCents, terms.annualDeductibleCents);
      const dependants = membersOn(members, 'dependant', termEndsOn);
      const premium = await this.pricing.price({ productCode: current.product.code, region: policy.region, paymentFrequency: policy.paymentFrequency, deductibleCents, birthDates: [policy.holderBirthDate, ...dependants.map((d) => d.birthDate!)], agesOn: newStart });
      const repo = manager.getRepository(PolicyRenewal);
      const renewal = await repo.save(repo.create({
        policyId: policy.id,
        termEndsOn,
        newEndsOn: addDays(termEndsOn, daysInYearAfter(termEndsOn)),
        productVersionId: current.id,
        annualDeductibleCents: deductibleCents,
        insuredCount: 1 + dependants.length,
        yearlyPremiumCents: premium.yearlyPremiumCents,
        periodPremiumCents: premium.periodPremiumCents,
        breakdown: [...premium.steps],
        status: 'offered',
        offeredAt: new Date(),
        decidedAt: null,
      }));
      await this.audit.record(manager, worker, { action: 'policy.renewal-offered', entityType: 'policy', entityId: policy.id, details: { termEndsOn, productVersionId: current.id, yearlyPremiumCents: premium.yearlyPremiumCents } });
      return { offered: true, renewal: renewalFacts(renewal, policy) };
    });
  }

  /** The client declines the open offer; the process hears of it by message. Declining again answers the same. */
  async decline(client: Principal, policyId: string) {
    const renewal = await this.dataSource.transaction(async (manager) => {
      const records = await this.contracts.ownRecords(client, policyId, manager);
      await manager.query('SELECT id FROM policy WHERE id = $1 FOR UPDATE', [policyId]);
      const open = await manager.getRepository(PolicyRenewal).findOne({ where: { policyId }, order: { termEndsOn: 'DESC' } });
      if (!open) throw Problem.conflict(`Policy ${records.policy.number} has no renewal offer to decline.`);
      if (open.status === 'declined') return open;
      if (open.status !== 'offered' || todayUtc() > open.termEndsOn) throw Problem.conflict(`The renewal of policy ${records.policy.number} is ${open.status === 'offered' ? 'past its date' : open.status}; it can no longer be declined.`);
      open.status = 'declined';
      open.decidedAt = new Date();
      await manager.getRepository(PolicyRenewal).save(open);
      await this.audit.record(manager, client, { action: 'policy.renewal-declined', entityType: 'policy', entityId: policyId, details: { termEndsOn: open.termEndsOn } });
      return open;
    });
    // After the commit; the message id makes a repeat harmless, the time to live covers a process between two waits.
    try {
      await this.engine.call('POST', '/v2/messages/publication', { name: RENEWAL_DECLINED_MESSAGE, correlationKey: policyId, messageId: `renewal-declined:${renewal.id}`, timeToLive: 86_400_000 * (RENEWAL_OFFER_DAYS + 1), variables: { renewalDeclined: true } });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 409) throw engineProblem(error, 'Telling the renewal process of the decline failed');
    }
    return contractView((await loadContract(this.dataSource.manager, policyId))!, 'client');
  }

  /** The term ends with the offer standing: the policy runs on the offered terms for the next term. Renewed false when it was declined or never offered. */
  async renew(worker: Principal, policyId: string, termEndsOn: string) {
    return this.dataSource.transaction(async (manager) => {
      const { policy, periods, versions, members, renewals } = await this.records(manager, policyId);
      const renewal = renewals.find((r) => r.termEndsOn === termEndsOn);
      if (renewal?.status === 'renewed') return { renewed: true, cancelled: false, endsOn: renewal.newEndsOn };
      // Cancelled meanwhile: nothing to renew, and nothing to expire either.
      if (periods.some((p) => p.status === 'cancelled' && p.effectiveFrom <= addDays(termEndsOn, 1))) return { renewed: false, cancelled: true, endsOn: policy.endsOn };
      if (!renewal || renewal.status === 'declined' || renewal.status === 'expired') return { renewed: false, cancelled: false, endsOn: policy.endsOn };
      const repo = manager.getRepository(PolicyVersion);
      let last = versions.at(-1);
      if (!last) last = await repo.save(repo.create(issuedTerms(policy, membersOn(members, 'dependant', policy.startsOn).length)));
      if (last.effectiveTo === null || last.effectiveTo > termEndsOn) await repo.update({ id: last.id }, { effectiveTo: termEndsOn });
      await repo.save(repo.create({
        policyId: policy.id,
        version: last.version + 1,
        kind: 'renewal',
        effectiveFrom: addDays(termEndsOn, 1),
        effectiveTo: null,
        productVersionId: renewal.productVersionId,
        annualDeductibleCents: renewal.annualDeductibleCents,
        insuredCount: renewal.insuredCount,
        yearlyPremiumCents: renewal.yearlyPremiumCents,
        periodPremiumCents: renewal.periodPremiumCents,
        adjustmentCents: 0,
        breakdown: renewal.breakdown,
        change: `Renewed until ${renewal.newEndsOn}`,
        recordedBy: worker.username,
      }));
      await manager.getRepository(Policy).update({ id: policy.id }, { endsOn: renewal.newEndsOn, productVersionId: renewal.productVersionId });
      await manager.getRepository(PolicyRenewal).update({ id: renewal.id }, { status: 'renewed', decidedAt: new Date() });
      await this.audit.record(manager, worker, { action: 'policy.renewed', entityType: 'policy', entityId: policy.id, details: { termEndsOn, newEndsOn: renewal.newEndsOn, yearlyPremiumCents: renewal.yearlyPremiumCents } });
      return { renewed: true, cancelled: false, endsOn: renewal.newEndsOn };
    });
  }

  /** The term ended without a renewal: the policy is expired from the day after (expired false: it was cancelled before). */
  async expire(worker: Principal, policyId: string, termEndsOn: string) {
    return this.dataSource.transaction(async (manager) => {
      const { policy, periods, renewals } = await this.records(manager, policyId);
      if (policy.endsOn !== termEndsOn) throw Problem.conflict(`Policy ${policy.number} now ends on ${policy.endsOn}, not ${termEndsOn}: it was renewed.`);
      const from = addDays(termEndsOn, 1);
      // Expired already (a retried job): the same answer. Cancelled before: it ended then, it does not expire now.
      if (periods.some((p) => p.status === 'expired' && p.effectiveFrom <= from)) return { expired: true };
      if (periods.some((p) => p.status === 'cancelled' && p.effectiveFrom <= from)) return { expired: false };
      await writeHistory(manager, policy, withPeriod(policy, periods, { status: 'expired', effectiveFrom: from, effectiveTo: null }), { reason: 'Term ended without renewal', recordedBy: worker.username }, periods);
      const renewal = renewals.find((r) => r.termEndsOn === termEndsOn);
      if (renewal?.status === 'offered') await manager.getRepository(PolicyRenewal).update({ id: renewal.id }, { status: 'expired', decidedAt: new Date() });
      await this.audit.record(manager, worker, { action: 'policy.expired', entityType: 'policy', entityId: policy.id, details: { termEndsOn } });
      return { expired: true };
    });
  }

  private async records(manager: EntityManager, policyId: string): Promise<ContractRecords> {
    const records = isUuid(policyId) ? await loadContract(manager, policyId, { lock: true }) : null;
    if (!records) throw Problem.notFound('policy', policyId);
    return records;
  }
}

/** What the workers' messages say about an offer. */
function renewalFacts(renewal: PolicyRenewal, policy: Policy) {
  return { id: renewal.id, status: renewal.status, policyNumber: policy.number, product: policy.product, currency: policy.currency, termEndsOn: renewal.termEndsOn, newEndsOn: renewal.newEndsOn, yearlyPremiumCents: renewal.yearlyPremiumCents, periodPremiumCents: renewal.periodPremiumCents, paymentFrequency: policy.paymentFrequency };
}

/** The deductible kept on renewal, or the option nearest it when the current version no longer offers it (the lower of two as near). */
export function nearestOption(options: readonly number[], wanted: number): number {
  return [...options].sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || a - b)[0]!;
}

/** Days in the year of cover that starts the day after `termEndsOn` (365 or 366), so the new last day is the old one a year on. */
function daysInYearAfter(termEndsOn: string): number {
  const end = new Date(`${termEndsOn}T00:00:00Z`);
  const next = new Date(end.getTime());
  next.setUTCFullYear(end.getUTCFullYear() + 1);
  return Math.round((next.getTime() - end.getTime()) / 86_400_000);
}
