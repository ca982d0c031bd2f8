import { careWords } from '@claims/portal-api/src/claims/care-wording';
import { formatDate } from '../notifications/dates';
import { type ClaimFile, type FraudContext } from '../portal/portal-types';

/**
 * Whether each fraud signal is present on a claim, with the reason a person
 * reads. How much a signal weighs is the decision table `fraud-rule-weights`
 * (analysts tune it); whether it is present is decided here.
 */
export const FRAUD_SIGNALS = ['duplicateReceipt', 'soonAfterPolicyStart', 'frequentClaims', 'unusualAmount', 'watchListedProvider'] as const;
export type FraudSignal = (typeof FRAUD_SIGNALS)[number];

/** Care within this many days of the policy start is a signal. */
export const SOON_AFTER_START_DAYS = 30;
/** More earlier claims than this in 30 days is a signal. */
export const FREQUENT_CLAIMS_IN_30_DAYS = 5;
/** An item above this multiple of the usual amount for its care is a signal, once there are enough samples. */
export const UNUSUAL_AMOUNT_FACTOR = 3;
export const UNUSUAL_AMOUNT_MIN_SAMPLES = 5;

export interface SignalFinding {
  readonly signal: FraudSignal;
  readonly reason: string;
}

/**
 * Claims whose receipts are not claimed: never sent (draft), declined, or
 * abandoned (a client refiling a closed claim is not claiming twice). The
 * portal leaves them out already; this keeps the rule where the signal is.
 */
const NOT_CLAIMED_AGAIN: ReadonlySet<string> = new Set(['draft', 'rejected', 'abandoned']);

export function findFraudSignals(file: ClaimFile, context: FraudContext, watchList: ReadonlySet<string>): SignalFinding[] {
  const findings: SignalFinding[] = [];
  const standing = (d: { claimStatus?: string }) => d.claimStatus === undefined || !NOT_CLAIMED_AGAIN.has(d.claimStatus);
  const receipts = context.duplicateReceipts.filter(standing);
  const invoiced = context.duplicateInvoices.filter(standing);
  const duplicates = [...new Set([...receipts.map((d) => d.claimReference), ...invoiced.map((d) => d.claimReference)])];
  if (duplicates.length > 0) {
    const invoices = [...new Set(invoiced.map((d) => `${d.invoiceNumber} from ${d.providerName}`))];
    const what = receipts.length > 0 && invoices.length > 0 ? `A receipt and invoice ${invoices.join(', ')}` : receipts.length > 0 ? 'The same receipt file' : `Invoice ${invoices.join(', ')}`;
    findings.push({ signal: 'duplicateReceipt', reason: `${what} also appears on claim ${duplicates.join(', ')}.` });
  }
  if (context.policyStartsOn) {
    const limit = addDays(context.policyStartsOn, SOON_AFTER_START_DAYS);
    const early = file.items.filter((i) => i.serviceDate < limit);
    if (early.length > 0) findings.push({ signal: 'soonAfterPolicyStart', reason: `Care on ${early.map((i) => formatDate(i.serviceDate)).join(', ')}, within ${SOON_AFTER_START_DAYS} days of the policy start (${formatDate(context.policyStartsOn)}).` });
  }
  if (context.earlierClaims.last30Days > FREQUENT_CLAIMS_IN_30_DAYS) {
    findings.push({ signal: 'frequentClaims', reason: `${context.earlierClaims.last30Days} other claims in the last 30 days.` });
  }
  const unusual = file.items.filter((item) => {
    const usual = context.usualAmounts.find((u) => u.careCode === item.careCode);
    return usual && usual.samples >= UNUSUAL_AMOUNT_MIN_SAMPLES && item.amount > usual.averageAmount * UNUSUAL_AMOUNT_FACTOR;
  });
  if (unusual.length > 0) {
    findings.push({ signal: 'unusualAmount', reason: unusual.map((i) => `Item ${i.lineNumber} (${i.amount}) is more than ${UNUSUAL_AMOUNT_FACTOR} times the usual amount for ${careWords(i.careCode).toLowerCase()}.`).join(' ') });
  }
  const watched = file.items.filter((i) => i.providerId && watchList.has(i.providerId));
  if (watched.length > 0) findings.push({ signal: 'watchListedProvider', reason: `Provider ${[...new Set(watched.map((i) => i.providerName))].join(', ')} is on the watch list.` });
  return findings;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
