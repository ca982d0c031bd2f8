import { daysIncluded } from '../contracts/mid-term-pricing';
import { type DayRange, isCalendarDay, periodLength } from './proration';

/**
 * What a cancellation gives back of the premium already invoiced, per
 * invoice, in integer cents. The method and the short-rate penalty come from
 * bpmn/cancellation-refund.dmn (`RefundRule`); this module only does the
 * arithmetic, so the same rule always gives the same cents:
 *
 * - the unused part of an invoiced period is, per premium, proration and
 *   discount line, the share of the line's own days from the cancellation
 *   day, summed and rounded once by largest remainder (as proration
 *   splits), so a price change inside the period counts at each price and
 *   used + unused is exactly what was invoiced;
 * - pro rata credits the unused part; short-rate credits it less a penalty of
 *   `round_half_up(unused × bp / 10 000)`, only on a period that was in
 *   force before the cancellation day (a wholly later period is credited in
 *   full); full (cooling-off) credits all of
 *   the invoiced premium, used days too;
 * - the credit first lowers what is still open on the invoice, and only the
 *   rest (never more than was paid) is money to send back.
 */

export const REFUND_METHODS = ['full', 'pro-rata', 'short-rate'] as const;
export type RefundMethod = (typeof REFUND_METHODS)[number];

export const CANCELLATION_REASONS = ['client-request', 'insurer', 'death', 'moved-abroad'] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** What the decision table answers. */
export interface RefundRule {
  method: RefundMethod;
  /** Share of the unused premium kept on a short-rate refund, 0–10 000. */
  penaltyBasisPoints: number;
}

/** One line of what the cover was invoiced at (premium, proration or discount), over the days it is for. */
export interface PremiumLine {
  period: DayRange;
  /** Signed: a proration credit or a discount is below 0. */
  cents: number;
}

/** One invoice of the cancelled policy, as the ledger knows it. */
export interface InvoicedPeriod {
  invoiceId: string;
  period: DayRange;
  /** What the cover of the period was invoiced at (premium, proration and discount lines), ≥ 0. */
  premiumCents: number;
  /**
   * Those lines, each over its own days (a price change inside the period
   * makes a credit of the old price and a charge of the new one from its
   * day); without them, one line of `premiumCents` over the whole period.
   */
  premiumLines?: readonly PremiumLine[];
  /** The invoice's total (fees and adjustments included): no credit goes beyond it. */
  totalCents: number;
  paidCents: number;
  /** Credit notes already issued against the invoice. */
  creditedCents?: number;
}

export interface InvoiceRefund {
  invoiceId: string;
  /** First unused day (the cancellation day, or the period's start if later). */
  unusedFrom: string;
  unusedDays: number;
  periodDays: number;
  usedCents: number;
  unusedCents: number;
  penaltyCents: number;
  /** The credit note's amount: unused − penalty (or all of the premium when full), at most what is still creditable. */
  creditCents: number;
  /** The part of the credit that lowers what the client still owes on the invoice. */
  creditOpenCents: number;
  /** The part of the credit that was paid already: money owed back (`refund-due`). */
  refundCents: number;
}

export interface CancellationRefund {
  invoices: InvoiceRefund[];
  creditCents: number;
  creditOpenCents: number;
  refundCents: number;
}

const MAX_BASIS_POINTS = 10_000;

export function invoiceRefund(invoice: InvoicedPeriod, cancelledFrom: string, rule: RefundRule): InvoiceRefund | null {
  checkRule(rule);
  if (!isCalendarDay(cancelledFrom)) throw new RangeError(`Expected the cancellation day as YYYY-MM-DD, but it is ${cancelledFrom}.`);
  const periodDays = periodLength(invoice.period);
  const credited = invoice.creditedCents ?? 0;
  for (const [name, value] of [['premium', invoice.premiumCents], ['total', invoice.totalCents], ['paid', invoice.paidCents], ['credited', credited]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Expected invoice ${invoice.invoiceId}'s ${name} in whole cents ≥ 0, but it is ${value}.`);
  }
  if (invoice.paidCents + credited > invoice.totalCents) throw new RangeError(`Expected invoice ${invoice.invoiceId} to be paid and credited at most its total ${invoice.totalCents}, but it is ${invoice.paidCents} + ${credited}.`);
  // Pro rata and short-rate give nothing back of a period used up; full gives back every period.
  if (rule.method !== 'full' && cancelledFrom > invoice.period.to) return null;
  const unusedFrom = cancelledFrom > invoice.period.from ? cancelledFrom : invoice.period.from;
  const unusedDays = unusedFrom > invoice.period.to ? 0 : daysIncluded(unusedFrom, invoice.period.to);
  const unusedCents = unusedPremium(invoice, unusedFrom);
  const usedCents = invoice.premiumCents - unusedCents;
  // The penalty is for breaking off cover that ran: a period none of whose days were ever in force is given back whole.
  const everInForce = cancelledFrom > invoice.period.from;
  const penaltyCents = rule.method === 'short-rate' && everInForce ? halfUpShare(unusedCents, rule.penaltyBasisPoints) : 0;
  const wanted = rule.method === 'full' ? invoice.premiumCents : unusedCents - penaltyCents;
  const creditCents = Math.min(wanted, invoice.totalCents - credited);
  const open = invoice.totalCents - invoice.paidCents - credited;
  const creditOpenCents = Math.min(creditCents, open);
  return { invoiceId: invoice.invoiceId, unusedFrom, unusedDays, periodDays, usedCents, unusedCents, penaltyCents, creditCents, creditOpenCents, refundCents: creditCents - creditOpenCents };
}

/**
 * The premium of the days from `unusedFrom` on: each line's cents shared
 * over its own days, the shares of its unused days summed exactly (BigInt
 * rationals), then rounded once as a split of the premium into used and
 * unused by largest remainder (a tie goes to the used, earlier piece) and
 * kept within 0 and the premium. With one line this is the second piece of
 * `splitCents(premium, [used days, unused days])`.
 */
function unusedPremium(invoice: InvoicedPeriod, unusedFrom: string): number {
  if (invoice.premiumCents === 0) return 0;
  const lines = invoice.premiumLines ?? [{ period: invoice.period, cents: invoice.premiumCents }];
  let numerator = 0n;
  let denominator = 1n;
  for (const line of lines) {
    if (!Number.isSafeInteger(line.cents)) throw new RangeError(`Expected invoice ${invoice.invoiceId}'s lines in whole cents, but one is ${line.cents}.`);
    const lineDays = BigInt(periodLength(line.period));
    const from = unusedFrom > line.period.from ? unusedFrom : line.period.from;
    const unusedDays = from > line.period.to ? 0n : BigInt(daysIncluded(from, line.period.to));
    numerator = numerator * lineDays + BigInt(line.cents) * unusedDays * denominator;
    denominator *= lineDays;
  }
  if (numerator <= 0n) return 0;
  const whole = numerator / denominator;
  const rounded = Number((numerator - whole * denominator) * 2n > denominator ? whole + 1n : whole);
  return Math.min(rounded, invoice.premiumCents);
}

/** Every invoice of the policy that has something to give back, and the totals. */
export function cancellationRefund(invoices: readonly InvoicedPeriod[], cancelledFrom: string, rule: RefundRule): CancellationRefund {
  const refunds = invoices.map((invoice) => invoiceRefund(invoice, cancelledFrom, rule)).filter((r): r is InvoiceRefund => r !== null && r.creditCents > 0);
  const total = (pick: (r: InvoiceRefund) => number) => refunds.reduce((sum, r) => sum + pick(r), 0);
  return { invoices: refunds, creditCents: total((r) => r.creditCents), creditOpenCents: total((r) => r.creditOpenCents), refundCents: total((r) => r.refundCents) };
}

/** Days the policy was in force before the cancellation day (its first day counts, the cancellation day not). */
export function daysInForce(startsOn: string, cancelledFrom: string): number {
  return Math.max(0, daysIncluded(startsOn, cancelledFrom) - 1);
}

/** Whole calendar months from the policy's start to the cancellation day (a month counts once its day is reached). */
export function monthsInForce(startsOn: string, cancelledFrom: string): number {
  const [y1, m1, d1] = startsOn.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = cancelledFrom.split('-').map(Number) as [number, number, number];
  const months = (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
  return Math.max(0, months);
}

/** The decision's answer, checked: the table is the analyst's, and a wrong shape must not move money. */
export function refundRuleOf(output: unknown): RefundRule {
  const got = (typeof output === 'object' && output !== null ? output : {}) as Record<string, unknown>;
  const rule = { method: got.method, penaltyBasisPoints: got.penaltyBasisPoints } as RefundRule;
  checkRule(rule);
  return rule;
}

function checkRule(rule: RefundRule): void {
  if (!REFUND_METHODS.includes(rule.method)) throw new RangeError(`Expected a refund method (${REFUND_METHODS.join(', ')}), but it is ${JSON.stringify(rule.method)}.`);
  const bp = rule.penaltyBasisPoints;
  if (!Number.isSafeInteger(bp) || bp < 0 || bp > MAX_BASIS_POINTS) throw new RangeError(`Expected a penalty from 0 to ${MAX_BASIS_POINTS} basis points, but it is ${JSON.stringify(bp)}.`);
  if (rule.method !== 'short-rate' && bp !== 0) throw new RangeError(`Expected no penalty on a ${rule.method} refund, but it is ${bp} basis points.`);
}

/** round_half_up(cents × bp / 10 000), exact in BigInt. */
function halfUpShare(cents: number, basisPoints: number): number {
  const product = BigInt(cents) * BigInt(basisPoints);
  const whole = product / 10_000n;
  return Number(product % 10_000n * 2n >= 10_000n ? whole + 1n : whole);
}
