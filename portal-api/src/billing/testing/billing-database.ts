import { createLogger } from '@claims/deploy';
import { createTestDatabase, type TestDatabase } from '@claims/deploy/src/testing/test-database';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate } from '../../database/data-source';
import { type PaymentFrequency } from '../../products/premium-arithmetic';
import { BillingService } from '../billing.service';
import { createBillingSchedule } from '../billing-schedules';

/** A migrated database of the suite's own and the billing service on it, without the rest of the portal. */
export interface BillingDatabase {
  readonly database: TestDatabase;
  readonly dataSource: DataSource;
  readonly billing: BillingService;
  stop(): Promise<void>;
}

export async function startBillingDatabase(label: string, poolSize = 8): Promise<BillingDatabase> {
  const database = await createTestDatabase(label);
  const dataSource = await new DataSource(dataSourceOptions(database.url, poolSize)).initialize();
  await migrate(dataSource);
  const billing = new BillingService(dataSource, createLogger(`test-${label}`, { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }));
  return {
    database,
    dataSource,
    billing,
    async stop() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

export interface SeededPolicy {
  policyId: string;
  customerId: string;
  scheduleId: string;
}

let seeded = 0;

/** A customer with one active policy and its billing schedule, written as the issuing code writes them. */
export async function seedPolicy(
  dataSource: DataSource,
  policy: { startsOn: string; endsOn?: string; frequency?: PaymentFrequency; periodPremiumCents: number; billingDay?: number; currency?: string },
): Promise<SeededPolicy> {
  seeded += 1;
  const tag = `${process.pid}-${seeded}-${Math.random().toString(36).slice(2, 8)}`;
  return dataSource.transaction(async (manager) => {
    const [customer] = await manager.query<{ id: string }[]>(`INSERT INTO customer (subject, full_name, email) VALUES ($1, 'Test Client', 'client@example.test') RETURNING id`, [`billing-${tag}`]);
    const endsOn = policy.endsOn ?? `${Number(policy.startsOn.slice(0, 4)) + 1}${policy.startsOn.slice(4)}`;
    const [row] = await manager.query<{ id: string }[]>(
      `INSERT INTO policy (number, customer_id, product, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit, payment_frequency)
       VALUES ($1, $2, 'Health Essential', 'active', $3, ($4::date - 1), $5, 300, 0.8, 100000, $6) RETURNING id`,
      [`POL-T${tag}`, customer!.id, policy.startsOn, endsOn, policy.currency ?? 'EUR', policy.frequency ?? 'monthly'],
    );
    const scheduleId = await createBillingSchedule(manager, {
      policyId: row!.id,
      frequency: policy.frequency ?? 'monthly',
      startsOn: policy.startsOn,
      billingDay: policy.billingDay,
      periodPremiumCents: policy.periodPremiumCents,
      currency: policy.currency ?? 'EUR',
    });
    return { policyId: row!.id, customerId: customer!.id, scheduleId };
  });
}
