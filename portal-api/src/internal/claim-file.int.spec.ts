import { documentView } from '../claims/claim-views';
import { PolicyStatusPeriod } from '../contracts/policy-status-period.entity';
import { Customer } from '../customers/customer.entity';
import { ClaimDocument } from '../documents/document.entity';
import { PortalFixture, upload } from '../testing/portal-fixture';
import { SAMPLE_FILES } from '../testing/sample-files';

/**
 * The claim file the workers read (GET /internal/claims/{id}) assembles its
 * customer, documents and policy history in one statement; checked here
 * against the same records read through their entities.
 */
describe('the claim file a worker reads', () => {
  let portal: PortalFixture;

  beforeAll(async () => {
    portal = await PortalFixture.start('claim-file');
  });

  afterAll(() => portal?.stop());

  test('documents with every version, customer and status history are those the entities hold', async () => {
    const policies = await portal.call('alice', 'GET', '/me/policies');
    const policyId = policies.body.items.find((p: { number: string }) => p.number === 'POL-100001').id as string;
    const created = await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-02', providerName: 'Dr. Laura Chen', careCode: 'GP_VISIT', amount: 60 }] } });
    const claimId = created.body.id as string;
    const receipt = new FormData();
    receipt.append('type', 'receipt');
    const first = await portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(receipt, 'file', SAMPLE_FILES.pdf, 'receipt.pdf', 'application/pdf') });
    expect(first.status).toBe(201);
    const again = new FormData();
    expect((await portal.call('alice', 'POST', `/documents/${first.body.id}/versions`, { form: upload(again, 'file', SAMPLE_FILES.png, 'receipt.png', 'image/png') })).status).toBe(201);
    const prescription = new FormData();
    prescription.append('type', 'prescription');
    expect((await portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(prescription, 'file', SAMPLE_FILES.png, 'prescription.png', 'image/png') })).status).toBe(201);
    await portal.portal.dataSource.query(
      `INSERT INTO policy_status_period (policy_id, status, effective_from, effective_to, reason, recorded_by) VALUES ($1, 'active', '2020-01-01', '2020-12-31', 'test', 'test'), ($1, 'suspended', '2021-01-01', NULL, 'test', 'test')`,
      [policyId],
    );

    const file = (await portal.call('worker', 'GET', `/internal/claims/${claimId}`)).body;

    const documents = await portal.portal.dataSource.getRepository(ClaimDocument).find({ where: { claimId }, relations: { versions: true }, order: { createdAt: 'ASC' } });
    expect(documents).toHaveLength(2);
    expect(file.documents).toEqual(documents.map(documentView));
    expect(file.documents[0].versions.map((v: { version: number; mediaType: string }) => [v.version, v.mediaType])).toEqual([[2, 'image/png'], [1, 'application/pdf']]);
    const customer = await portal.portal.dataSource.getRepository(Customer).findOneByOrFail({ subject: (await portal.portal.dataSource.query(`SELECT cu.subject FROM customer cu JOIN policy p ON p.customer_id = cu.id WHERE p.id = $1`, [policyId]))[0].subject });
    expect(file.customer).toEqual({ id: customer.id, fullName: customer.fullName, email: customer.email, phone: customer.phone, hasPaymentDetails: Boolean(customer.iban) });
    const periods = await portal.portal.dataSource.getRepository(PolicyStatusPeriod).find({ where: { policyId }, order: { effectiveFrom: 'ASC' } });
    expect(file.policy.statusPeriods).toEqual(periods.map((p) => ({ status: p.status, effectiveFrom: p.effectiveFrom, effectiveTo: p.effectiveTo })));
    expect(file.policy.statusPeriods.slice(-2)).toEqual([{ status: 'active', effectiveFrom: '2020-01-01', effectiveTo: '2020-12-31' }, { status: 'suspended', effectiveFrom: '2021-01-01', effectiveTo: null }]);
  });
});
