// The claims and customers the staff benchmarks (search, dashboards) run over, loaded by SQL.

/** How many claims the staff benchmarks load (BENCH_SEARCH_CLAIMS), and customers for them. */
export const CLAIMS = Number(process.env.BENCH_SEARCH_CLAIMS ?? 100_000);
export const CUSTOMERS = CLAIMS / 5;

export const FIRST = ['Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'Farid', 'Giulia', 'Hugo', 'Inès', 'Jonas', 'Katrin', 'Lucas', 'Maya', 'Nils', 'Olga', 'Pierre', 'Quentin', 'Rosa', 'Sven', 'Tomas'];
export const SYLLABLES = ['mar', 'tin', 'kel', 'ler', 'du', 'bois', 'ber', 'nard', 'lam', 'bert', 'fon', 'taine', 'ro', 'sso', 'vi', 'dal', 'cos', 'ta', 'pe', 'tit'];

/** Customers, one active policy each, and claims in every status, all by SQL (ids derived from n, so claims can point at them). */
export async function seedStaffData(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void> {
  await query(
    `INSERT INTO customer (id, subject, full_name, email, phone)
     SELECT md5('customer' || n)::uuid, 'bench-' || n, name.first || ' ' || name.last,
            lower(translate(name.first, 'éè', 'ee')) || '.' || lower(name.last) || n || '@mail.example', '+336' || lpad(n::text, 8, '0')
       FROM generate_series(1, $1::int) n,
            LATERAL (SELECT ($2::text[])[1 + n % 20] AS first,
                            initcap(($3::text[])[1 + (n / 20) % 20] || ($3::text[])[1 + (n / 400) % 20] || ($3::text[])[1 + (n / 8000) % 20]) AS last) name`,
    [CUSTOMERS, FIRST, SYLLABLES],
  );
  await query(
    `INSERT INTO policy (id, number, customer_id, product, status, starts_on, ends_on, currency, annual_deductible, coinsurance_rate, annual_limit)
     SELECT md5('policy' || n)::uuid, 'POL-' || (300000 + n), md5('customer' || n)::uuid, 'Health Plus', 'active', date '2024-01-01', date '2028-01-01', 'EUR', 100, 0.8, 25000
       FROM generate_series(1, $1::int) n`,
    [CUSTOMERS],
  );
  const statuses = ['received', 'validating', 'information-requested', 'screening', 'in-review', 'investigating', 'awaiting-approval', 'approved', 'payment-pending', 'paid', 'paid', 'paid', 'closed-nothing-payable', 'rejected', 'abandoned'];
  await query(
    // Each with a process instance key, so the portal's sweep does not take the received ones for unsent submissions.
    `INSERT INTO claim (reference, customer_id, policy_id, status, route, currency, total_claimed, request_hash, submitted_at, updated_at, version, process_instance_key)
     SELECT 'CLM-2025-' || lpad(n::text, 7, '0'), md5('customer' || c)::uuid, md5('policy' || c)::uuid, s.status,
            CASE WHEN s.status = 'investigating' OR (s.status IN ('paid', 'approved') AND n % 7 = 0) THEN 'investigation'
                 WHEN s.status IN ('in-review', 'awaiting-approval') OR (s.status IN ('paid', 'rejected') AND n % 3 = 0) THEN 'review'
                 WHEN s.status IN ('approved', 'payment-pending', 'paid', 'closed-nothing-payable') THEN 'straight-through' END,
            'EUR', 10 + (n * 37) % 2000 + (n % 100) / 100.0, 'bench', now() - n * interval '7 minutes', now(), 1, (2251799813685248 + n)::text
       FROM generate_series(1, $1::int) n, LATERAL (SELECT 1 + (n * 7919) % $2::int AS c) pick,
            LATERAL (SELECT ($3::text[])[1 + n % 15] AS status) s`,
    [CLAIMS, CUSTOMERS, statuses],
  );
  await query('VACUUM ANALYZE customer, policy, claim');
}
