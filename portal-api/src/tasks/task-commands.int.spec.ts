import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { EngineGate } from '../testing/engine-gate';
import { PortalFixture } from '../testing/portal-fixture';
import { TaskCommands } from './task-commands';

/**
 * Staff actions on tasks go through an outbox: committed, sent to the engine
 * outside any transaction, then settled with their audit entry. The engine
 * down at the moment of the call keeps the action and the sweep applies it
 * once the engine is back; an action the engine applied whose answer was lost
 * is settled without being sent again.
 */
describe('task commands when the engine does not answer', () => {
  let portal: PortalFixture;
  let gate: EngineGate;
  let policyId: string;

  beforeAll(async () => {
    gate = await EngineGate.start();
    portal = await PortalFixture.start('task-commands', { env: { CAMUNDA_REST_ADDRESS: gate.url } });
    gate.to(portal.engine.baseUrl);
    await portal.deployTestProcess();
    policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
  });

  afterAll(async () => {
    await portal?.stop();
    await gate?.stop();
  });

  const openTask = async () => {
    const claimId = await portal.fileAndSubmit('alice', { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] });
    const instanceKey = (await portal.call('adam', 'GET', `/claims/${claimId}`)).body.processInstanceKey as string;
    const task = await eventually(async () => (await portal.engine.client.searchUserTasks({ filter: { processInstanceKey: instanceKey } })).items[0]);
    return { claimId, key: String(task.userTaskKey) };
  };
  const audited = async (key: string, action: string) =>
    (await portal.portal.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_entry WHERE entity_type = 'user-task' AND entity_id = $1 AND action = $2`, [key, action]))[0]!.n;
  const commands = async (key: string) => portal.portal.dataSource.query<{ kind: string; state: string }[]>(`SELECT kind, state FROM user_task_command WHERE user_task_key = $1 ORDER BY created_at`, [key]);
  const ageCommands = () => portal.portal.dataSource.query(`UPDATE user_task_command SET attempted_at = now() - interval '1 minute' WHERE state = 'pending'`);
  const completion = { variables: { decision: 'approve', approvedAmount: 50, note: 'Fine.' } };

  test('a completion the engine did not receive is kept, applied by the sweep once it is back, and audited once', async () => {
    const { key } = await openTask();
    expect((await portal.call('adam', 'POST', `/tasks/${key}/assignment`)).status).toBe(201);
    expect(await audited(key, 'task.claimed')).toBe(1);

    // Only the completion call is dropped: the task and its form are still read.
    gate.close((request) => request.method === 'POST' && (request.url ?? '').endsWith('/completion'));
    const refused = await portal.call('adam', 'POST', `/tasks/${key}/completion`, { json: completion });
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toContain('kept');
    expect(await commands(key)).toEqual([
      { kind: 'assign', state: 'done' },
      { kind: 'complete', state: 'pending' },
    ]);
    expect(await audited(key, 'task.completed')).toBe(0);
    // A second try while the first is pending is refused rather than queued twice.
    expect((await portal.call('adam', 'POST', `/tasks/${key}/completion`, { json: completion })).status).toBe(409);

    const sweep = portal.portal.app.get(TaskCommands);
    await ageCommands();
    await sweep.sweep();
    expect((await commands(key))[1]!.state).toBe('pending');

    gate.open();
    await ageCommands();
    await sweep.sweep();
    expect((await portal.engine.client.getUserTask(key)).state).toBe('COMPLETED');
    expect((await commands(key))[1]!.state).toBe('done');
    await ageCommands();
    await sweep.sweep();
    expect(await audited(key, 'task.completed')).toBe(1);
  });

  test('a completion the engine applied but whose answer was lost is settled, not sent again', async () => {
    const { key } = await openTask();
    expect((await portal.call('adam', 'POST', `/tasks/${key}/assignment`)).status).toBe(201);
    // The answer is lost: the engine completes the task, the portal hears nothing back.
    gate.close((request) => request.method === 'POST' && (request.url ?? '').endsWith('/completion'));
    const lost = portal.call('adam', 'POST', `/tasks/${key}/completion`, { json: completion });
    expect((await lost).status).toBe(503);
    await portal.engine.client.completeUserTask({ userTaskKey: key, variables: completion.variables });
    gate.open();
    await ageCommands();
    await portal.portal.app.get(TaskCommands).sweep();
    expect(await commands(key)).toEqual([
      { kind: 'assign', state: 'done' },
      { kind: 'complete', state: 'done' },
    ]);
    expect(await audited(key, 'task.completed')).toBe(1);
  });

  test('a pending action that no longer fits the task is refused by the sweep and records nothing', async () => {
    const { key } = await openTask();
    gate.close((request) => request.method === 'POST' && (request.url ?? '').endsWith('/assignment'));
    expect((await portal.call('adam', 'POST', `/tasks/${key}/assignment`)).status).toBe(503);
    gate.open();
    // Meanwhile someone else took the task in the engine: adam's claim must not take it over.
    await portal.engine.client.assignUserTask({ userTaskKey: key, assignee: 'amelia', allowOverride: true });
    await ageCommands();
    await portal.portal.app.get(TaskCommands).sweep();
    expect(await commands(key)).toEqual([{ kind: 'assign', state: 'refused' }]);
    expect((await portal.engine.client.getUserTask(key)).assignee).toBe('amelia');
    expect(await audited(key, 'task.claimed')).toBe(0);
  });

  test('a completion waiting on the engine holds up no audited write about another claim', async () => {
    const { key } = await openTask();
    expect((await portal.call('adam', 'POST', `/tasks/${key}/assignment`)).status).toBe(201);
    const release = gate.hold((request) => request.method === 'POST' && (request.url ?? '').endsWith('/completion'));
    const completing = portal.call('adam', 'POST', `/tasks/${key}/completion`, { json: completion });
    await eventually(async () => ((await commands(key)).some((c) => c.kind === 'complete') ? true : undefined));
    // While the engine has the completion and has not answered, a client files a claim (claim, items, timeline, audit entry).
    const filed = await portal.call('alice', 'POST', '/claims', { json: { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. B', careCode: 'GP_VISIT', amount: 20 }] } });
    expect(filed.status).toBe(201);
    expect((await commands(key)).find((c) => c.kind === 'complete')?.state).toBe('pending');
    release();
    expect((await completing).status).toBe(200);
    expect(await audited(key, 'task.completed')).toBe(1);
  });
});
