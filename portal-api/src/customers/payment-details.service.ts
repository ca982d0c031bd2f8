import { Injectable } from '@nestjs/common';
import { electronicFormatIBAN, validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { CLAIM_PURPOSES, ClaimAccess } from '../claims/claim-access';
import { ClaimEventsRepository } from '../claims/claim-events.repository';
import { EngineClient } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { ClientMailer } from '../notifications/client-mailer';
import { Customer } from './customer.entity';

/** The staff roles that may change a client's bank details (the "Fix payment details" task is the call center's). */
export const PAYMENT_DETAILS_EDITORS = CLAIM_PURPOSES.paymentDetails;

export interface PaymentDetailsChange {
  readonly accountHolder: string;
  readonly iban: string;
  readonly userTaskKey?: string;
}

/** What staff see of an account: who holds it and its last four characters, never the whole number. */
export interface MaskedPaymentDetails {
  readonly claimId: string;
  readonly customerId: string;
  readonly accountHolder: string | null;
  readonly accountEnding: string | null;
}

@Injectable()
export class PaymentDetailsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ClaimAccess,
    private readonly audit: AuditLog,
    private readonly events: ClaimEventsRepository,
    private readonly engine: EngineClient,
    private readonly mailer: ClientMailer,
  ) {}

  async current(principal: Principal, claimId: string): Promise<MaskedPaymentDetails> {
    const claim = await this.access.claim(principal, claimId, 'paymentDetails');
    return masked(claim.id, claim.customer);
  }

  /**
   * Replaces the details in one transaction with its audit entry (endings
   * only), a timeline entry and the client's notice; the notice is mailed
   * after the commit (retried by the mailer's sweep if SMTP is down).
   */
  async replace(principal: Principal, claimId: string, change: PaymentDetailsChange): Promise<MaskedPaymentDetails & { changed: boolean; clientNotified: boolean }> {
    const iban = checkedIban(change.iban);
    const accountHolder = change.accountHolder.trim();
    if (accountHolder.length < 2) throw Problem.invalidField('accountHolder', 'must be the account holder\'s name');
    const claim = await this.access.claim(principal, claimId, 'paymentDetails');
    if (change.userTaskKey !== undefined) await this.checkTaskOfClaim(change.userTaskKey, claim.processInstanceKey);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const customer = await manager.getRepository(Customer).findOne({ where: { id: claim.customerId }, lock: { mode: 'pessimistic_write' } });
      if (!customer) throw Problem.notFound('claim', claimId);
      if (customer.iban === iban && customer.accountHolder === accountHolder) return { customer, noticeId: undefined };
      const before = ending(customer.iban);
      await manager.getRepository(Customer).update({ id: customer.id }, { iban, accountHolder });
      await this.audit.record(manager, principal, {
        action: 'payment-details.replaced',
        entityType: 'customer',
        entityId: customer.id,
        details: { claimId: claim.id, userTaskKey: change.userTaskKey ?? null, before, after: ending(iban), accountHolderChanged: customer.accountHolder !== accountHolder },
      });
      await this.events.append(manager, claim.id, {
        kind: 'payment-details-changed',
        message: `Your bank details were changed by our claims team: reimbursements now go to the account ending in ${ending(iban)}.`,
        visibleToClient: true,
        actor: principal.username,
      });
      const noticeId = await this.mailer.queue(manager, {
        customerId: customer.id,
        claimId: claim.id,
        template: 'payment-details-changed',
        values: { claimReference: claim.reference, accountEnding: ending(iban)!, changedOn: new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }) },
      });
      return { customer: { ...customer, iban, accountHolder }, noticeId };
    });
    const clientNotified = outcome.noticeId ? await this.mailer.deliver(outcome.noticeId) : false;
    return { ...masked(claim.id, outcome.customer), changed: outcome.noticeId !== undefined, clientNotified };
  }

  /** The task the change is made from must be one of this claim's (not a task of another claim). */
  private async checkTaskOfClaim(userTaskKey: string, processInstanceKey: string | null): Promise<void> {
    const refused = Problem.unprocessable(`Task ${userTaskKey} is not a task of this claim.`, [{ name: 'userTaskKey', reason: 'is not a task of this claim' }]);
    if (!/^\d{1,19}$/.test(userTaskKey) || !processInstanceKey) throw refused;
    const task = await this.engine.getUserTask(userTaskKey).catch(() => undefined);
    if (!task || String(task.processInstanceKey) !== processInstanceKey) throw refused;
  }
}

/** The IBAN in electronic form (no spaces, upper case), or a 400 naming `field` and saying what is wrong with it. */
export function checkedIban(input: string, field = 'iban'): string {
  const iban = electronicFormatIBAN(input) ?? '';
  const result = validateIBAN(iban);
  if (result.valid) return iban;
  const reasons: Partial<Record<ValidationErrorsIBAN, string>> = {
    [ValidationErrorsIBAN.NoIBANProvided]: 'must be an IBAN',
    [ValidationErrorsIBAN.NoIBANCountry]: 'does not start with a known country code',
    [ValidationErrorsIBAN.WrongBBANLength]: 'has the wrong length for its country',
    [ValidationErrorsIBAN.WrongBBANFormat]: 'does not have its country\'s format',
    [ValidationErrorsIBAN.ChecksumNotNumber]: 'has check digits that are not digits',
    [ValidationErrorsIBAN.WrongIBANChecksum]: 'fails its checksum (a character is mistyped)',
  };
  const reason = result.errorCodes.map((code) => reasons[code]).find(Boolean) ?? 'is not a valid IBAN';
  throw Problem.invalidField(field, reason);
}

function ending(iban: string | null): string | null {
  return iban ? iban.slice(-4) : null;
}

function masked(claimId: string, customer: Pick<Customer, 'id' | 'iban' | 'accountHolder'>): MaskedPaymentDetails {
  return { claimId, customerId: customer.id, accountHolder: customer.accountHolder, accountEnding: ending(customer.iban) };
}
