/** The portal API's products and quotes, as the extranet reads them (money in integer cents, factors in thousandths). */

export interface ProductBenefitView {
  readonly careCode: string;
  readonly label: string;
  readonly perItemLimitCents: number;
  readonly annualLimitCents: number;
  readonly waitingPeriodDays: number;
  readonly requiredDocuments: readonly string[];
}

export interface ProductView {
  readonly code: string;
  readonly name: string;
  readonly summary: string;
  readonly version: number;
  readonly currency: string;
  readonly annualLimitCents: number;
  readonly coinsurancePermille: number;
  readonly deductibleOptionsCents: readonly number[];
  readonly maxEntryAge: number;
  readonly benefits: readonly ProductBenefitView[];
}

export interface PriceStep {
  readonly factor: 'base' | 'age' | 'region' | 'dependants' | 'deductible' | 'frequency';
  readonly label: string;
  readonly permille: number | null;
  readonly changeCents: number;
  readonly subtotalCents: number;
}

export type PaymentFrequency = 'yearly' | 'half-yearly' | 'quarterly' | 'monthly';

export interface QuoteView {
  readonly id: string;
  readonly product: ProductView;
  readonly startsOn: string;
  readonly region: string;
  readonly deductibleCents: number;
  readonly paymentFrequency: PaymentFrequency;
  readonly periodsPerYear: number;
  readonly insured: readonly { role: 'policyholder' | 'dependant'; birthDate: string; age: number }[];
  readonly currency: string;
  readonly periodPremiumCents: number;
  readonly yearlyPremiumCents: number;
  readonly breakdown: readonly PriceStep[];
  readonly validUntil: string;
  readonly valid: boolean;
  readonly createdAt: string;
}

export interface ComparisonView {
  readonly quotes: readonly [QuoteView, QuoteView];
  readonly benefits: readonly { careCode: string; label: string; offers: readonly ({ perItemLimitCents: number; annualLimitCents: number; waitingPeriodDays: number } | null)[] }[];
}

/** The regions the pricing table prices (bpmn/premium-pricing.dmn); the API refuses any other. */
export const REGIONS: readonly { code: string; label: string }[] = [
  { code: 'metropolitan', label: 'Metropolitan area' },
  { code: 'urban', label: 'Other city or town' },
  { code: 'rural', label: 'Rural area' },
];

export const FREQUENCIES: readonly { code: PaymentFrequency; label: string; per: string }[] = [
  { code: 'monthly', label: 'Monthly', per: 'a month' },
  { code: 'quarterly', label: 'Quarterly', per: 'a quarter' },
  { code: 'half-yearly', label: 'Twice a year', per: 'every six months' },
  { code: 'yearly', label: 'Once a year', per: 'a year' },
];

export const STEP_NAMES: Readonly<Record<PriceStep['factor'], string>> = {
  base: 'Base premium',
  age: 'Age',
  region: 'Region',
  dependants: 'Dependants',
  deductible: 'Deductible',
  frequency: 'Payment frequency',
};
