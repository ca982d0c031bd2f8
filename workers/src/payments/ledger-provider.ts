import { createHash } from 'node:crypto';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { type PaymentProvider, type PayoutOutcome, type PayoutRequest } from './payment-provider';

/**
 * The embedded system's payment provider: no bank, so it checks what a bank
 * would refuse at once (no account, an account holder missing, an IBAN that
 * fails its checksum) and otherwise accepts. The payout itself is recorded in
 * the portal's database by the payment step, as with any provider. The same
 * key always gives the same answer and reference.
 */
export class LedgerPaymentProvider implements PaymentProvider {
  constructor(private readonly delayMs = 0) {}

  async pay(request: PayoutRequest): Promise<PayoutOutcome> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (!request.iban) return { status: 'rejected', reason: 'No bank account is on file for the client.' };
    const iban = electronicFormatIBAN(request.iban) ?? '';
    if (!isValidIBAN(iban)) return { status: 'rejected', reason: `The bank account ending ${iban.slice(-4)} is not a valid IBAN.` };
    if (!request.accountHolder) return { status: 'rejected', reason: 'The account holder\'s name is missing.' };
    const reference = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16).toUpperCase();
    return { status: 'paid', providerReference: `LEDGER-${reference}` };
  }
}
