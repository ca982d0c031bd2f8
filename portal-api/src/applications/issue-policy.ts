import { createHash } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import { createBillingSchedule } from '../billing/billing-schedules';
import { storePaymentMethod } from '../billing/collections/payment-methods.service';
import { type DocumentStorage } from '../documents/document-storage';
import { Problem } from '../http/problem';
import { type PaymentFrequency } from '../products/premium-arithmetic';
import { addDays, todayUtc } from '../products/quote-dates';
import { centsAsDecimal, permilleAsRate } from './money-text';
import { policySchedulePdf } from './policy-schedule-pdf';

export interface IssuedPolicy {
  readonly policyId: string;
  readonly policyNumber: string;
  readonly scheduleDocumentId: string;
  /** False when the policy had been issued before (a retried job, a replayed acceptance). */
  readonly issued: boolean;
}

interface ApplicationRow {
  id: string;
  reference: string;
  owner_subject: string;
  status: string;
  policy_id: string | null;
  people: { role: string; fullName: string; birthDate: string }[];
  contact: { email: string; phone?: string };
  quote_id: string;
  iban: string | null;
  account_holder: string | null;
  premiums_by_direct_debit: boolean;
}

/**
 * The one way a policy is created from an application: the accepted
 * application's quote becomes a policy on the product version it was priced
 * on (its schedule copied, as every policy keeps the terms it was sold
 * with), with its schedule as a PDF among the client's documents. Runs in
 * the caller's transaction and locks the application row first, so two
 * calls at once (a retried job, a replayed acceptance) issue one policy: the
 * second finds `policy_id` set and answers that policy. Any other state than
 * accepted (or issued) is refused (409).
 */
export async function issuePolicy(manager: EntityManager, storage: DocumentStorage, applicationId: string): Promise<IssuedPolicy> {
  const [app] = await manager.query<ApplicationRow[]>(`SELECT id, reference, owner_subject, status, policy_id, people, contact, quote_id, iban, account_holder, premiums_by_direct_debit FROM policy_application WHERE id = $1 FOR UPDATE`, [applicationId]);
  if (!app) throw Problem.notFound('application', applicationId);
  if (app.policy_id) {
    const [existing] = await manager.query<{ number: string; document_id: string }[]>(`SELECT p.number, d.id AS document_id FROM policy p JOIN client_document d ON d.policy_id = p.id AND d.kind = 'policy-schedule' WHERE p.id = $1`, [app.policy_id]);
    return { policyId: app.policy_id, policyNumber: existing!.number, scheduleDocumentId: existing!.document_id, issued: false };
  }
  if (app.status !== 'accepted') throw Problem.conflict(`Application ${app.reference} is ${app.status}: only an accepted offer issues a policy.`);
  const [quote] = await manager.query<{ starts_on: string; currency: string; deductible_cents: string; yearly_premium_cents: string; period_premium_cents: string; payment_frequency: string; product_version_id: string; version: number; annual_limit_cents: string; coinsurance_permille: number; product_name: string }[]>(
    `SELECT to_char(q.starts_on, 'YYYY-MM-DD') AS starts_on, q.currency, q.deductible_cents, q.yearly_premium_cents, q.period_premium_cents, q.payment_frequency, q.product_version_id,
            v.version, v.annual_limit_cents, v.coinsurance_permille, p.name AS product_name
       FROM quote q JOIN product_version v ON v.id = q.product_version_id JOIN product p ON p.id = v.product_id WHERE q.id = $1`,
    [app.quote_id],
  );
  if (!quote) throw new Error(`The quote of application ${app.reference} is gone.`);
  const benefits = await manager.query<{ care_code: string; label: string; per_item_limit_cents: string; annual_limit_cents: string; waiting_period_days: number; required_documents: string[] }[]>(
    `SELECT care_code, label, per_item_limit_cents, annual_limit_cents, waiting_period_days, required_documents FROM product_benefit WHERE product_version_id = $1 ORDER BY care_code`,
    [quote.product_version_id],
  );
  const holder = app.people.find((p) => p.role === 'policyholder')!;
  const customerId = await customerFor(manager, app, holder.fullName);
  // Cover starts on the quoted day, or on acceptance when that day has passed; a policy year long.
  const today = todayUtc();
  const startsOn = quote.starts_on < today ? today : quote.starts_on;
  const endsOn = addDays(addYear(startsOn), -1);
  const policyNumber = policyNumberFor(app.reference);
  const [policy] = await manager.query<{ id: string }[]>(
    `INSERT INTO policy (number, customer_id, product, product_version_id, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit, payment_frequency)
     VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [policyNumber, customerId, quote.product_name, quote.product_version_id, startsOn, endsOn, quote.currency, centsAsDecimal(Number(quote.deductible_cents)), permilleAsRate(quote.coinsurance_permille), centsAsDecimal(Number(quote.annual_limit_cents)), quote.payment_frequency],
  );
  // Billed as quoted, from the first day of cover, committed with the policy.
  await createBillingSchedule(manager, { policyId: policy!.id, frequency: quote.payment_frequency as PaymentFrequency, startsOn, periodPremiumCents: Number(quote.period_premium_cents), currency: quote.currency });
  // The mandate the applicant gave: the first invoice is collected by direct debit on its due date.
  if (app.premiums_by_direct_debit && app.iban && app.account_holder) {
    await storePaymentMethod(manager, { customerId, policyId: policy!.id, policyNumber }, { kind: 'sepa-direct-debit', accountHolder: app.account_holder, iban: app.iban });
  }
  for (const b of benefits) {
    await manager.query(
      `INSERT INTO policy_benefit (policy_id, care_code, label, per_item_limit, annual_limit, waiting_period_days, required_documents) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [policy!.id, b.care_code, b.label, centsAsDecimal(Number(b.per_item_limit_cents)), centsAsDecimal(Number(b.annual_limit_cents)), b.waiting_period_days, b.required_documents],
    );
  }
  const pdf = await policySchedulePdf({
    policyNumber,
    holder: holder.fullName,
    insured: app.people,
    product: quote.product_name,
    productVersion: quote.version,
    startsOn,
    endsOn,
    currency: quote.currency,
    yearlyPremiumCents: Number(quote.yearly_premium_cents),
    periodPremiumCents: Number(quote.period_premium_cents),
    paymentFrequency: quote.payment_frequency,
    deductibleCents: Number(quote.deductible_cents),
    coinsurancePermille: quote.coinsurance_permille,
    annualLimitCents: Number(quote.annual_limit_cents),
    benefits: benefits.map((b) => ({ label: b.label, perItemLimitCents: Number(b.per_item_limit_cents), annualLimitCents: Number(b.annual_limit_cents), waitingPeriodDays: b.waiting_period_days })),
  });
  const storageKey = await storage.put(pdf);
  try {
    const [document] = await manager.query<{ id: string }[]>(
      `INSERT INTO client_document (customer_id, policy_id, kind, name, storage_key, media_type, size, sha256) VALUES ($1, $2, 'policy-schedule', $3, $4, 'application/pdf', $5, $6) RETURNING id`,
      [customerId, policy!.id, `Policy schedule ${policyNumber}.pdf`, storageKey, pdf.length, createHash('sha256').update(pdf).digest('hex')],
    );
    await manager.query(`UPDATE policy_application SET status = 'issued', policy_id = $2, updated_at = now() WHERE id = $1`, [app.id, policy!.id]);
    return { policyId: policy!.id, policyNumber, scheduleDocumentId: document!.id, issued: true };
  } catch (error) {
    await storage.remove(storageKey);
    throw error;
  }
}

/**
 * The applicant's customer record, made from the application when a new
 * client has none yet, with the account the application gave as its payment
 * details. A customer who already has details keeps them (the application
 * does not silently redirect their reimbursements); one without gets the
 * application's.
 */
async function customerFor(manager: EntityManager, app: ApplicationRow, fullName: string): Promise<string> {
  const [found] = await manager.query<{ id: string }[]>(`SELECT id FROM customer WHERE subject = $1`, [app.owner_subject]);
  if (found) {
    if (app.iban) await manager.query(`UPDATE customer SET iban = $2, account_holder = $3 WHERE id = $1 AND iban IS NULL`, [found.id, app.iban, app.account_holder]);
    return found.id;
  }
  const [made] = await manager.query<{ id: string }[]>(
    `INSERT INTO customer (subject, full_name, email, phone, iban, account_holder) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [app.owner_subject, fullName, app.contact.email, app.contact.phone ?? null, app.iban, app.account_holder],
  );
  return made!.id;
}

function addYear(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 29 February plus a year is 28 February (then the day before is the end).
  const next = new Date(Date.UTC(y + 1, m - 1, m === 2 && d === 29 ? 28 : d));
  return next.toISOString().slice(0, 10);
}

/**
 * The policy number an application issues: its whole number after a 9 (demo
 * policies are POL-1xxxxx), so it is unique as the application's reference
 * is, however many applications there are.
 */
export function policyNumberFor(applicationReference: string): string {
  return `POL-9${applicationReference.replace(/^APP-/, '')}`;
}
