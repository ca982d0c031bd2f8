import { randomUUID } from 'node:crypto';
import { PortalFixture } from '../testing/portal-fixture';

/**
 * issuePolicy on a real PostgreSQL: calls at once (a retried job beside a
 * replayed acceptance) issue one policy with one schedule; a new client,
 * with no customer record yet, gets one from the application.
 */
describe('issuing the policy of an accepted application', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('issue-policy');
    await portal.deployPricing();
  });

  afterAll(() => portal?.stop());

  /** An application of alice's quote, then handed to a person the portal has never seen, and accepted. */
  async function acceptedApplicationOfNewClient(subject: string, paymentAccount?: { accountHolder: string; iban: string; premiumsByDirectDebit?: boolean }): Promise<string> {
    const quote = (await portal.call('alice', 'POST', '/quotes', { json: { productCode: 'HEALTH_PLUS', region: 'rural', deductibleCents: 25_000, paymentFrequency: 'quarterly', insured: [{ role: 'policyholder', birthDate: '1984-06-30' }, { role: 'dependant', birthDate: '2015-02-01' }] } })).body;
    const applied = await portal.call('alice', 'POST', '/applications', {
      json: {
        quoteId: quote.id,
        people: [{ role: 'policyholder', fullName: 'Nora New', birthDate: '1984-06-30' }, { role: 'dependant', fullName: 'Noah New', birthDate: '2015-02-01' }],
        questionnaire: [0, 1].map(() => ({ heightCm: 160, weightKg: 55, smoker: false, chronicCondition: false, hospitalisedLastFiveYears: false, ongoingTreatment: false })),
        contact: { email: 'nora@example.com', phone: '+33600000042' },
        ...(paymentAccount ? { paymentAccount } : {}),
      },
    });
    expect(applied.status).toBe(201);
    if (paymentAccount) {
      // The client sees the account by its ending only; the whole number is never answered.
      expect(applied.body.paymentAccount).toEqual({ accountHolder: paymentAccount.accountHolder, accountEnding: paymentAccount.iban.replace(/\s/g, '').slice(-4), premiumsByDirectDebit: paymentAccount.premiumsByDirectDebit === true });
      expect(JSON.stringify(applied.body)).not.toContain(paymentAccount.iban.replace(/\s/g, '').slice(0, 10));
    }
    const db = portal.portal.dataSource;
    await db.query(`UPDATE quote SET owner_subject = $2 WHERE id = $1`, [quote.id, subject]);
    await db.query(`UPDATE policy_application SET owner_subject = $2, status = 'accepted', accepted_at = now() WHERE id = $1`, [applied.body.id, subject]);
    return applied.body.id as string;
  }

  it('issues once whatever calls come at once, for a new client made a customer from the application', async () => {
    const subject = randomUUID();
    const id = await acceptedApplicationOfNewClient(subject);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => portal.call('worker', 'POST', `/internal/applications/${id}/policy`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.issued === true)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.policyId)).size).toBe(1);
    const db = portal.portal.dataSource;
    const [customer] = await db.query<{ id: string; full_name: string; email: string; phone: string; number: string }[]>(`SELECT id, full_name, email, phone, number FROM customer WHERE subject = $1`, [subject]);
    expect(customer).toMatchObject({ full_name: 'Nora New', email: 'nora@example.com', phone: '+33600000042', number: expect.stringMatching(/^CUS-\d{6}$/) });
    const policies = await db.query<{ id: string; customer_id: string; annual_deductible: string; coinsurance_rate: string; annual_limit: string }[]>(`SELECT id, customer_id, annual_deductible, coinsurance_rate, annual_limit FROM policy WHERE customer_id = $1`, [customer!.id]);
    expect(policies).toEqual([{ id: answers[0]!.body.policyId, customer_id: customer!.id, annual_deductible: '250.00', coinsurance_rate: '0.800', annual_limit: '25000.00' }]);
    // The schedule of the product version the quote was priced on, copied onto the policy.
    const benefits = await db.query<{ care_code: string; per_item_limit: string }[]>(`SELECT care_code, per_item_limit FROM policy_benefit WHERE policy_id = $1 ORDER BY care_code`, [policies[0]!.id]);
    expect(benefits).toContainEqual({ care_code: 'SPECIALIST', per_item_limit: '250.00' });
    const documents = await db.query<{ kind: string; media_type: string }[]>(`SELECT kind, media_type FROM client_document WHERE policy_id = $1`, [policies[0]!.id]);
    expect(documents).toEqual([{ kind: 'policy-schedule', media_type: 'application/pdf' }]);
    const audit = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'policy.issued' AND entity_id = $1`, [policies[0]!.id]);
    expect(audit[0]!.n).toBe(1);
    expect((await db.query<{ status: string }[]>(`SELECT status FROM policy_application WHERE id = $1`, [id]))[0]!.status).toBe('issued');
    // Premium billing (issue 19): one billing schedule, from the first day of cover, at the quoted frequency and period premium.
    const schedules = await db.query(
      `SELECT s.frequency, s.anchor, to_char(s.next_period_start, 'YYYY-MM-DD') = to_char(p.starts_on, 'YYYY-MM-DD') AS from_start, s.issued_period_premium_cents = q.period_premium_cents AS quoted, p.payment_frequency
         FROM billing_schedule s JOIN policy p ON p.id = s.policy_id JOIN policy_application a ON a.policy_id = p.id JOIN quote q ON q.id = a.quote_id WHERE p.id = $1`,
      [policies[0]!.id],
    );
    expect(schedules).toEqual([{ frequency: 'quarterly', anchor: 'issue-date', from_start: true, quoted: true, payment_frequency: 'quarterly' }]);
  });

  it('makes the application\'s account the new customer\'s payment details, and leaves an existing customer\'s details alone', async () => {
    const db = portal.portal.dataSource;
    const subject = randomUUID();
    const id = await acceptedApplicationOfNewClient(subject, { accountHolder: 'Nora New', iban: 'fr76 3000 6000 0112 3456 7890 189' });
    expect((await portal.call('worker', 'POST', `/internal/applications/${id}/policy`)).status).toBe(200);
    expect(await db.query(`SELECT iban, account_holder FROM customer WHERE subject = $1`, [subject])).toEqual([{ iban: 'FR7630006000011234567890189', account_holder: 'Nora New' }]);

    // A client who is already a customer with an account keeps it.
    const known = randomUUID();
    await db.query(`INSERT INTO customer (subject, full_name, email, iban, account_holder) VALUES ($1, 'Kim Known', 'kim@example.com', 'DE89370400440532013000', 'Kim Known')`, [known]);
    const second = await acceptedApplicationOfNewClient(known, { accountHolder: 'Someone Else', iban: 'FR7630006000011234567890189' });
    expect((await portal.call('worker', 'POST', `/internal/applications/${second}/policy`)).status).toBe(200);
    expect(await db.query(`SELECT iban, account_holder FROM customer WHERE subject = $1`, [known])).toEqual([{ iban: 'DE89370400440532013000', account_holder: 'Kim Known' }]);
  });

  it('pays the premiums by direct debit from the application\'s account when the applicant gave the mandate, once, and not otherwise', async () => {
    const db = portal.portal.dataSource;
    const methods = (subject: string) =>
      db.query(
        `SELECT m.kind, m.iban, m.account_holder, m.iban_masked, m.mandate_reference LIKE 'MND-' || p.number || '-%' AS mandate_names_policy, m.mandate_signed_on = current_date AS signed_today, m.is_default
           FROM payment_method m JOIN policy p ON p.id = m.policy_id JOIN customer c ON c.id = p.customer_id WHERE c.subject = $1`,
        [subject],
      );
    const mandated = randomUUID();
    const id = await acceptedApplicationOfNewClient(mandated, { accountHolder: 'Nora New', iban: 'FR76 3000 6000 0112 3456 7890 189', premiumsByDirectDebit: true });
    // A retried job beside a replayed acceptance: one policy, one mandate.
    const answers = await Promise.all([1, 2, 3].map(() => portal.call('worker', 'POST', `/internal/applications/${id}/policy`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await methods(mandated)).toEqual([{ kind: 'sepa-direct-debit', iban: 'FR7630006000011234567890189', account_holder: 'Nora New', iban_masked: 'FR76 •••• 0189', mandate_names_policy: true, signed_today: true, is_default: true }]);

    const without = randomUUID();
    const other = await acceptedApplicationOfNewClient(without, { accountHolder: 'Nora New', iban: 'FR7630006000011234567890189' });
    expect((await portal.call('worker', 'POST', `/internal/applications/${other}/policy`)).status).toBe(200);
    expect(await methods(without)).toEqual([]);
  });

  it('refuses a direct-debit choice that is not a yes or no, by name', async () => {
    const quote = (await portal.call('alice', 'POST', '/quotes', { json: { productCode: 'HEALTH_PLUS', region: 'rural', deductibleCents: 25_000, paymentFrequency: 'monthly', insured: [{ role: 'policyholder', birthDate: '1984-06-30' }] } })).body;
    const refused = await portal.call('alice', 'POST', '/applications', {
      json: {
        quoteId: quote.id,
        people: [{ role: 'policyholder', fullName: 'Nora New', birthDate: '1984-06-30' }],
        questionnaire: [{ heightCm: 160, weightKg: 55, smoker: false, chronicCondition: false, hospitalisedLastFiveYears: false, ongoingTreatment: false }],
        contact: { email: 'nora@example.com' },
        paymentAccount: { accountHolder: 'Nora New', iban: 'FR7630006000011234567890189', premiumsByDirectDebit: 'yes' },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toContain('paymentAccount.premiumsByDirectDebit');
  });

  it('refuses to issue an application that is not accepted', async () => {
    const id = await acceptedApplicationOfNewClient(randomUUID());
    await portal.portal.dataSource.query(`UPDATE policy_application SET status = 'offered' WHERE id = $1`, [id]);
    const refused = await portal.call('worker', 'POST', `/internal/applications/${id}/policy`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await portal.portal.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM client_document d JOIN policy_application a ON a.policy_id = d.policy_id WHERE a.id = $1`, [id]))[0]!.n).toBe(0);
  });
});
