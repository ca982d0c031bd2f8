import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { EngineGate } from '../testing/engine-gate';
import { PortalFixture } from '../testing/portal-fixture';
import { InformationPublisher } from './information-publisher';

/**
 * The client answers a request for information while the engine is down: the
 * answer is kept and the call answers 202 with `published: false`; once the
 * engine is back the sweep publishes it, and a repeat of the publication
 * (the mark lost in a crash) is refused by the engine rather than delivered
 * twice.
 */
describe('an answer to a request for information while the engine is down', () => {
  let portal: PortalFixture;
  let gate: EngineGate;

  beforeAll(async () => {
    gate = await EngineGate.start();
    portal = await PortalFixture.start('information', { env: { CAMUNDA_REST_ADDRESS: gate.url } });
    gate.to(portal.engine.baseUrl);
    await portal.deployTestProcess();
  });

  afterAll(async () => {
    await portal?.stop();
    await gate?.stop();
  });

  test('is kept, published once the engine is back, and never twice', async () => {
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    const claimId = await portal.fileAndSubmit('alice', { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] });
    const instanceKey = (await portal.call('adam', 'GET', `/claims/${claimId}`)).body.processInstanceKey as string;
    // The assessment asks for information (the engine is reached directly here, not through the gate).
    const task = await eventually(async () => (await portal.engine.client.searchUserTasks({ filter: { processInstanceKey: instanceKey } })).items[0]);
    await portal.engine.client.completeUserTask({ userTaskKey: task.userTaskKey });
    await eventually(async () => ((await portal.engine.elementIds(instanceKey)).includes('wait-for-information') ? true : undefined));
    await portal.call('worker', 'PATCH', `/internal/claims/${claimId}`, { json: { status: 'information-requested', informationRequested: 'Please send the prescription.' } });

    gate.close();
    const answered = await portal.call('alice', 'POST', `/claims/${claimId}/information`, { json: { message: 'Prescription attached.' } });
    expect(answered.status).toBe(202);
    expect(answered.body).toMatchObject({ status: 'validating', published: false });
    const unpublished = async () => portal.portal.dataSource.query<{ id: string; answer: string; published_at: Date | null }[]>('SELECT id, answer, published_at FROM claim_information_answer WHERE claim_id = $1', [claimId]);
    const [kept] = await unpublished();
    expect(kept).toMatchObject({ answer: 'Prescription attached.', published_at: null });
    expect((await portal.call('alice', 'GET', `/claims/${claimId}`)).body.status).toBe('validating');

    // The sweep takes answers older than its period; age this one rather than wait.
    await portal.portal.dataSource.query(`UPDATE claim_information_answer SET answered_at = now() - interval '1 minute' WHERE id = $1`, [kept!.id]);
    const publisher = portal.portal.app.get(InformationPublisher);
    await publisher.sweep();
    expect((await unpublished())[0]!.published_at).toBeNull();
    expect(await portal.engine.elementIds(instanceKey)).toContain('wait-for-information');

    gate.open();
    await publisher.sweep();
    expect((await unpublished())[0]!.published_at).not.toBeNull();
    await eventually(async () => ((await portal.engine.instanceState(instanceKey)) === 'COMPLETED' ? true : undefined));
    const variables = await portal.engine.http('POST', '/v2/variables/search', { filter: { processInstanceKey: instanceKey, name: 'informationAnswer' } });
    // On the process scope (the catch event's own scope holds a copy).
    const onProcess = (variables.body as { items: { value: string; scopeKey: string }[] }).items.filter((v) => v.scopeKey === instanceKey);
    expect(onProcess.map((v) => JSON.parse(v.value) as string)).toEqual(['Prescription attached.']);

    // A crash after the publication but before its mark: the sweep publishes again, the engine refuses the same message id.
    await portal.portal.dataSource.query(`UPDATE claim_information_answer SET published_at = NULL WHERE id = $1`, [kept!.id]);
    await publisher.sweep();
    expect((await unpublished())[0]!.published_at).not.toBeNull();
    const repeat = await portal.engine.http('POST', '/v2/messages/publication', { name: 'claim-information-provided', correlationKey: claimId, messageId: `${claimId}:information:${kept!.id}`, timeToLive: 60_000 });
    expect(repeat.status).toBe(409);
  });
});
