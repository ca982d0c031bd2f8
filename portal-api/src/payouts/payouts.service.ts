import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { toCents } from '../benefits/cents';
import { bindClaimLog, isUuid } from '../claims/claim-access';
import { payoutView } from '../claims/claim-views';
import { Claim } from '../claims/claim.entity';
import { Customer } from '../customers/customer.entity';
import { Problem } from '../http/problem';
import { type PayoutInput, type PayoutIntentInput } from '../internal/internal.dto';
import { post } from '../billing/ledger-store';
import { Payout } from './payout.entity';

/** Statuses in which a claim may not be paid (declined, abandoned, closed with nothing payable). */
const NOT_PAYABLE = new Set(['rejected', 'abandoned', 'closed-nothing-payable']);

/** The provider's idempotency key of a claim's attempt: the claim and the attempt number, nothing of the process. */
export function payoutKey(claimId: string, attempt: number): string {
  return `claim:${claimId}:payout:${attempt}`;
}

/**
 * Payouts happen once. The payment step asks for an intent first; the
 * portal answers the claim's paid payout if there is one, else its open
 * (pending) attempt, else opens the next attempt (the first, or the one after
 * a recorded rejection). Only then is the provider called, with the attempt's
 * key, and the outcome recorded on the attempt. Each step runs under a row
 * lock on the claim, so concurrent callers see the same attempt.
 */
@Injectable()
export class PayoutsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async intent(worker: Principal, claimId: string, input: PayoutIntentInput) {
    return this.dataSource.transaction(async (manager) => {
      const claim = await this.lockClaim(manager, claimId);
      const payouts = manager.getRepository(Payout);
      const paid = await payouts.findOneBy({ claimId: claim.id, status: 'paid' });
      if (paid) return { payout: payoutView(paid), replayed: true };
      this.checkAmount(claim, input.amount);
      const pending = await payouts.findOneBy({ claimId: claim.id, status: 'pending' });
      if (pending) return { payout: payoutView(pending), replayed: true };
      if (NOT_PAYABLE.has(claim.status)) throw Problem.conflict(`Expected claim ${claim.reference} to be payable, but it is ${claim.status}.`);
      const [{ last }] = await manager.query<[{ last: number | null }]>('SELECT max(attempt)::int AS last FROM payout WHERE claim_id = $1', [claim.id]);
      const attempt = (last ?? 0) + 1;
      const customer = await manager.getRepository(Customer).findOneByOrFail({ id: claim.customerId });
      const saved = await payouts.save(
        payouts.create({ claimId: claim.id, attempt, attemptKey: payoutKey(claim.id, attempt), amount: input.amount, currency: claim.currency, status: 'pending', accountHint: (customer.iban ?? '').replace(/\s/g, '').slice(-4), providerReference: null, rejectionReason: null }),
      );
      await this.audit.record(manager, worker, { action: 'payout.intended', entityType: 'claim', entityId: claim.id, details: { payoutId: saved.id, amount: input.amount, attemptKey: saved.attemptKey } });
      return { payout: payoutView(saved), replayed: false };
    });
  }

  /**
   * Records what the provider answered for an attempt. A repeat answers the
   * recorded outcome; a claim is paid once whatever the keys. A key with no
   * intent (a worker from before intents) is recorded as a new attempt.
   */
  async outcome(worker: Principal, claimId: string, input: PayoutInput) {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const claim = await this.lockClaim(manager, claimId);
        const payouts = manager.getRepository(Payout);
        const existing = await payouts.findOneBy({ attemptKey: input.attemptKey });
        if (existing && existing.claimId !== claim.id) throw Problem.conflict(`Payout attempt ${input.attemptKey} belongs to another claim.`);
        if (existing && existing.status !== 'pending') return { payout: payoutView(existing), replayed: true };
        const paid = await payouts.findOneBy({ claimId: claim.id, status: 'paid' });
        if (paid && input.status === 'paid') return { payout: payoutView(paid), replayed: true };
        if (existing && toCents(existing.amount) !== toCents(input.amount)) {
          throw Problem.unprocessable(`Payout attempt ${input.attemptKey} was opened for ${existing.amount}, not ${input.amount}.`, [{ name: 'amount', reason: `must equal the attempt's amount ${existing.amount}` }]);
        }
        if (!existing) this.checkAmount(claim, input.amount);
        const customer = await manager.getRepository(Customer).findOneByOrFail({ id: claim.customerId });
        const record = existing ?? payouts.create({ claimId: claim.id, attempt: null, attemptKey: input.attemptKey, amount: input.amount, currency: claim.currency, accountHint: (customer.iban ?? '').replace(/\s/g, '').slice(-4) });
        record.status = input.status;
        record.providerReference = input.providerReference ?? null;
        record.rejectionReason = input.rejectionReason ?? null;
        const saved = await payouts.save(record);
        if (input.status === 'paid') {
          await manager.getRepository(Claim).update({ id: claim.id }, { totalPaid: input.amount });
          // Cash leaves with the payout, in its transaction: the attempt's key posts once however often the outcome is replayed.
          if (toCents(input.amount) > 0) await post(manager, { kind: 'claim-paid', key: saved.attemptKey, reference: claim.reference, cents: toCents(input.amount) });
        }
        await this.audit.record(manager, worker, { action: input.status === 'paid' ? 'payout.paid' : 'payout.rejected', entityType: 'claim', entityId: claim.id, details: { payoutId: saved.id, amount: input.amount, attemptKey: input.attemptKey } });
        return { payout: payoutView(saved), replayed: false };
      });
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      // A concurrent duplicate won the race: answer its record.
      const repository = this.dataSource.getRepository(Payout);
      const winner = (await repository.findOneBy({ attemptKey: input.attemptKey })) ?? (await repository.findOneBy({ claimId, status: 'paid' }));
      if (!winner) throw error;
      return { payout: payoutView(winner), replayed: true };
    }
  }

  /** The amount paid must be the approved total the calculation recorded, to the cent. */
  private checkAmount(claim: Claim, amount: number): void {
    if (claim.totalApproved === null) throw Problem.conflict(`Claim ${claim.reference} has no calculated benefit to pay.`);
    if (toCents(amount) !== toCents(claim.totalApproved)) {
      throw Problem.unprocessable(`A payout of ${amount} for claim ${claim.reference} is refused: the approved total the calculation recorded is ${claim.totalApproved}.`, [{ name: 'amount', reason: `must equal the claim's approved total ${claim.totalApproved}` }]);
    }
  }

  private async lockClaim(manager: EntityManager, claimId: string): Promise<Claim> {
    if (!isUuid(claimId)) throw Problem.notFound('claim', claimId);
    const claim = await manager.getRepository(Claim).findOne({ where: { id: claimId }, lock: { mode: 'pessimistic_write' } });
    if (!claim) throw Problem.notFound('claim', claimId);
    bindClaimLog(claim);
    return claim;
  }
}
