import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { BillingService } from '@claims/portal-api/src/billing/billing.service';
import { createBillingSchedule } from '@claims/portal-api/src/billing/billing-schedules';
import { CollectionStarter } from '@claims/portal-api/src/billing/collections/collection-starter';
import { type LifecycleFixture } from './lifecycle-fixture';

const DAY = 86_400_000;

/** A day relative to today (UTC), as YYYY-MM-DD. */
export function dayFromToday(offset: number): string {
  return new Date(Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`) + offset * DAY).toISOString().slice(0, 10);
}

/** Another policy of alice's like POL-100001 with its benefits, in cover from 100 days ago and without a billing schedule yet. */
export async function alicePolicyLikeHers(life: LifecycleFixture, number: string): Promise<string> {
  const db = life.portal.portal.dataSource;
  const [row] = await db.query<{ id: string }[]>(
    `INSERT INTO policy (number, customer_id, product, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit, product_version_id, holder_birth_date, region)
     SELECT $1, customer_id, product, 'active', $2, $3, currency, annual_deductible, coinsurance_rate, annual_limit, product_version_id, holder_birth_date, region FROM policy WHERE number = 'POL-100001' RETURNING id`,
    [number, dayFromToday(-100), dayFromToday(265)],
  );
  await db.query(
    `INSERT INTO policy_benefit (policy_id, care_code, label, per_item_limit, annual_limit, waiting_period_days, required_documents)
     SELECT $1, care_code, label, per_item_limit, annual_limit, 0, required_documents FROM policy_benefit WHERE policy_id = (SELECT id FROM policy WHERE number = 'POL-100001')`,
    [row!.id],
  );
  return row!.id;
}

/** Bills the policy's first period, from (and due on) `dueOn`, through billing's own issuing. */
export async function billInvoiceDueOn(life: LifecycleFixture, policyId: string, dueOn: string): Promise<{ id: string; number: string; totalCents: number }> {
  const scheduleId = await life.portal.portal.dataSource.transaction((manager) => createBillingSchedule(manager, { policyId, frequency: 'monthly', startsOn: dueOn, periodPremiumCents: 4_321, currency: 'EUR' }));
  const issued = await life.portal.portal.app.get(BillingService).issueInvoiceFor(scheduleId, dueOn, { issuedOn: dueOn });
  if (issued.outcome !== 'invoice') throw new Error(`expected an invoice, got ${issued.outcome}`);
  return { id: issued.invoiceId, number: issued.number, totalCents: issued.totalCents };
}

/** The starter's pass until the invoice's case runs; its process instance. */
export function collectionStarted(life: LifecycleFixture, invoiceId: string): Promise<string> {
  return eventually(async () => {
    await life.portal.portal.app.get(CollectionStarter).sweep();
    const [row] = await life.portal.portal.dataSource.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM collection_case WHERE invoice_id = $1`, [invoiceId]);
    return row?.process_instance_key ?? undefined;
  });
}
