import { roundMoney } from '../database/numeric';
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
  readonly used: number;
  readonly remaining: number;
  readonly waitingPeriodDays: number;
  /** First day this care is covered. */
  readonly coveredFrom: string;
  readonly requiredDocuments: readonly string[];
}

/** Paid and deductible amounts already counted in a policy year, by care code. */
export interface YearUsage {
  readonly paidByCareCode: ReadonlyMap<string, number>;
  readonly deductibleUsed: number;
}

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

export function coverageOf(policy: Policy, year: PolicyYear, usage: YearUsage): Coverage {
  const annualUsed = roundMoney([...usage.paidByCareCode.values()].reduce((sum, v) => sum + v, 0));
  return {
    policyYear: year,
    annualLimit: policy.annualLimit,
    annualUsed,
    annualRemaining: roundMoney(Math.max(0, policy.annualLimit - annualUsed)),
    deductible: policy.annualDeductible,
    deductibleUsed: roundMoney(usage.deductibleUsed),
    deductibleRemaining: roundMoney(Math.max(0, policy.annualDeductible - usage.deductibleUsed)),
    benefits: [...policy.benefits]
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((benefit) => {
        const used = roundMoney(usage.paidByCareCode.get(benefit.careCode) ?? 0);
        return {
          careCode: benefit.careCode,
          label: benefit.label,
          perItemLimit: benefit.perItemLimit,
          annualLimit: benefit.annualLimit,
          used,
          remaining: roundMoney(Math.max(0, benefit.annualLimit - used)),
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
