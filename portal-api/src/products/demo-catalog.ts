import { type EntityManager } from 'typeorm';
import { Product } from './product.entity';
import { ProductVersion } from './product-version.entity';
import { type ProductBenefit } from './product-benefit.entity';

export type CatalogBenefit = Pick<ProductBenefit, 'careCode' | 'label' | 'perItemLimitCents' | 'annualLimitCents' | 'waitingPeriodDays' | 'requiredDocuments'>;

const benefit = (careCode: string, label: string, perItemEuros: number, annualEuros: number, waitingPeriodDays: number, requiredDocuments: string[]): CatalogBenefit => ({
  careCode,
  label,
  perItemLimitCents: perItemEuros * 100,
  annualLimitCents: annualEuros * 100,
  waitingPeriodDays,
  requiredDocuments,
});

/** The schedule the demo's Health Plus policies were sold with (demo-data.ts copies it onto them). */
export const PLUS_V1_SCHEDULE: CatalogBenefit[] = [
  benefit('GP_VISIT', 'General practitioner visit', 100, 1_000, 0, ['receipt']),
  benefit('SPECIALIST', 'Specialist consultation', 200, 2_000, 0, ['receipt']),
  benefit('PHARMACY', 'Prescribed medicines', 250, 1_500, 0, ['receipt', 'prescription']),
  benefit('PHYSIO', 'Physiotherapy session', 60, 900, 30, ['receipt', 'prescription']),
  benefit('DENTAL', 'Dental care', 400, 1_200, 180, ['receipt']),
  benefit('OPTICAL', 'Glasses and lenses', 300, 300, 365, ['receipt', 'prescription']),
  benefit('HOSPITAL', 'Hospital stay', 5_000, 20_000, 90, ['receipt', 'medical-report']),
];

export const ESSENTIAL_V1_SCHEDULE: CatalogBenefit[] = PLUS_V1_SCHEDULE.filter((b) => ['GP_VISIT', 'SPECIALIST', 'PHARMACY', 'HOSPITAL'].includes(b.careCode));

/** Health Plus from its second version: specialists and physiotherapy raised, glasses after six months. */
const PLUS_V2_SCHEDULE: CatalogBenefit[] = PLUS_V1_SCHEDULE.map((b) =>
  b.careCode === 'SPECIALIST' ? { ...b, perItemLimitCents: 25_000, annualLimitCents: 250_000 } : b.careCode === 'PHYSIO' ? { ...b, annualLimitCents: 120_000 } : b.careCode === 'OPTICAL' ? { ...b, waitingPeriodDays: 180 } : b,
);

const PREMIUM_SCHEDULE: CatalogBenefit[] = [
  benefit('GP_VISIT', 'General practitioner visit', 150, 2_000, 0, ['receipt']),
  benefit('SPECIALIST', 'Specialist consultation', 300, 4_000, 0, ['receipt']),
  benefit('PHARMACY', 'Prescribed medicines', 400, 3_000, 0, ['receipt', 'prescription']),
  benefit('PHYSIO', 'Physiotherapy session', 80, 1_600, 0, ['receipt', 'prescription']),
  benefit('DENTAL', 'Dental care', 800, 2_500, 90, ['receipt']),
  benefit('OPTICAL', 'Glasses and lenses', 500, 500, 180, ['receipt', 'prescription']),
  benefit('HOSPITAL', 'Hospital stay', 10_000, 50_000, 30, ['receipt', 'medical-report']),
];

export interface DemoCatalog {
  readonly plusV1: ProductVersion;
  readonly essentialV1: ProductVersion;
}

/**
 * The demo catalog: three health products, Health Plus in two versions
 * (the demo's existing Plus policies keep the first). Dates are relative to
 * the first start, like the demo policies. The deductible options are the
 * ones bpmn/premium-pricing.dmn prices.
 */
export async function seedDemoCatalog(manager: EntityManager, day: (offsetDays: number) => string): Promise<DemoCatalog> {
  const product = (code: string, name: string, summary: string) => manager.getRepository(Product).save({ code, name, category: 'individual health', summary });
  const version = (productId: string, spec: Omit<ProductVersion, 'id' | 'productId' | 'product' | 'benefits' | 'currency'> & { benefits: CatalogBenefit[] }) =>
    manager.getRepository(ProductVersion).save(manager.getRepository(ProductVersion).create({ productId, currency: 'EUR', ...spec, benefits: spec.benefits.map((b) => ({ ...b })) }));

  const essential = await product('HEALTH_ESSENTIAL', 'Health Essential', 'Doctors, specialists, medicines and hospital stays, at the lowest premium.');
  const plus = await product('HEALTH_PLUS', 'Health Plus', 'Everyday care with physiotherapy, dental care and glasses added.');
  const premium = await product('HEALTH_PREMIUM', 'Health Premium', 'Higher limits, shorter waiting periods and no deductible if you choose.');
  const essentialV1 = await version(essential.id, { version: 1, effectiveFrom: day(-2_000), effectiveTo: null, annualLimitCents: 1_000_000, coinsurancePermille: 700, deductibleOptionsCents: [25_000, 50_000, 100_000], maxEntryAge: 65, benefits: ESSENTIAL_V1_SCHEDULE });
  const plusV1 = await version(plus.id, { version: 1, effectiveFrom: day(-2_000), effectiveTo: day(-200), annualLimitCents: 2_500_000, coinsurancePermille: 800, deductibleOptionsCents: [10_000, 25_000, 50_000], maxEntryAge: 70, benefits: PLUS_V1_SCHEDULE });
  await version(plus.id, { version: 2, effectiveFrom: day(-199), effectiveTo: null, annualLimitCents: 2_500_000, coinsurancePermille: 800, deductibleOptionsCents: [10_000, 25_000, 50_000], maxEntryAge: 70, benefits: PLUS_V2_SCHEDULE });
  await version(premium.id, { version: 1, effectiveFrom: day(-2_000), effectiveTo: null, annualLimitCents: 5_000_000, coinsurancePermille: 900, deductibleOptionsCents: [0, 10_000, 25_000], maxEntryAge: 75, benefits: PREMIUM_SCHEDULE });
  return { plusV1, essentialV1 };
}
