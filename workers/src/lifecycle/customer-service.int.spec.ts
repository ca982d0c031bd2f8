/* eslint-disable @typescript-eslint/no-explicit-any -- tests read the API's JSON loosely */
import { randomUUID } from 'node:crypto';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { FollowUpStarter } from '@claims/portal-api/src/service/follow-up-starter';
import { FollowUpsService } from '@claims/portal-api/src/service/follow-ups.service';
import { InteractionsService } from '@claims/portal-api/src/service/interactions.service';
import { LifecycleFixture } from '../testing/lifecycle-fixture';

/**
 * Customer service end to end, with the real workers, the follow-up and
 * claim diagrams on the engine and the SMTP sink: a call logged with a
 * follow-up that escalates to the team leads when missed (engine clock
 * pinned past the due date), one closed in time that records its outcome,
 * and a claim an agent files by phone that is paid, with the channel in the
 * audit chain and the client told by email.
 */
let life: LifecycleFixture;
const HOUR = 3_600_000;

beforeAll(async () => {
  life = await LifecycleFixture.start('customer-service');
  await life.startWorkers();
}, 120_000);

afterAll(async () => {
  await life?.stop();
});

const customerOf = async (client: string) => (await life.portal.call(client, 'GET', '/me')).body.customer.id as string;
const engine = (path: string, body: unknown) => life.portal.engine.http('POST', path, body).then((r) => { if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(r.body)}`); return r.body as { items: any[] }; });
const followUpRow = async (id: string) => (await life.portal.portal.dataSource.query<any[]>('SELECT status, outcome, escalated_at, closed_by, process_instance_key FROM follow_up WHERE id = $1', [id]))[0];

/** Logs a call as carla with a follow-up, and waits until its process has recorded itself. */
async function callWithFollowUp(client: string, followUp: Record<string, unknown>) {
  const customerId = await customerOf(client);
  const logged = await life.portal.call('carla', 'POST', `/customers/${customerId}/interactions`, { json: { channel: 'call', direction: 'in', summary: 'Asked about a refund', notes: 'Promised a call back', followUp } });
  expect(logged.status).toBe(201);
  const id = logged.body.followUp.id as string;
  const key = await eventually(async () => ((await followUpRow(id))?.process_instance_key as string | null) ?? undefined);
  return { customerId, followUpId: id, processInstanceKey: key };
}

const openTask = (processInstanceKey: string, elementId: string) =>
  eventually(async () => (await engine('/v2/user-tasks/search', { filter: { processInstanceKey, elementId, state: 'CREATED' }, page: { from: 0, limit: 5 } })).items[0]);

const incidentsOf = async (processInstanceKey: string) => (await engine('/v2/incidents/search', { filter: { processInstanceKey }, page: { from: 0, limit: 5 } })).items;
const carla = { subject: 'carla', username: 'carla' };
const followUps = () => life.portal.portal.app.get(FollowUpsService);

const instanceState = async (processInstanceKey: string) => (await engine('/v2/process-instances/search', { filter: { processInstanceKey }, page: { from: 0, limit: 1 } })).items[0]?.state as string | undefined;

it('escalates a missed follow-up to the team leads (clock pinned past the due date), who close it', async () => {
  const dueAt = new Date(Date.now() + HOUR).toISOString();
  const { customerId, followUpId, processInstanceKey } = await callWithFollowUp('bruno', { dueAt, assigneeAgent: 'carla' });
  const agentTask = await openTask(processInstanceKey, 'follow-up');
  expect(agentTask).toMatchObject({ assignee: 'carla', candidateGroups: ['call-center'] });
  expect(Date.parse(agentTask.dueDate)).toBe(Date.parse(dueAt));

  await life.portal.engine.pinClock(Date.now() + 2 * HOUR);
  try {
    const leadTask = await openTask(processInstanceKey, 'overdue-follow-up');
    expect(leadTask.candidateGroups).toEqual(['manager']);
    // Due a day after the escalation: an ISO date-time the portal computed.
    expect(Date.parse(leadTask.dueDate)).toBeGreaterThan(Date.parse(dueAt));
    // The team leads' mailbox is told, with the task's link.
    const mail = await life.mailTo('manager@claims.example', 'Overdue follow-up: Bruno Keller');
    expect(mail.Text).toContain(`/staff/tasks/${leadTask.userTaskKey}`);
    expect(mail.Text).not.toMatch(/for claim/);
  } finally {
    await life.portal.engine.resetClock();
  }
  expect(await followUpRow(followUpId)).toMatchObject({ status: 'escalated', escalated_at: expect.any(Date) });
  expect((await engine('/v2/user-tasks/search', { filter: { processInstanceKey, elementId: 'follow-up', state: 'CREATED' }, page: { from: 0, limit: 5 } })).items).toEqual([]);

  // A team lead closes it from the customer's page: the outcome on the timeline, the process ended.
  const closed = await life.portal.call('maria', 'POST', `/follow-ups/${followUpId}/closure`, { json: { outcome: 'Called the client back, refund explained' } });
  expect(closed.status).toBe(200);
  expect(closed.body).toMatchObject({ status: 'done', closedBy: 'maria' });
  await eventually(async () => ((await instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
  const overview = (await life.portal.call('carla', 'GET', `/customers/${customerId}/overview`)).body;
  const kinds = overview.timeline.items.map((e: any) => e.kind);
  expect(kinds.slice(0, 3)).toEqual(['follow-up-done', 'follow-up-escalated', 'interaction']);
  expect(overview.timeline.items[0].detail).toContain('Called the client back, refund explained');
  expect((await followUpRow(followUpId)).closed_by).toBe('maria');
}, 90_000);

it('records the outcome of a team follow-up closed in time from the customer page, which ends its process', async () => {
  const { customerId, followUpId, processInstanceKey } = await callWithFollowUp('chloe', { dueAt: new Date(Date.now() + 24 * HOUR).toISOString(), assigneeTeam: 'call-center' });
  // A team follow-up has no assignee (Zeebe refuses a null one: the task must open all the same).
  const task = await openTask(processInstanceKey, 'follow-up');
  expect(task.assignee ?? null).toBeNull();
  expect(task.candidateGroups).toEqual(['call-center']);
  expect(await incidentsOf(processInstanceKey)).toEqual([]);
  const closed = await life.portal.call('carla', 'POST', `/follow-ups/${followUpId}/closure`, { json: { outcome: 'Sent the policy schedule' } });
  expect(closed.status).toBe(200);
  // Closing twice is one closing.
  const again = await life.portal.call('carla', 'POST', `/follow-ups/${followUpId}/closure`, { json: { outcome: 'Another outcome' } });
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  await eventually(async () => ((await instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
  expect(await followUpRow(followUpId)).toMatchObject({ status: 'done', outcome: 'Sent the policy schedule', escalated_at: null, closed_by: 'carla' });
  const timeline = (await life.portal.call('carla', 'GET', `/customers/${customerId}/timeline?limit=5`)).body;
  expect(timeline.items[0]).toMatchObject({ kind: 'follow-up-done', detail: expect.stringContaining('Sent the policy schedule') });
}, 60_000);

it('does not escalate a follow-up closed while its task was still open when the due date passes', async () => {
  const { followUpId, processInstanceKey } = await callWithFollowUp('chloe', { dueAt: new Date(Date.now() + HOUR).toISOString(), assigneeAgent: 'carla' });
  await openTask(processInstanceKey, 'follow-up');
  // Closed in the portal, its task left open (as when the completion is lost), then the due date passes with the instance still waiting.
  await followUps().close(carla, followUpId, 'Called back');
  expect(await instanceState(processInstanceKey)).toBe('ACTIVE');
  await life.portal.engine.pinClock(Date.now() + 2 * HOUR);
  try {
    await eventually(async () => ((await instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
  } finally {
    await life.portal.engine.resetClock();
  }
  expect((await engine('/v2/user-tasks/search', { filter: { processInstanceKey, elementId: 'overdue-follow-up' }, page: { from: 0, limit: 5 } })).items).toEqual([]);
  expect(await followUpRow(followUpId)).toMatchObject({ status: 'done', escalated_at: null });
}, 60_000);

it('opens no task for a follow-up closed before its process recorded itself', async () => {
  const customerId = await customerOf('chloe');
  const service = followUps();
  // The follow-up committed, its process not started yet: closed from the customer page in between.
  const followUp = await life.portal.portal.dataSource.transaction(async (manager) => {
    const { interaction } = await life.portal.portal.app.get(InteractionsService).log(manager, carla, { customerId, channel: 'call', direction: 'in', summary: 'Asked for a call back' });
    return service.schedule(manager, carla, { customerId, interactionId: interaction.id, assignee: { team: 'call-center' }, dueAt: new Date(Date.now() + 24 * HOUR) });
  });
  const closed = await life.portal.call('carla', 'POST', `/follow-ups/${followUp.id}/closure`, { json: { outcome: 'Solved on the same call' } });
  expect(closed.status).toBe(200);
  expect(await life.portal.portal.app.get(FollowUpStarter).start(followUp)).toBe(true);
  const processInstanceKey = await eventually(async () => ((await followUpRow(followUp.id))?.process_instance_key as string | null) ?? undefined);
  await eventually(async () => ((await instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
  expect((await engine('/v2/user-tasks/search', { filter: { processInstanceKey }, page: { from: 0, limit: 5 } })).items).toEqual([]);
  expect(await followUpRow(followUp.id)).toMatchObject({ status: 'done', outcome: 'Solved on the same call' });
}, 60_000);

it('completes, on its sweep, the task a closed follow-up left open', async () => {
  const { followUpId, processInstanceKey } = await callWithFollowUp('bruno', { dueAt: new Date(Date.now() + 24 * HOUR).toISOString(), assigneeAgent: 'carla' });
  await openTask(processInstanceKey, 'follow-up');
  await followUps().close(carla, followUpId, 'Called back');
  await life.portal.portal.app.get(FollowUpStarter).sweep();
  await eventually(async () => ((await instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
  expect((await engine('/v2/user-tasks/search', { filter: { processInstanceKey, state: 'CREATED' }, page: { from: 0, limit: 5 } })).items).toEqual([]);
  expect(await followUpRow(followUpId)).toMatchObject({ status: 'done', outcome: 'Called back', escalated_at: null });
}, 60_000);

it('records the outcome of a follow-up completed from the task list, by whoever completed it', async () => {
  const { followUpId, processInstanceKey } = await callWithFollowUp('bruno', { dueAt: new Date(Date.now() + 24 * HOUR).toISOString(), assigneeTeam: 'call-center' });
  const task = await openTask(processInstanceKey, 'follow-up');
  expect((await life.portal.call('carla', 'POST', `/tasks/${task.userTaskKey}/assignment`)).status).toBe(201);
  const completed = await life.portal.call('carla', 'POST', `/tasks/${task.userTaskKey}/completion`, { json: { variables: { outcome: 'Left a voicemail, sent an email' } } });
  expect(completed.status).toBe(200);
  await eventually(async () => ((await instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
  expect(await followUpRow(followUpId)).toMatchObject({ status: 'done', outcome: 'Left a voicemail, sent an email', closed_by: 'carla', escalated_at: null });
}, 60_000);

it('pays a claim an agent filed by phone, with the channel and the agent in the audit chain', async () => {
  const customerId = await customerOf('alice');
  const policy = ((await life.portal.call('alice', 'GET', '/me/policies')).body.items as any[]).find((p) => p.number === 'POL-100001');
  const key = randomUUID();
  const request = { json: { policyId: policy.id, callSummary: 'Client called about her GP visit', items: [{ serviceDate: new Date().toISOString().slice(0, 10), providerName: 'Dr. Phone', careCode: 'SPECIALIST', amount: 250 }] }, headers: { 'idempotency-key': key } };
  const filed = await life.portal.call('carla', 'POST', `/customers/${customerId}/claims`, request);
  expect(filed.status).toBe(201);
  expect(filed.body).toMatchObject({ intakeChannel: 'phone', filedByAgent: 'carla', status: 'received', clientNotified: true });
  const claimId = filed.body.id as string;
  // A retry after a lost answer finishes nothing twice.
  const retried = await life.portal.call('carla', 'POST', `/customers/${customerId}/claims`, request);
  expect(retried.status).toBe(200);
  expect(retried.body.id).toBe(claimId);

  const told = await life.mailTo('alice@example.com', `We filed your claim ${filed.body.reference}`);
  expect(told.Text).toContain('€250.00');
  // The client sees it on the extranet, sends the receipt asked for, and it is paid.
  expect(((await life.portal.call('alice', 'GET', '/claims')).body.items as any[]).map((c) => c.id)).toContain(claimId);
  const waiting = await life.claimWhen(claimId, (c) => c.status === 'information-requested' || c.status === 'paid');
  if (waiting.status === 'information-requested') {
    const documentId = await life.uploadDocument('alice', claimId, 'receipt');
    expect((await life.portal.call('alice', 'POST', `/claims/${claimId}/information`, { json: { message: 'My receipt.', documentIds: [documentId] } })).status).toBe(202);
  }
  const paid = await life.claimWhen(claimId, (c) => c.status === 'paid');
  expect(paid.totalPaid).toBeGreaterThan(0);

  const audit = await life.portal.portal.dataSource.query<any[]>(`SELECT action, actor_name, details FROM audit_entry WHERE stream = $1 ORDER BY seq`, [`claim:${claimId}`]);
  expect(audit[0]).toMatchObject({ action: 'claim.created', actor_name: 'carla', details: expect.objectContaining({ channel: 'phone', filedByAgent: 'carla' }) });
  expect(audit.map((e) => e.action)).toContain('claim.submitted');
  expect((await life.portal.call('admin', 'GET', '/audit/verification')).body).toMatchObject({ valid: true });
  const interactions = await life.portal.portal.dataSource.query<any[]>('SELECT channel, claim_id, agent_name, summary FROM customer_interaction WHERE claim_id = $1', [claimId]);
  expect(interactions).toEqual([{ channel: 'call', claim_id: claimId, agent_name: 'carla', summary: 'Client called about her GP visit' }]);
  expect(life.outbox.mails.filter((m) => m.Subject.includes(`We filed your claim ${filed.body.reference}`))).toHaveLength(1);
}, 90_000);
