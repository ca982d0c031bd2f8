// Customers for the identity issuer's extra client accounts (IDENTITY_EXTRA_CLIENTS),
// so a benchmark can file as many distinct clients as it needs.
import { type DataSource } from 'typeorm';
import { type RealmUser } from '@claims/deploy/src/identity/demo-realm';

/** The demo policy each load-test client gets a copy of (alice's Health Plus). */
const TEMPLATE_POLICY = 'POL-100001';

export interface LoadTestClient {
  readonly username: string;
  readonly policyNumber: string;
}

/**
 * For each user, a customer (linked by `sub`, with bank details so a payout
 * needs no question) holding a copy of alice's demo policy: its terms,
 * benefits, status history and versions, so the claim path meets the same
 * rules it meets for her. By SQL in one transaction; policy numbers
 * `POL-8xxxxx` follow the user's position.
 */
export async function seedLoadTestClients(dataSource: DataSource, users: readonly RealmUser[]): Promise<LoadTestClient[]> {
  const numbers = users.map((_, index) => `POL-8${String(index + 1).padStart(5, '0')}`);
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `INSERT INTO customer (subject, full_name, email, phone, iban, account_holder)
       SELECT u.subject, u.full_name, u.email, u.phone, t.iban, u.full_name
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(subject, full_name, email, phone),
              (SELECT cu.iban FROM customer cu JOIN policy p ON p.customer_id = cu.id WHERE p.number = $5) AS t`,
      [users.map((u) => u.id), users.map((u) => `${u.givenName} ${u.familyName}`), users.map((u) => u.email), users.map((u) => u.phoneNumber ?? null), TEMPLATE_POLICY],
    );
    await manager.query(
      `INSERT INTO policy (number, customer_id, product, product_version_id, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit, region, payment_frequency, holder_birth_date)
       SELECT u.number, cu.id, t.product, t.product_version_id, t.status, t.starts_on, t.ends_on, t.currency, t.annual_deductible, t.coinsurance_rate, t.annual_limit, t.region, t.payment_frequency, t.holder_birth_date
         FROM unnest($1::text[], $2::text[]) AS u(subject, number) JOIN customer cu ON cu.subject = u.subject, policy t
        WHERE t.number = $3`,
      [users.map((u) => u.id), numbers, TEMPLATE_POLICY],
    );
    // The template's rows of each table that belongs to a policy, for every new policy.
    const copyOfTemplate = (table: string, columns: readonly string[]) =>
      manager.query(
        `INSERT INTO ${table} (policy_id, ${columns.join(', ')})
         SELECT p.id, ${columns.map((column) => `r.${column}`).join(', ')}
           FROM policy t JOIN ${table} r ON r.policy_id = t.id, policy p
          WHERE t.number = $2 AND p.number = ANY($1)`,
        [numbers, TEMPLATE_POLICY],
      );
    await copyOfTemplate('policy_benefit', ['care_code', 'label', 'per_item_limit', 'annual_limit', 'waiting_period_days', 'required_documents']);
    await copyOfTemplate('policy_status_period', ['status', 'effective_from', 'effective_to', 'reason', 'recorded_by']);
    await copyOfTemplate('policy_version', ['version', 'kind', 'effective_from', 'effective_to', 'product_version_id', 'annual_deductible_cents', 'insured_count', 'yearly_premium_cents', 'period_premium_cents', 'adjustment_cents', 'breakdown', 'change', 'recorded_by']);
  });
  return users.map((u, index) => ({ username: u.username, policyNumber: numbers[index]! }));
}
