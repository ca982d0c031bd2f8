import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { ClaimEventsRepository } from '../claims/claim-events.repository';
import { ClaimItem } from '../claims/claim-item.entity';
import { FINAL_STATUSES } from '../claims/claim-status';
import { Claim } from '../claims/claim.entity';
import { CustomersRepository } from '../customers/customers.repository';
import { NOTHING_USED } from '../customers/coverage';
import { Policy } from '../customers/policy.entity';
import { policyOnDate } from '../contracts/contract-records';
import { Problem } from '../http/problem';
import { type BenefitCalculationInput } from '../internal/internal.dto';
import { Payout } from '../payouts/payout.entity';
import { AssessmentMismatch, calculateBenefit } from './benefit-calculation';

/**
 * The authoritative benefit calculation: under a row lock on the policy, so
 * that claims of one policy are calculated one after the other, it reads what
 * the policy's other counted claims used, calculates, and stores the
 * breakdown (which is the claim's reservation of limits and deductible) in the
 * same transaction. A recalculation of the same claim replaces its own
 * figures.
 */
@Injectable()
export class BenefitService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly events: ClaimEventsRepository,
    private readonly audit: AuditLog,
  ) {}

  async calculate(worker: Principal, claimId: string, input: BenefitCalculationInput) {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    return this.dataSource.transaction(async (manager) => {
      const claim = await manager.getRepository(Claim).findOne({ where: { id: claimId }, relations: { items: true } });
      if (!claim) throw Problem.notFound('claim', claimId);
      // The lock every calculation of this policy's claims queues on.
      await manager.query('SELECT id FROM policy WHERE id = $1 FOR UPDATE', [claim.policyId]);
      const current = await manager.getRepository(Claim).findOneByOrFail({ id: claim.id });
      if (FINAL_STATUSES.has(current.status)) throw Problem.conflict(`Expected claim ${claim.reference} to be open, but it is ${current.status}; its benefit is not calculated again.`);
      const payout = await manager.getRepository(Payout).findOneBy({ claimId: claim.id, status: In(['pending', 'paid']) });
      if (payout) throw Problem.conflict(`Claim ${claim.reference} has a ${payout.status} payout of ${payout.amount}; its benefit is not calculated again.`);
      const issued = await manager.getRepository(Policy).findOne({ where: { id: claim.policyId }, relations: { benefits: true } });
      if (!issued) throw Problem.conflict(`Claim ${claim.reference} has no policy to calculate a benefit from.`);
      // The terms in force on the claim's first care date: a mid-term change of deductible counts from its day.
      const policy = await policyOnDate(manager, issued, claim.items.map((i) => i.serviceDate).sort()[0] ?? issued.startsOn);
      const used = await this.customers.usedByYear(manager, policy, claim.items.map((i) => i.serviceDate), claim.id);
      const result = refusingMismatches(claim.reference, () => calculateBenefit(policy, claim.items, input.items, (from) => used.get(from) ?? NOTHING_USED));
      const note = input.decisionNote?.trim() ? input.decisionNote : undefined;
      await manager.getRepository(Claim).update({ id: claim.id }, { breakdown: [...result.breakdown], totalApproved: result.totalPayable, totalPaid: null, ...(note ? { decisionNote: note } : {}) });
      for (const decision of result.decisions) {
        await manager.getRepository(ClaimItem).update({ id: decision.id, claimId: claim.id }, { status: decision.status, reasonCode: decision.reasonCode, approvedAmount: decision.approvedAmount });
      }
      await this.events.append(manager, claim.id, { kind: 'note', message: 'We have calculated what your policy pays for each item.', visibleToClient: true, actor: worker.username });
      await this.audit.record(manager, worker, { action: 'claim.benefit-calculated', entityType: 'claim', entityId: claim.id, details: { totalApproved: result.totalPayable, policyId: policy.id } });
      return { claimId: claim.id, totalPayable: result.totalPayable, currency: claim.currency, breakdown: result.breakdown };
    });
  }
}

/** Decisions that do not fit the claim's items are the caller's fault: 422 naming the field. */
function refusingMismatches<T>(reference: string, calculate: () => T): T {
  try {
    return calculate();
  } catch (error) {
    if (error instanceof AssessmentMismatch) throw Problem.unprocessable(`The item decisions do not fit claim ${reference}: ${error.message}.`, [{ name: error.field, reason: error.reason }]);
    throw error;
  }
}
