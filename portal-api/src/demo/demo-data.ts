import { DEMO_USERS } from '@claims/deploy/src/identity/demo-realm';
import { DataSource } from 'typeorm';
import { type Logger } from 'pino';
import { Customer } from '../customers/customer.entity';
import { Policy } from '../customers/policy.entity';
import { type PolicyBenefit } from '../customers/policy-benefit.entity';
import { fromCents } from '../benefits/cents';
import { createBillingSchedule } from '../billing/billing-schedules';
import { storePaymentMethod } from '../billing/collections/payment-methods.service';
import { ESSENTIAL_V1_SCHEDULE, PLUS_V1_SCHEDULE, seedDemoCatalog, type CatalogBenefit } from '../products/demo-catalog';

type BenefitSpec = Pick<PolicyBenefit, 'careCode' | 'label' | 'perItemLimit' | 'annualLimit' | 'waitingPeriodDays' | 'requiredDocuments'>;

/** A product version's schedule as a policy copies it when sold (money in currency units, as policies store it). */
const scheduleOf = (version: readonly CatalogBenefit[]): BenefitSpec[] =>
  version.map(({ perItemLimitCents, annualLimitCents, ...rest }) => ({ ...rest, perItemLimit: fromCents(perItemLimitCents), annualLimit: fromCents(annualLimitCents) }));

const FULL_SCHEDULE = scheduleOf(PLUS_V1_SCHEDULE);
const ESSENTIAL_SCHEDULE = scheduleOf(ESSENTIAL_V1_SCHEDULE);

function day(offsetDays: number, from = new Date()): string {
  return new Date(from.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Demo customers and policies, created on first start (when there are no
 * customers yet) so a newcomer can sign in as alice, bruno or chloe and file a
 * claim at once. Dates are relative to the first start: bruno's policy is new,
 * so his waiting periods still run.
 */
export async function seedDemoData(dataSource: DataSource, logger: Logger): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    await manager.query('LOCK TABLE customer IN EXCLUSIVE MODE');
    if ((await manager.getRepository(Customer).count()) > 0) return false;
    const user = (username: string) => DEMO_USERS.find((u) => u.username === username)!;
    const customer = (username: string, iban: string | null) => {
      const u = user(username);
      return manager.getRepository(Customer).save({ subject: u.id, fullName: `${u.givenName} ${u.familyName}`, email: u.email, phone: u.phoneNumber ?? null, iban, accountHolder: iban ? `${u.givenName} ${u.familyName}` : null });
    };
    const policy = (owner: Customer, spec: Omit<Partial<Policy>, 'benefits'> & { number: string; benefits: BenefitSpec[] }) =>
      manager.getRepository(Policy).save(manager.getRepository(Policy).create({ customerId: owner.id, currency: 'EUR', status: 'active', ...spec, benefits: spec.benefits.map((b) => ({ ...b })) }));

    // Each policy names the product version it was sold on and keeps a copy of its schedule.
    const catalog = await seedDemoCatalog(manager, (offset) => day(offset));
    const plus = { productVersionId: catalog.plusV1.id };
    const essential = { productVersionId: catalog.essentialV1.id };
    const alice = await customer('alice', 'FR7630006000011234567890189');
    const bruno = await customer('bruno', 'DE89370400440532013000');
    const chloe = await customer('chloe', 'NL91ABNA0417164300');
    const aliceP = await policy(alice, { number: 'POL-100001', ...plus, holderBirthDate: '1986-03-14', region: 'urban', product: 'Health Plus', startsOn: day(-700), endsOn: day(1_100), annualDeductible: 100, coinsuranceRate: 0.8, annualLimit: 25_000, benefits: FULL_SCHEDULE });
    const brunoP = await policy(bruno, { number: 'POL-100002', ...essential, holderBirthDate: '1992-07-01', region: 'metropolitan', paymentFrequency: 'monthly', product: 'Health Essential', startsOn: day(-20), endsOn: day(345), annualDeductible: 250, coinsuranceRate: 0.7, annualLimit: 10_000, benefits: ESSENTIAL_SCHEDULE });
    const chloeP = await policy(chloe, { number: 'POL-100003', ...plus, holderBirthDate: '1979-11-23', region: 'rural', product: 'Health Plus', startsOn: day(-400), endsOn: day(330), annualDeductible: 100, coinsuranceRate: 0.8, annualLimit: 25_000, benefits: FULL_SCHEDULE });
    await policy(chloe, { number: 'POL-090017', ...essential, product: 'Health Essential', status: 'cancelled', startsOn: day(-1_500), endsOn: day(-401), annualDeductible: 250, coinsuranceRate: 0.7, annualLimit: 10_000, benefits: ESSENTIAL_SCHEDULE });
    // Premium billing from the current period on (the periods before were billed before this system).
    // Each is paid by direct debit from the account on file (the mandate the
    // client signed when the policy was sold), so the demo's invoices are collected.
    for (const [owner, held, periodPremiumCents] of [[alice, aliceP, 162_480], [bruno, brunoP, 8_940], [chloe, chloeP, 171_360]] as const) {
      await createBillingSchedule(manager, { policyId: held.id, frequency: held.paymentFrequency, startsOn: held.startsOn, periodPremiumCents, currency: held.currency, firstPeriodOn: day(0) });
      await storePaymentMethod(manager, { customerId: owner.id, policyId: held.id, policyNumber: held.number }, { kind: 'sepa-direct-debit', accountHolder: owner.accountHolder!, iban: owner.iban! });
    }
    logger.info({ customers: 3, policies: 4 }, 'demo data created');
    return true;
  });
}
