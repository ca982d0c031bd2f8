import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { type PaymentProvider, type PayoutOutcome, type PayoutRequest } from './payment-provider';

/** One call the ledger received: the first for a key executes the payment, later ones are answered from it. */
export interface LedgerEntry {
  readonly idempotencyKey: string;
  readonly amount: number;
  readonly currency: string;
  readonly reference: string;
  readonly outcome: PayoutOutcome;
  /** False for a repeat of a key already executed. */
  readonly executed: boolean;
  readonly at: string;
}

/**
 * The embedded system's payment provider: no bank, so it checks what a bank
 * would refuse at once (no account, an account holder missing, an IBAN that
 * fails its checksum) and otherwise accepts. Like a bank's payment API it is
 * idempotent on the key: the first call with a key executes (and is recorded
 * in the journal at once, before the answer goes back, as a bank executes a
 * payment whose answer may then be lost); a repeat gets the same answer and
 * moves no money. With `journalPath` the journal is a JSON-lines file shared
 * by every process and kept across restarts; otherwise it is in memory.
 */
export class LedgerPaymentProvider implements PaymentProvider {
  private readonly memory: LedgerEntry[] = [];

  constructor(
    private readonly delayMs = 0,
    private readonly journalPath?: string,
  ) {}

  /** Every call received, oldest first. */
  entries(): LedgerEntry[] {
    if (!this.journalPath) return [...this.memory];
    let text = '';
    try {
      text = readFileSync(this.journalPath, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LedgerEntry);
  }

  async pay(request: PayoutRequest): Promise<PayoutOutcome> {
    const earlier = this.entries().find((e) => e.idempotencyKey === request.idempotencyKey && e.executed);
    if (earlier && earlier.amount !== request.amount) throw new Error(`The ledger already executed payment ${request.idempotencyKey} for ${earlier.amount}; a repeat for ${request.amount} is refused.`);
    const outcome = earlier?.outcome ?? decide(request);
    this.append({ idempotencyKey: request.idempotencyKey, amount: request.amount, currency: request.currency, reference: request.reference, outcome, executed: !earlier, at: new Date().toISOString() });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return outcome;
  }

  private append(entry: LedgerEntry): void {
    if (this.journalPath) {
      mkdirSync(path.dirname(this.journalPath), { recursive: true });
      appendFileSync(this.journalPath, `${JSON.stringify(entry)}\n`);
    }
    else this.memory.push(entry);
  }
}

function decide(request: PayoutRequest): PayoutOutcome {
  if (!request.iban) return { status: 'rejected', reason: 'No bank account is on file for the client.' };
  const iban = electronicFormatIBAN(request.iban) ?? '';
  if (!isValidIBAN(iban)) return { status: 'rejected', reason: `The bank account ending ${iban.slice(-4)} is not a valid IBAN.` };
  if (!request.accountHolder) return { status: 'rejected', reason: 'The account holder\'s name is missing.' };
  const reference = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16).toUpperCase();
  return { status: 'paid', providerReference: `LEDGER-${reference}` };
}
