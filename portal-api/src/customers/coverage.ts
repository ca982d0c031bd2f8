import { fromCents, toCents } from '../benefits/cents';
import { type Policy } from './policy.entity';

/** A policy year: from an anniversary of the start date to the day before the next. */
export interface PolicyYear {
  readonly from: string;
  readonly to: string;
}

/** What a policy has used and has left in one policy year. */
export interface Coverage {
  readonly policyYear: PolicyYear;
  readonly annualLimit: number;
  /** What the insurer pays this year, all care together (what the annual limit caps). */
  readonly annualUsed: number;
  readonly annualRemaining: number;
  readonly deductible: number;
  readonly deductibleUsed: number;
  readonly deductibleRemaining: number;
  readonly benefits: readonly BenefitCoverage[];
}

export interface BenefitCoverage {
  readonly careCode: string;
  readonly label: string;
  readonly perItemLimit: number;
  readonly annualLimit: number;
  /** Eligible amounts counted this year (what the yearly limit of this care is counted on). */
  readonly used: number;
  readonly remaining: number;
  readonly waitingPeriodDays: number;
  /** First day this care is covered. */
  readonly coveredFrom: string;
  readonly requiredDocuments: readonly string[];
}

/**
 * What the policy's claims have counted in one policy year, in cents: the
 * eligible amount per kind of care (its yearly limit is counted on eligible
 * amounts), the deductible borne and what the insurer pays (the annual limit
 * caps that). Every claim with a calculated benefit counts, unless it was
 * declined or abandoned: a calculation reserves its share until then.
 */
export interface YearUsed {
  readonly eligibleByCare: ReadonlyMap<string, number>;
  readonly deductible: number;
  readonly paid: number;
}

export const NOTHING_USED: YearUsed = { eligibleByCare: new Map(), deductible: 0, paid: 0 };

/** The policy year that contains `date` (YYYY-MM-DD), counted from the policy start. */
export function policyYearOf(policy: Pick<Policy, 'startsOn'>, date: string): PolicyYear {
  const start = parseDay(policy.startsOn);
  const day = parseDay(date);
  let years = day.getUTCFullYear() - start.getUTCFullYear();
  if (addYears(start, years) > day) years -= 1;
  const from = addYears(start, Math.max(0, years));
  const next = addYears(start, Math.max(0, years) + 1);
  return { from: formatDay(from), to: formatDay(new Date(next.getTime() - 86_400_000)) };
}

/** Coverage left, by the convention of the benefit calculation (README, "How a benefit is calculated"). */
export function coverageOf(policy: Policy, year: PolicyYear, used: YearUsed): Coverage {
  const left = (limit: number, usedCents: number) => fromCents(Math.max(0, toCents(limit) - usedCents));
  return {
    policyYear: year,
    annualLimit: policy.annualLimit,
    annualUsed: fromCents(used.paid),
    annualRemaining: left(policy.annualLimit, used.paid),
    deductible: policy.annualDeductible,
    deductibleUsed: fromCents(used.deductible),
    deductibleRemaining: left(policy.annualDeductible, used.deductible),
    benefits: [...policy.benefits]
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((benefit) => {
        const usedCents = used.eligibleByCare.get(benefit.careCode) ?? 0;
        return {
          careCode: benefit.careCode,
          label: benefit.label,
          perItemLimit: benefit.perItemLimit,
          annualLimit: benefit.annualLimit,
          used: fromCents(usedCents),
          remaining: left(benefit.annualLimit, usedCents),
          waitingPeriodDays: benefit.waitingPeriodDays,
          coveredFrom: formatDay(new Date(parseDay(policy.startsOn).getTime() + benefit.waitingPeriodDays * 86_400_000)),
          requiredDocuments: benefit.requiredDocuments,
        };
      }),
  };
}

function parseDay(value: string): Date {
  return new Date(`${value}T00:00:00Z`);
}

function formatDay(value: Date): string {
  return value.toISOString().slice(0, 10);
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(date.getUTCFullYear() + years);
  return result;
}

/** Today, or the policy's last day if it has ended: the policy year whose coverage people want to see. */
export function coverageDate(policy: Pick<Policy, 'endsOn'>): string {
  const today = formatDay(new Date());
  return today < policy.endsOn ? today : policy.endsOn;
}
