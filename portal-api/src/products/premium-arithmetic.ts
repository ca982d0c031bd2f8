import { shareOf } from '../benefits/cents';

/**
 * How a premium is put together from the factors the pricing decision table
 * gives (bpmn/premium-pricing.dmn), in integer cents only. The order is the
 * breakdown a client reads, each step showing what it changed:
 *
 * 1. base: each insured person's base yearly premium for the product, summed;
 * 2. age: each person's base times their age band's factor, rounded half up
 *    to the cent per person;
 * 3. region, 4. dependants, 5. deductible: the subtotal times that factor,
 *    rounded half up to the cent;
 * 6. payment frequency: the subtotal times the frequency's loading, divided
 *    into equal instalments rounded half up to the cent; the yearly premium
 *    is exactly the instalment times the number of instalments, so what the
 *    client pays in a year is the figure shown, and the rounding of the
 *    instalment is part of this step.
 *
 * Factors are thousandths (permille, 1000 = unchanged), like co-insurance.
 */

export type PaymentFrequency = 'yearly' | 'half-yearly' | 'quarterly' | 'monthly';

export const PERIODS_PER_YEAR: Readonly<Record<PaymentFrequency, number>> = { yearly: 1, 'half-yearly': 2, quarterly: 4, monthly: 12 };

export type PriceFactor = 'base' | 'age' | 'region' | 'dependants' | 'deductible' | 'frequency';

/** A factor as the decision table gives it: thousandths and the words the client reads. */
export interface Factor {
  readonly permille: number;
  readonly label: string;
}

export interface PersonPrice {
  readonly basePremiumCents: number;
  readonly baseLabel: string;
  readonly age: Factor;
}

export interface PremiumFactors {
  readonly people: readonly PersonPrice[];
  readonly region: Factor;
  readonly dependants: Factor;
  readonly deductible: Factor;
  readonly frequency: Factor;
  readonly periodsPerYear: number;
}

/** One line of a quote's breakdown: what the factor did to the yearly price, and the yearly price after it. */
export interface PriceStep {
  readonly factor: PriceFactor;
  readonly label: string;
  /** The factor in thousandths; null where it differs per person (age) or is not a factor (base). */
  readonly permille: number | null;
  readonly changeCents: number;
  readonly subtotalCents: number;
}

export interface Premium {
  readonly steps: readonly PriceStep[];
  readonly periodPremiumCents: number;
  readonly yearlyPremiumCents: number;
}

/** `cents / divisor` rounded half up, in integers (both non-negative, divisor positive). */
export function divideHalfUp(cents: number, divisor: number): number {
  const remainder = cents % divisor;
  const whole = (cents - remainder) / divisor;
  return remainder * 2 >= divisor ? whole + 1 : whole;
}

function checkFactor(name: string, factor: Factor): void {
  if (!Number.isSafeInteger(factor.permille) || factor.permille < 0) throw new RangeError(`The ${name} factor must be whole thousandths, at least 0, but is ${factor.permille}.`);
}

export function pricePremium(factors: PremiumFactors): Premium {
  if (factors.people.length === 0) throw new RangeError('A premium needs at least one insured person.');
  if (![1, 2, 4, 12].includes(factors.periodsPerYear)) throw new RangeError(`Expected 1, 2, 4 or 12 instalments a year, but got ${factors.periodsPerYear}.`);
  for (const person of factors.people) {
    if (!Number.isSafeInteger(person.basePremiumCents) || person.basePremiumCents < 0) throw new RangeError(`A base premium must be whole cents, at least 0, but is ${person.basePremiumCents}.`);
    checkFactor('age', person.age);
  }
  for (const name of ['region', 'dependants', 'deductible', 'frequency'] as const) checkFactor(name, factors[name]);

  const steps: PriceStep[] = [];
  let subtotal = 0;
  const step = (factor: PriceFactor, label: string, permille: number | null, after: number) => {
    if (!Number.isSafeInteger(after)) throw new RangeError(`The premium after the ${factor} step is beyond exact arithmetic.`);
    steps.push({ factor, label, permille, changeCents: after - subtotal, subtotalCents: after });
    subtotal = after;
  };

  const base = factors.people.reduce((sum, p) => sum + p.basePremiumCents, 0);
  step('base', distinct(factors.people.map((p) => p.baseLabel)), null, base);
  const afterAge = factors.people.reduce((sum, p) => sum + shareOf(p.basePremiumCents, p.age.permille), 0);
  const sameAge = factors.people.every((p) => p.age.permille === factors.people[0]!.age.permille);
  step('age', distinct(factors.people.map((p) => p.age.label)), sameAge ? factors.people[0]!.age.permille : null, afterAge);
  for (const name of ['region', 'dependants', 'deductible'] as const) step(name, factors[name].label, factors[name].permille, shareOf(subtotal, factors[name].permille));
  const loaded = shareOf(subtotal, factors.frequency.permille);
  const period = divideHalfUp(loaded, factors.periodsPerYear);
  step('frequency', factors.frequency.label, factors.frequency.permille, period * factors.periodsPerYear);
  return { steps, periodPremiumCents: period, yearlyPremiumCents: subtotal };
}

/** The labels of the people, each once, in order ("Age 30-39; Age 0-17"). */
function distinct(labels: readonly string[]): string {
  return [...new Set(labels)].join('; ');
}
