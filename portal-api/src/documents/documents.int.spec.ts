import { PortalFixture, upload } from '../testing/portal-fixture';
import { SAMPLE_FILES } from '../testing/sample-files';

/**
 * A retried upload (the answer lost on a phone's connection, the same file
 * picked twice) must not store the document twice: the portal knows a file by
 * its SHA-256 within a claim and a type of document.
 */
describe('uploading the same file again', () => {
  let portal: PortalFixture;
  let claimId: string;

  beforeAll(async () => {
    portal = await PortalFixture.start('documents');
    const policies = await portal.call('alice', 'GET', '/me/policies');
    const policyId = policies.body.items.find((p: { number: string }) => p.number === 'POL-100001').id;
    const draft = await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-02', providerName: 'Dr. Laura Chen', careCode: 'GP_VISIT', amount: 60 }] } });
    claimId = draft.body.id;
  });

  afterAll(() => portal?.stop());

  const send = (type: string, content: Buffer, name: string) => {
    const form = new FormData();
    form.append('type', type);
    return portal.call('alice', 'POST', `/claims/${claimId}/documents`, { form: upload(form, 'file', content, name) });
  };

  test('answers the document already there, with one stored version and one history line', async () => {
    const first = await send('receipt', SAMPLE_FILES.pdf, 'receipt.pdf');
    expect(first.status).toBe(201);
    const again = await send('receipt', SAMPLE_FILES.pdf, 'receipt (1).pdf');
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.name).toBe('receipt.pdf');
    expect(await portal.count('document')).toBe(1);
    expect(await portal.count('document_version')).toBe(1);
    const claim = await portal.call('alice', 'GET', `/claims/${claimId}`);
    expect(claim.body.timeline.filter((e: { kind: string }) => e.kind === 'document-added')).toHaveLength(1);
  });

  test('retries sent at once still store the file once', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => send('prescription', SAMPLE_FILES.png, 'prescription.png')));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await portal.count('document')).toBe(2);
  });

  test('the same bytes as another type of document, or different bytes, are a new document', async () => {
    const asReport = await send('medical-report', SAMPLE_FILES.pdf, 'report.pdf');
    const receipt = (await portal.call('alice', 'GET', `/documents?claimId=${claimId}&type=receipt`)).body.items[0];
    expect(asReport.body.id).not.toBe(receipt.id);
    const other = await send('receipt', SAMPLE_FILES.png, 'second-receipt.png');
    expect(other.body.id).not.toBe(receipt.id);
    expect(await portal.count('document')).toBe(4);
  });
});
