import { PortalFixture, upload } from '../testing/portal-fixture';
import { SAMPLE_FILES } from '../testing/sample-files';

/**
 * The fraud context the screening reads: a receipt or invoice counts as
 * claimed again only on a claim that still stands, and an invoice number only
 * from the same provider.
 */
describe('the fraud context of a claim', () => {
  let portal: PortalFixture;
  let policyId: string;

  beforeAll(async () => {
    portal = await PortalFixture.start('fraud-context');
    await portal.deployTestProcess();
    const policies = await portal.call('alice', 'GET', '/me/policies');
    policyId = policies.body.items.find((p: { number: string }) => p.number === 'POL-100001').id;
  });

  afterAll(() => portal?.stop());

  /** Files a claim with one invoiced item and the shared receipt file, then sets where it stands. */
  async function claimWith(providerName: string, options: { providerId?: string; status?: string; receipt?: boolean } = {}): Promise<string> {
    const created = await portal.call('alice', 'POST', '/claims', {
      json: { policyId, items: [{ serviceDate: '2026-10-02', providerName, ...(options.providerId ? { providerId: options.providerId } : {}), careCode: 'GP_VISIT', amount: 60, invoiceNumber: 'INV-77' }] },
    });
    expect(created.status).toBe(201);
    const claimId = created.body.id as string;
    if (options.receipt !== false) {
      const form = new FormData();
      form.append('type', 'receipt');
      expect((await portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(form, 'file', SAMPLE_FILES.pdf, 'receipt.pdf', 'application/pdf') })).status).toBe(201);
    }
    await portal.portal.dataSource.query('UPDATE claim SET status = $2 WHERE id = $1', [claimId, options.status ?? 'in-review']);
    return claimId;
  }

  const contextOf = async (claimId: string) => (await portal.call('worker', 'GET', `/internal/claims/${claimId}/fraud-context`)).body as { duplicateReceipts: { claimId: string }[]; duplicateInvoices: { claimId: string }[] };

  test('a claim refiled after it was abandoned is not a duplicate of the abandoned one, nor of a draft', async () => {
    const abandoned = await claimWith('Dr. Laura Chen', { status: 'abandoned' });
    const draft = await claimWith('Dr. Laura Chen', { status: 'draft' });
    const refiled = await claimWith('Dr. Laura Chen');
    const context = await contextOf(refiled);
    expect(context.duplicateReceipts.map((d) => d.claimId)).not.toContain(abandoned);
    expect(context.duplicateInvoices.map((d) => d.claimId)).not.toContain(abandoned);
    expect([...context.duplicateReceipts, ...context.duplicateInvoices].map((d) => d.claimId)).not.toContain(draft);
    expect(context).toMatchObject({ duplicateReceipts: [], duplicateInvoices: [] });
  });

  test('an invoice number matches only with the same provider (by id, or by name normalised)', async () => {
    const standing = await claimWith('Dr. Laura Chen', { providerId: 'FR-100', receipt: false });
    const otherProvider = await claimWith('Pharmacie du Centre', { receipt: false });
    expect((await contextOf(otherProvider)).duplicateInvoices.map((d) => d.claimId)).not.toContain(standing);
    const sameByName = await claimWith('DR LAURA CHEN', { receipt: false });
    expect((await contextOf(sameByName)).duplicateInvoices.map((d) => d.claimId)).toContain(standing);
    const otherId = await claimWith('Dr. Laura Chen', { providerId: 'FR-200', receipt: false });
    expect((await contextOf(otherId)).duplicateInvoices.map((d) => d.claimId)).not.toContain(standing);
    const sameId = await claimWith('Cabinet Chen', { providerId: 'FR-100', receipt: false });
    expect((await contextOf(sameId)).duplicateInvoices.map((d) => d.claimId)).toContain(standing);
  });

  test('earlier claims, usual amounts and the policy start are those the records hold, and the file comes with them', async () => {
    const claimId = await claimWith('Dr. Ana Ruiz', { receipt: false, status: 'received' });
    const answer = (await portal.call('worker', 'GET', `/internal/claims/${claimId}/fraud-context`)).body;
    const db = portal.portal.dataSource;
    const [{ customer_id: customerId }] = await db.query(`SELECT customer_id FROM claim WHERE id = $1`, [claimId]);
    const [earlier] = await db.query(`SELECT count(*)::int AS n FROM claim WHERE customer_id = $1 AND id <> $2 AND status <> 'draft' AND submitted_at > now() - interval '30 days'`, [customerId, claimId]);
    expect(earlier.n).toBeGreaterThan(0);
    expect(answer.earlierClaims.last30Days).toBe(earlier.n);
    expect(answer.earlierClaims.last365Days).toBeGreaterThanOrEqual(earlier.n);
    const amounts = (await db.query(`SELECT i.amount::text AS amount FROM claim_item i JOIN claim c ON c.id = i.claim_id WHERE i.care_code = 'GP_VISIT' AND i.claim_id <> $1 AND c.status <> 'draft'`, [claimId])).map((r: { amount: string }) => Number(r.amount));
    const [usual] = answer.usualAmounts;
    expect(usual).toEqual({ careCode: 'GP_VISIT', samples: amounts.length, averageAmount: expect.any(Number) });
    expect(usual.averageAmount).toBeCloseTo(amounts.reduce((a: number, b: number) => a + b, 0) / amounts.length, 6);
    const policies = await portal.call('alice', 'GET', '/me/policies');
    expect(answer.policyStartsOn).toBe(policies.body.items.find((p: { id: string }) => p.id === policyId).startsOn);
    expect(answer.file).toEqual((await portal.call('worker', 'GET', `/internal/claims/${claimId}`)).body);
  });
});
