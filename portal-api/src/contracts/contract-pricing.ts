import { Injectable } from '@nestjs/common';
import { Problem } from '../http/problem';
import { PERIODS_PER_YEAR, pricePremium, type PaymentFrequency, type Premium } from '../products/premium-arithmetic';
import { PremiumPricing, type PersonFactors } from '../products/premium-pricing';
import { ageOn } from '../products/quote-dates';

/** What a policy's premium is priced on: the people insured, where, how often they pay, the deductible. */
export interface ContractTerms {
  readonly productCode: string;
  readonly region: string;
  readonly paymentFrequency: PaymentFrequency;
  readonly deductibleCents: number;
  /** The policyholder first, then the dependants. */
  readonly birthDates: readonly string[];
  /** The day ages are counted on. */
  readonly agesOn: string;
}

/**
 * Prices a policy's terms with the deployed pricing decision and the same
 * integer-cent arithmetic as quotes (products/premium-arithmetic.ts), so a
 * mid-term change or a renewal costs what a quote for the same people would.
 */
@Injectable()
export class ContractPricing {
  constructor(private readonly pricing: PremiumPricing) {}

  async price(terms: ContractTerms): Promise<Premium> {
    const ages = terms.birthDates.map((birthDate) => ageOn(birthDate, terms.agesOn));
    const dependants = ages.length - 1;
    const byAge = new Map<number, PersonFactors>();
    for (const age of new Set(ages)) {
      const { factors } = await this.pricing.evaluate({ productCode: terms.productCode, age, region: terms.region, dependants, deductibleCents: terms.deductibleCents, paymentFrequency: terms.paymentFrequency });
      if (!factors.ok) throw Problem.unprocessable(`The pricing table does not price these terms (${factors.missing.join(', ')}: no rule for age ${age}, region ${terms.region}, ${dependants} dependants, deductible ${terms.deductibleCents} cents).`, factors.missing.map((name) => ({ name: name === 'deductible' ? 'deductibleCents' : name === 'dependants' ? 'addDependants' : 'policy', reason: `has no price in the pricing table (${name})` })));
      byAge.set(age, factors.value);
    }
    const first = byAge.get(ages[0]!)!;
    return pricePremium({
      people: ages.map((age) => ({ basePremiumCents: byAge.get(age)!.base.premiumCents, baseLabel: byAge.get(age)!.base.label, age: byAge.get(age)!.age })),
      region: first.region,
      dependants: first.dependants,
      deductible: first.deductible,
      frequency: first.frequency,
      periodsPerYear: PERIODS_PER_YEAR[terms.paymentFrequency],
    });
  }
}
