import pg from 'pg';
import { processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// User task listeners: an assigning or completing transition waits for each
// listener's job (kind TASK_LISTENER) in model order; a listener may deny the
// transition (the task keeps its state and data, corrections discarded) or
// correct the task, which later listeners see and the transition applies.
// https://docs.camunda.io/docs/components/concepts/user-task-listeners/

const PAGE = 'https://docs.camunda.io/docs/components/concepts/user-task-listeners/';

interface WireJob {
  readonly jobKey: string;
  readonly kind: string;
  readonly listenerEventType: string;
  readonly elementId: string;
  readonly customHeaders: Record<string, string>;
}

interface Task {
  readonly userTaskKey: string;
  readonly state: string;
  readonly assignee?: string;
  readonly priority: number;
}

const userTask = (listeners: readonly [eventType: string, type: string][]) => `<bpmn:startEvent id="start" />
  <bpmn:userTask id="review"><bpmn:extensionElements>
    <zeebe:userTask />
    <zeebe:taskHeaders><zeebe:header key="view" value="claims" /></zeebe:taskHeaders>
    <zeebe:taskListeners>${listeners.map(([eventType, type]) => `<zeebe:taskListener eventType="${eventType}" type="${type}" />`).join('')}</zeebe:taskListeners>
  </bpmn:extensionElements></bpmn:userTask>
  <bpmn:endEvent id="end" />`;

describe(`user task listeners (${PAGE})`, () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('task_listeners');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (id: string, listeners: readonly [string, string][]) =>
    fixture.client.deployResources([{ name: `${id}.bpmn`, content: processXml(id, userTask(listeners), ['start', 'review', 'end']) }]);
  const activate = (type: string) =>
    fixture.client.activateJobs({ type, worker: 'w', timeout: 60_000, maxJobsToActivate: 1, requestTimeout: -1 }) as unknown as Promise<WireJob[]>;
  const nextJob = (type: string) => eventually(async () => (await activate(type))[0]);
  const taskOf = (processInstanceKey: string) =>
    eventually(async () => {
      const response = await fixture.http('POST', '/v2/user-tasks/search', { filter: { processInstanceKey } });
      return (response.body as { items: Task[] }).items[0];
    });
  const start = async (processDefinitionId: string) => (await fixture.client.createProcessInstance({ processDefinitionId, variables: {} })).processInstanceKey;
  /** The SDK's completeJob sends no `result`, so listener results go over the same REST endpoint directly. */
  const completeWith = (jobKey: string, result: Record<string, unknown>) => fixture.http('POST', `/v2/jobs/${jobKey}/completion`, { variables: {}, result });

  it('holds a completion for the completing listener (kind TASK_LISTENER, COMPLETING) and completes the task when the listener does', async () => {
    await deploy('tl_complete', [['completing', 'tl-complete-check']]);
    const key = await start('tl_complete');
    const task = await taskOf(key);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'approve' } });
    const job = await nextJob('tl-complete-check');
    expect(job).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'COMPLETING', elementId: 'review' });
    // The task's data rides in the job headers under the reserved names, beside the task's own headers.
    expect(job.customHeaders).toMatchObject({ view: 'claims', 'io.camunda.zeebe:userTaskKey': task.userTaskKey, 'io.camunda.zeebe:action': 'complete' });
    expect((await taskOf(key)).state).toBe('COMPLETING');
    // While the transition waits, other operations on the task are refused.
    const assign = await fixture.http('POST', `/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'bob' });
    expect(assign.status).toBe(409);

    expect((await completeWith(job.jobKey, {})).status).toBe(204);
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    const decision = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'decision' } });
    expect(decision.items[0]?.value).toBe('"approve"');
  });

  it('holds a new task in CREATING for its creating listener, refuses to deny a creation, and applies its corrections once created', async () => {
    await deploy('tl_create', [['creating', 'tl-create-route']]);
    const key = await start('tl_create');
    const job = await nextJob('tl-create-route');
    expect(job).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'CREATING', elementId: 'review' });
    expect(job.customHeaders).not.toHaveProperty(['io.camunda.zeebe:action']);
    const held = await taskOf(key);
    expect(held.state).toBe('CREATING');
    // Blocked until the listener is done: nobody can take or finish the task yet.
    expect((await fixture.http('POST', `/v2/user-tasks/${held.userTaskKey}/assignment`, { assignee: 'bob' })).status).toBe(409);
    expect((await fixture.http('POST', `/v2/user-tasks/${held.userTaskKey}/completion`, { variables: {} })).status).toBe(409);
    // Job search shows the listener job as Zeebe does.
    const searched = (await fixture.http('POST', '/v2/jobs/search', { filter: { jobKey: job.jobKey } })).body as { items: WireJob[] };
    expect(searched.items[0]).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'CREATING' });

    const denied = await completeWith(job.jobKey, { denied: true });
    expect(denied.status).toBe(400);
    expect(JSON.stringify(denied.body)).toContain('result.denied');
    expect((await taskOf(key)).state).toBe('CREATING');

    expect((await completeWith(job.jobKey, { corrections: { assignee: 'alice', priority: 80 } })).status).toBe(204);
    const created = await eventually(async () => {
      const current = await taskOf(key);
      return current.state === 'CREATED' ? current : undefined;
    });
    expect(created).toMatchObject({ assignee: 'alice', priority: 80 });
    await fixture.client.completeUserTask({ userTaskKey: created.userTaskKey, variables: {} });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
  });

  it('holds a PATCH update for its updating listener, which sees the update and may correct it; a denied update leaves the task as it was', async () => {
    await deploy('tl_update', [['updating', 'tl-update-check']]);
    const key = await start('tl_update');
    const task = await taskOf(key);
    expect((await fixture.http('PATCH', `/v2/user-tasks/${task.userTaskKey}`, { changeset: { priority: 70 } })).status).toBe(204);
    const job = await nextJob('tl-update-check');
    expect(job).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'UPDATING' });
    expect(job.customHeaders).toMatchObject({ 'io.camunda.zeebe:action': 'update', 'io.camunda.zeebe:priority': '70' });
    expect((await taskOf(key)).state).toBe('UPDATING');
    expect((await fixture.http('POST', `/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'bob' })).status).toBe(409);
    expect((await completeWith(job.jobKey, { corrections: { candidateGroups: ['seniors'] } })).status).toBe(204);
    const updated = await eventually(async () => {
      const current = (await taskOf(key)) as Task & { candidateGroups?: string[] };
      return current.state === 'CREATED' ? current : undefined;
    });
    expect(updated).toMatchObject({ priority: 70, candidateGroups: ['seniors'] });

    expect((await fixture.http('PATCH', `/v2/user-tasks/${task.userTaskKey}`, { changeset: { priority: 10 } })).status).toBe(204);
    expect((await completeWith((await nextJob('tl-update-check')).jobKey, { denied: true, deniedReason: 'too low' })).status).toBe(204);
    const after = await eventually(async () => {
      const current = await taskOf(key);
      return current.state === 'CREATED' ? current : undefined;
    });
    expect(after.priority).toBe(70);
  });

  // The page's table: `updating` is triggered "When the update element instance variables API is called on a user task instance".
  it('holds a variable update on the task scope for its updating listener; a denied one sets nothing, and other scopes are not held', async () => {
    await deploy('tl_update_variables', [['updating', 'tl-update-variables']]);
    const key = await start('tl_update_variables');
    const task = await taskOf(key);
    const elementInstanceKey = (await fixture.client.getUserTask(task.userTaskKey)).elementInstanceKey;
    const variable = async (name: string) => (await fixture.client.searchVariables({ filter: { processInstanceKey: key, name } })).items[0]?.value;
    const put = (scopeKey: string, variables: Record<string, unknown>, local: boolean) => fixture.http('PUT', `/v2/element-instances/${scopeKey}/variables`, { variables, local });

    expect((await put(elementInstanceKey, { note: 'checked' }, true)).status).toBe(204);
    const job = await nextJob('tl-update-variables');
    expect(job).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'UPDATING' });
    expect(job.customHeaders).toMatchObject({ 'io.camunda.zeebe:action': 'update' });
    expect((await taskOf(key)).state).toBe('UPDATING');
    expect(await variable('note')).toBeUndefined();
    // While it is held, another update of the task's variables is refused, as other operations on the task are.
    expect((await put(elementInstanceKey, { other: 1 }, true)).status).toBe(409);
    expect((await completeWith(job.jobKey, {})).status).toBe(204);
    await eventually(async () => ((await variable('note')) === '"checked"' ? true : undefined));
    const note = (await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'note' } })).items[0]!;
    expect(note.scopeKey).toBe(elementInstanceKey);
    expect((await taskOf(key)).state).toBe('CREATED');

    // Not local: propagated outwards once let through (here to the process instance, where nothing of that name is).
    expect((await put(elementInstanceKey, { reviewed: true }, false)).status).toBe(204);
    await completeWith((await nextJob('tl-update-variables')).jobKey, {});
    await eventually(async () => ((await variable('reviewed')) === 'true' ? true : undefined));
    expect((await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'reviewed' } })).items[0]!.scopeKey).toBe(key);

    // Denied: the variables are not set.
    expect((await put(elementInstanceKey, { note: 'overwritten' }, true)).status).toBe(204);
    expect((await completeWith((await nextJob('tl-update-variables')).jobKey, { denied: true })).status).toBe(204);
    await eventually(async () => ((await taskOf(key)).state === 'CREATED' ? true : undefined));
    expect(await variable('note')).toBe('"checked"');

    // The process instance's scope is not the task's: set at once, no listener job.
    expect((await put(key, { outside: 1 }, true)).status).toBe(204);
    expect(await variable('outside')).toBe('1');
    expect(await activate('tl-update-variables')).toEqual([]);
  });

  it('keeps the task as it was when a completing listener denies the completion', async () => {
    await deploy('tl_deny', [['completing', 'tl-deny-check']]);
    const key = await start('tl_deny');
    const task = await taskOf(key);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'reject' } });
    const job = await nextJob('tl-deny-check');
    expect((await completeWith(job.jobKey, { denied: true, deniedReason: 'missing documents' })).status).toBe(204);
    await eventually(async () => ((await taskOf(key)).state === 'CREATED' ? true : undefined));
    expect(await fixture.instanceState(key)).toBe('ACTIVE');
    const decision = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'decision' } });
    expect(decision.items).toHaveLength(0);
    // The task can be completed again: the listener runs again.
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: {} });
    const again = await nextJob('tl-deny-check');
    await completeWith(again.jobKey, {});
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
  });

  it('runs assigning listeners in model order; a correction is seen by the next listener and applied with the assignment', async () => {
    await deploy('tl_assign', [['assigning', 'tl-assign-first'], ['assigning', 'tl-assign-second']]);
    const key = await start('tl_assign');
    const task = await taskOf(key);
    await fixture.client.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' });
    const first = await nextJob('tl-assign-first');
    expect(first).toMatchObject({ kind: 'TASK_LISTENER', listenerEventType: 'ASSIGNING' });
    expect(first.customHeaders['io.camunda.zeebe:assignee']).toBe('bob');
    expect((await taskOf(key)).state).toBe('ASSIGNING');
    expect(await activate('tl-assign-second')).toEqual([]);
    await completeWith(first.jobKey, { corrections: { assignee: 'carol', priority: 90 } });
    const second = await nextJob('tl-assign-second');
    expect(second.customHeaders).toMatchObject({ 'io.camunda.zeebe:assignee': 'carol', 'io.camunda.zeebe:priority': '90' });
    await completeWith(second.jobKey, {});
    const assigned = await eventually(async () => {
      const current = await taskOf(key);
      return current.state === 'CREATED' ? current : undefined;
    });
    expect(assigned).toMatchObject({ assignee: 'carol', priority: 90 });
  });

  it('discards the corrections of earlier listeners when a later one denies the assignment', async () => {
    await deploy('tl_assign_deny', [['assigning', 'tl-ad-first'], ['assigning', 'tl-ad-second']]);
    const key = await start('tl_assign_deny');
    const task = await taskOf(key);
    await fixture.client.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' });
    await completeWith((await nextJob('tl-ad-first')).jobKey, { corrections: { priority: 5 } });
    await completeWith((await nextJob('tl-ad-second')).jobKey, { denied: true });
    const after = await eventually(async () => {
      const current = await taskOf(key);
      return current.state === 'CREATED' ? current : undefined;
    });
    expect(after.assignee).toBeUndefined();
    expect(after.priority).toBe(50);
  });

  it('raises a TASK_LISTENER_NO_RETRIES incident when the listener job fails without retries left', async () => {
    await deploy('tl_fail', [['completing', 'tl-fail-check']]);
    const key = await start('tl_fail');
    const task = await taskOf(key);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: {} });
    const job = await nextJob('tl-fail-check');
    await fixture.client.failJob({ jobKey: job.jobKey, retries: 0, errorMessage: 'rules engine down', retryBackOff: 0 });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: key, state: 'ACTIVE' } })).items[0]);
    expect(incident).toMatchObject({ errorType: 'TASK_LISTENER_NO_RETRIES', elementId: 'review' });
    await fixture.client.updateJob({ jobKey: job.jobKey, retries: 1 });
    await fixture.client.resolveIncident(incident.incidentKey);
    await completeWith((await nextJob('tl-fail-check')).jobKey, {});
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
  });

  it('refuses variables and unknown corrections on a task listener job completion with 400', async () => {
    await deploy('tl_bad', [['completing', 'tl-bad-check']]);
    const key = await start('tl_bad');
    const task = await taskOf(key);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: {} });
    const job = await nextJob('tl-bad-check');
    const withVariables = await fixture.http('POST', `/v2/jobs/${job.jobKey}/completion`, { variables: { x: 1 } });
    expect(withVariables.status).toBe(400);
    const badCorrection = await completeWith(job.jobKey, { corrections: { colour: 'red' } });
    expect(badCorrection.status).toBe(400);
    expect(JSON.stringify(badCorrection.body)).toContain('result.corrections.colour');
  });

  // Durability, not a rule of the page: a held transition and its request survive a restart.
  it.each([false, true])('keeps a held completion across a restart (final snapshot: %s)', async (finalSnapshot) => {
    const id = `tl_restart_${String(finalSnapshot)}`;
    await deploy(id, [['completing', `${id}-check`]]);
    const key = await start(id);
    const task = await taskOf(key);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'approve' } });
    await fixture.restart({ finalSnapshot });
    expect((await taskOf(key)).state).toBe('COMPLETING');
    await completeWith((await nextJob(`${id}-check`)).jobKey, {});
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    const decision = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'decision' } });
    expect(decision.items[0]?.value).toBe('"approve"');
  });

  // Durability: the update a held PATCH asked for is in the listener's job and survives a restart from the snapshot.
  it('keeps a held update and what it asked for across a restart', async () => {
    await deploy('tl_update_restart', [['updating', 'tl-update-restart-check']]);
    const key = await start('tl_update_restart');
    const task = await taskOf(key);
    expect((await fixture.http('PATCH', `/v2/user-tasks/${task.userTaskKey}`, { changeset: { priority: 90 } })).status).toBe(204);
    // An updating transition and its listener's job are logged as version 2 of their events (events.ts)...
    const client = new pg.Client({ connectionString: fixture.database.url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ type: string }>(
        `SELECT e->>'type' AS type FROM engine_log, jsonb_array_elements(events) e WHERE (e->>'v') = '2' AND (e->>'key' = $1 OR e->'listener'->>'userTaskKey' = $1) ORDER BY 1`,
        [task.userTaskKey],
      );
      expect(rows.map((row) => row.type)).toEqual(expect.arrayContaining(['JobCreated', 'UserTaskTransitionHeld']));
    } finally {
      await client.end();
    }
    // ...which a restart from the log alone replays with their own appliers.
    await fixture.restart({ finalSnapshot: false });
    expect((await taskOf(key)).state).toBe('UPDATING');
    await completeWith((await nextJob('tl-update-restart-check')).jobKey, {});
    const updated = await eventually(async () => {
      const current = await taskOf(key);
      return current.state === 'CREATED' ? current : undefined;
    });
    expect(updated.priority).toBe(90);
  });

  it('refuses listener events the engine does not run yet, by name, at deployment', async () => {
    const form = new FormData();
    form.append('resources', new Blob([processXml('tl_refused', userTask([['canceling', 'x']]), ['start', 'review', 'end'])]), 'refused.bpmn');
    const response = await fetch(`${fixture.baseUrl}/v2/deployments`, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/'canceling' is not supported yet/);
  });
});
