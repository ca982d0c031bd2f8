import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { PortalFixture, upload } from '../testing/portal-fixture';
import { publishRepositoryForms } from './published-forms';

const formsDir = path.resolve(__dirname, '../../../forms');

/**
 * The extranet's request form comes from the portal, not from a start-event
 * link Camunda 8 does not offer on a message start event: the repository's
 * form at first start, then whatever an analyst deploys through the modeler,
 * which a restart does not undo.
 */
describe('forms the portal serves itself', () => {
  let portal: PortalFixture;
  let requestForm: Record<string, unknown>;

  beforeAll(async () => {
    portal = await PortalFixture.start('published-forms');
    requestForm = JSON.parse(await readFile(path.join(formsDir, 'claim-request.form'), 'utf8')) as Record<string, unknown>;
  });

  afterAll(() => portal?.stop());

  const deployForm = (schema: unknown) => portal.call('anna', 'POST', '/deployments', { form: upload(new FormData(), 'resources', Buffer.from(JSON.stringify(schema, null, 2)), 'claim-request.form') });
  const versions = async () => (await portal.portal.dataSource.query<{ version: number; source: string }[]>(`SELECT version, source FROM published_form WHERE form_id = 'claim-request' ORDER BY version`));

  it('serves the repository form to a client at first start', async () => {
    const answer = await portal.call('alice', 'GET', '/claims/request-form');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ schema: requestForm, formId: 'claim-request', version: 1 });
  });

  it('serves the version an analyst deployed, and a restart keeps it', async () => {
    const changed = { ...requestForm, components: [{ type: 'text', text: 'Tell us what happened.' }, ...(requestForm.components as unknown[])] };
    const deployed = await deployForm(changed);
    expect(deployed.status).toBe(201);
    const answer = await portal.call('alice', 'GET', '/claims/request-form');
    expect(answer.body).toMatchObject({ version: 2, schema: changed });
    // The next start reads the repository's (older) file again: already published once, it does not come back.
    await publishRepositoryForms(portal.portal.dataSource, formsDir, pino({ level: 'silent' }));
    expect(await versions()).toEqual([{ version: 1, source: 'repository' }, { version: 2, source: 'deployment' }]);
    expect((await portal.call('anna', 'GET', '/deployments/forms/claim-request/latest')).body).toMatchObject({ version: 2, source: 'deployment', publishedBy: 'anna', schema: changed });
    // Deploying the same content again makes no version; deploying the first content on purpose is a rollback, a new version.
    await deployForm(changed);
    expect(await versions()).toHaveLength(2);
    await deployForm(requestForm);
    expect((await portal.call('alice', 'GET', '/claims/request-form')).body).toMatchObject({ version: 3, schema: requestForm });
  });

  it('lists every deployed form, task forms too, newest version of each, for the form editor', async () => {
    const listed = (await portal.call('anna', 'GET', '/deployments/forms')).body.items as { formId: string; version: number }[];
    expect(listed.map((f) => f.formId)).toEqual(expect.arrayContaining(['claim-request', 'assess-claim', 'approve-payment', 'investigate-claim', 'fix-payment-details']));
    expect(listed.find((f) => f.formId === 'claim-request')?.version).toBe(3);
    const assess = await portal.call('anna', 'GET', '/deployments/forms/assess-claim/latest');
    expect(assess.body.schema).toEqual(JSON.parse(await readFile(path.join(formsDir, 'assess-claim.form'), 'utf8')));
  });

  it('gives two starts of the portal at once one version, never two with one number', async () => {
    const other = { ...requestForm, id: 'claim-request-twin' };
    const folder = await mkdtemp(path.join(tmpdir(), 'forms-'));
    await writeFile(path.join(folder, 'twin.form'), JSON.stringify(other));
    await Promise.all([1, 2, 3].map(() => publishRepositoryForms(portal.portal.dataSource, folder, pino({ level: 'silent' }))));
    expect(await portal.portal.dataSource.query(`SELECT version FROM published_form WHERE form_id = 'claim-request-twin'`)).toEqual([{ version: 1 }]);
  });

  it('answers a missing or malformed form id with a problem naming it, and keeps the editor read to staff', async () => {
    expect((await portal.call('anna', 'GET', '/deployments/forms/no-such-form/latest')).status).toBe(404);
    const bad = await portal.call('anna', 'GET', '/deployments/forms/bad%20id!/latest');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ name: 'formId', reason: expect.any(String) }]);
    expect((await portal.call('alice', 'GET', '/deployments/forms/claim-request/latest')).status).toBe(403);
    expect((await portal.call(undefined, 'GET', '/claims/request-form')).status).toBe(401);
  });
});
