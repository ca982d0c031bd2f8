import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { Problem, type InvalidParam } from '../http/problem';
import { PERIODS_PER_YEAR, pricePremium } from './premium-arithmetic';
import { PremiumPricing, type FactorName, type PersonFactors } from './premium-pricing';
import { ProductCatalog, productView, type ProductView } from './product-catalog';
import { type ProductVersion } from './product-version.entity';
import { addDays, ageOn, todayUtc } from './quote-dates';
import { type CompareQuotesInput, type CreateQuoteInput, type ProductChoiceInput, type QuoteTermsInput } from './quote.dto';
import { Quote, type QuotedPerson } from './quote.entity';

/** How long a quote's price holds. */
export const QUOTE_VALID_DAYS = 30;
/** How far ahead a cover start may be quoted. */
export const QUOTE_START_MAX_DAYS_AHEAD = 180;

export function quoteView(quote: Quote, today = todayUtc()) {
  return {
    id: quote.id,
    product: productView(quote.productVersion.product, quote.productVersion),
    startsOn: quote.startsOn,
    region: quote.region,
    deductibleCents: quote.deductibleCents,
    paymentFrequency: quote.paymentFrequency,
    periodsPerYear: quote.periodsPerYear,
    insured: quote.insured,
    currency: quote.currency,
    periodPremiumCents: quote.periodPremiumCents,
    yearlyPremiumCents: quote.yearlyPremiumCents,
    breakdown: quote.breakdown,
    validUntil: quote.validUntil,
    valid: today <= quote.validUntil,
    createdAt: quote.createdAt.toISOString(),
  };
}

type QuoteView = ReturnType<typeof quoteView>;

/** The two schedules side by side, one row per kind of care either product covers. */
export function benefitComparison(products: readonly ProductView[]) {
  const codes = [...new Set(products.flatMap((p) => p.benefits.map((b) => b.careCode)))].sort();
  return codes.map((careCode) => {
    const lines = products.map((p) => p.benefits.find((b) => b.careCode === careCode) ?? null);
    return {
      careCode,
      label: lines.find((l) => l !== null)!.label,
      offers: lines.map((l) => (l ? { perItemLimitCents: l.perItemLimitCents, annualLimitCents: l.annualLimitCents, waitingPeriodDays: l.waitingPeriodDays } : null)),
    };
  });
}

/**
 * Quotes: the product version in effect on the cover start, the deployed
 * pricing decision's factors for each insured person, multiplied in
 * integer cents (premium-arithmetic.ts), kept with their breakdown. A quote
 * belongs to whoever asked (their token's subject) and to nobody else.
 */
@Injectable()
export class QuotesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: ProductCatalog,
    private readonly pricing: PremiumPricing,
    private readonly audit: AuditLog,
  ) {}

  async create(caller: Principal, input: CreateQuoteInput): Promise<QuoteView> {
    const today = todayUtc();
    const quote = await this.price(caller, input, input, '', today);
    const [saved] = await this.save(caller, [quote]);
    return quoteView(saved!, today);
  }

  async compare(caller: Principal, input: CompareQuotesInput) {
    const today = todayUtc();
    if (input.products[0]!.productCode === input.products[1]!.productCode) throw Problem.unprocessable('Compare two different products.', [{ name: 'products[1].productCode', reason: 'must differ from products[0].productCode' }]);
    const priced = await Promise.allSettled(input.products.map((choice, index) => this.price(caller, input, choice, `products[${index}].`, today)));
    const refused = priced.filter((p): p is PromiseRejectedResult => p.status === 'rejected').map((p) => p.reason as unknown);
    if (refused.length > 0) {
      const problems = refused.filter((r): r is Problem => r instanceof Problem && r.getStatus() === 422);
      if (problems.length !== refused.length) throw refused.find((r) => !(r instanceof Problem && r.getStatus() === 422));
      const errors = dedupe(problems.flatMap((p) => p.errors ?? []));
      throw Problem.unprocessable(`These quotes cannot be given: ${errors.map((e) => `${e.name} ${e.reason}`).join('; ')}.`, errors);
    }
    const quotes = (await this.save(caller, priced.map((p) => (p as PromiseFulfilledResult<Quote>).value))).map((q) => quoteView(q, today));
    return { quotes, benefits: benefitComparison(quotes.map((q) => q.product)) };
  }

  async get(caller: Principal, id: string): Promise<QuoteView> {
    if (!isUuid(id)) throw Problem.notFound('quote', id);
    const quote = await this.dataSource.getRepository(Quote).findOne({ where: { id, ownerSubject: caller.subject }, relations: { productVersion: { product: true, benefits: true } } });
    if (!quote) throw Problem.notFound('quote', id);
    return quoteView(quote);
  }

  async mine(caller: Principal): Promise<{ items: QuoteView[] }> {
    const quotes = await this.dataSource.getRepository(Quote).find({ where: { ownerSubject: caller.subject }, relations: { productVersion: { product: true, benefits: true } }, order: { createdAt: 'DESC' }, take: 50 });
    const today = todayUtc();
    return { items: quotes.map((q) => quoteView(q, today)) };
  }

  private async save(caller: Principal, quotes: Quote[]): Promise<Quote[]> {
    return this.dataSource.transaction(async (manager) => {
      const saved: Quote[] = [];
      for (const quote of quotes) {
        const row = await manager.getRepository(Quote).save(quote);
        await this.audit.record(manager, caller, { action: 'quote.created', entityType: 'quote', entityId: row.id, details: { productVersionId: row.productVersionId, yearlyPremiumCents: row.yearlyPremiumCents, pricing: row.pricing } });
        saved.push(row);
      }
      return saved;
    });
  }

  /** Prices one product for the terms; every refusal is 422 naming the field (`prefix` places the product's own fields). */
  private async price(caller: Principal, terms: QuoteTermsInput, choice: ProductChoiceInput, prefix: string, today: string): Promise<Quote> {
    const startsOn = terms.startsOn ?? today;
    const errors: InvalidParam[] = [];
    if (startsOn < today) errors.push({ name: 'startsOn', reason: 'must be today or later' });
    if (startsOn > addDays(today, QUOTE_START_MAX_DAYS_AHEAD)) errors.push({ name: 'startsOn', reason: `must be at most ${QUOTE_START_MAX_DAYS_AHEAD} days ahead` });
    if (terms.insured.filter((p) => p.role === 'policyholder').length !== 1) errors.push({ name: 'insured', reason: 'must name exactly one policyholder' });
    terms.insured.forEach((p, i) => {
      if (p.birthDate > today) errors.push({ name: `insured[${i}].birthDate`, reason: 'must not be in the future' });
    });
    const version = await this.catalog.versionOn(choice.productCode, startsOn);
    if (!version) errors.push({ name: `${prefix}productCode`, reason: `is not a product we sell on ${startsOn}` });
    else {
      if (!version.deductibleOptionsCents.includes(choice.deductibleCents)) errors.push({ name: `${prefix}deductibleCents`, reason: `must be one of ${[...version.deductibleOptionsCents].sort((a, b) => a - b).join(', ')} for ${version.product.name}` });
      terms.insured.forEach((p, i) => {
        const age = ageOn(p.birthDate, startsOn);
        if (p.birthDate <= today && age > version.maxEntryAge) errors.push({ name: `insured[${i}].birthDate`, reason: `makes ${age} on ${startsOn}; ${version.product.name} takes people up to ${version.maxEntryAge}` });
      });
    }
    refuseIf(errors);
    const product = version!;
    const insured: QuotedPerson[] = terms.insured.map((p) => ({ role: p.role, birthDate: p.birthDate, age: ageOn(p.birthDate, startsOn) }));
    const dependants = insured.length - 1;
    // One evaluation per distinct age: the other inputs are the quote's.
    const byAge = new Map<number, Awaited<ReturnType<PremiumPricing['evaluate']>>>();
    for (const age of new Set(insured.map((p) => p.age))) {
      byAge.set(age, await this.pricing.evaluate({ productCode: product.product.code, age, region: terms.region, dependants, deductibleCents: choice.deductibleCents, paymentFrequency: terms.paymentFrequency }));
    }
    for (const [age, { factors }] of byAge) {
      if (!factors.ok) errors.push(...factors.missing.map((name) => missingFactor(name, { age, insured, prefix, terms, product })));
    }
    refuseIf(dedupe(errors));
    const factorsOf = (age: number) => (byAge.get(age)!.factors as { ok: true; value: PersonFactors }).value;
    const first = factorsOf(insured[0]!.age);
    const premium = pricePremium({
      people: insured.map((p) => ({ basePremiumCents: factorsOf(p.age).base.premiumCents, baseLabel: factorsOf(p.age).base.label, age: factorsOf(p.age).age })),
      region: first.region,
      dependants: first.dependants,
      deductible: first.deductible,
      frequency: first.frequency,
      periodsPerYear: PERIODS_PER_YEAR[terms.paymentFrequency],
    });
    return this.dataSource.getRepository(Quote).create({
      ownerSubject: caller.subject,
      productVersionId: product.id,
      productVersion: product,
      startsOn,
      region: terms.region,
      deductibleCents: choice.deductibleCents,
      paymentFrequency: terms.paymentFrequency,
      insured,
      currency: product.currency,
      periodPremiumCents: premium.periodPremiumCents,
      periodsPerYear: PERIODS_PER_YEAR[terms.paymentFrequency],
      yearlyPremiumCents: premium.yearlyPremiumCents,
      breakdown: [...premium.steps],
      pricing: byAge.get(insured[0]!.age)!.source,
      validUntil: addDays(today, QUOTE_VALID_DAYS),
    });
  }
}

function refuseIf(errors: readonly InvalidParam[]): void {
  if (errors.length > 0) throw Problem.unprocessable(`This quote cannot be given: ${errors.map((e) => `${e.name} ${e.reason}`).join('; ')}.`, errors);
}

function dedupe(errors: readonly InvalidParam[]): InvalidParam[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.name}\u0000${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The input the pricing table has no rule for, named as the client sent it. */
function missingFactor(name: FactorName, at: { age: number; insured: readonly QuotedPerson[]; prefix: string; terms: QuoteTermsInput; product: ProductVersion }): InvalidParam {
  switch (name) {
    case 'base':
      return { name: `${at.prefix}productCode`, reason: `has no price yet for ${at.product.product.name}` };
    case 'age': {
      const index = at.insured.findIndex((p) => p.age === at.age);
      return { name: `insured[${index}].birthDate`, reason: `makes ${at.age}, an age we do not price` };
    }
    case 'region':
      return { name: 'region', reason: 'is not a region we price' };
    case 'dependants':
      return { name: 'insured', reason: `lists ${at.insured.length - 1} dependants, more than we price` };
    case 'deductible':
      return { name: `${at.prefix}deductibleCents`, reason: `has no price for ${at.product.product.name}` };
    case 'frequency':
      return { name: 'paymentFrequency', reason: `is not a payment frequency we price (${at.terms.paymentFrequency})` };
  }
}
