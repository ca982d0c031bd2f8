import { processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';
import { parseWire, queryUserTasksResponseBodySchema } from '../testing/wire-schemas';

// Camunda user tasks: created with their assignment, schedule, priority and
// form; searched by the task list's questions; assigned, updated and completed
// with Zeebe's rules, and refused with 409 in the wrong state.

interface Task {
  userTaskKey: string;
  state: string;
  assignee?: string;
  candidateGroups: string[];
  dueDate?: string;
  priority: number;
  formKey?: string;
  processInstanceKey: string;
  name: string;
}

const assessForm = JSON.stringify({ id: 'assess-claim', type: 'default', components: [{ type: 'textfield', key: 'decision', label: 'Decision' }] });

describe('user tasks', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('user_tasks');
    await fixture.client.deployResources([
      { name: 'assess-claim.form', content: assessForm },
      {
        name: 'assess.bpmn',
        content: processXml(
          'assess-claim-process',
          `<bpmn:startEvent id="start" />
           <bpmn:userTask id="assess" name="Assess the claim">
             <bpmn:extensionElements>
               <zeebe:userTask />
               <zeebe:formDefinition formId="assess-claim" />
               <zeebe:assignmentDefinition assignee="=preferredAdjuster" candidateGroups="adjusters, managers" />
               <zeebe:taskSchedule dueDate="=due" />
               <zeebe:priorityDefinition priority="=if amount &gt; 1000 then 80 else 40" />
               <zeebe:taskHeaders><zeebe:header key="claimView" value="/staff/claims" /></zeebe:taskHeaders>
             </bpmn:extensionElements>
           </bpmn:userTask>
           <bpmn:endEvent id="end" />`,
          ['start', 'assess', 'end'],
        ),
      },
      {
        name: 'missing-form.bpmn',
        content: processXml(
          'missing-form',
          `<bpmn:startEvent id="start" /><bpmn:userTask id="task"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formId="nowhere" /></bpmn:extensionElements></bpmn:userTask>`,
          ['start', 'task'],
        ),
      },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const start = async (variables: Record<string, unknown>) => (await fixture.client.createProcessInstance({ processDefinitionId: 'assess-claim-process', variables })).processInstanceKey;
  const search = async (body: Record<string, unknown>) => {
    const response = await fixture.http('POST', '/v2/user-tasks/search', body);
    if (response.status !== 200) throw new Error(JSON.stringify(response.body));
    return parseWire<{ items: Task[]; page: { totalItems: number } }>(queryUserTasksResponseBodySchema, response.body);
  };
  const taskOf = (processInstanceKey: string) => eventually(async () => (await search({ filter: { processInstanceKey } })).items[0]);

  it('creates the task with its evaluated attributes and linked form', async () => {
    const key = await start({ preferredAdjuster: '', due: '2026-12-01T09:00:00Z', amount: 2500, claimId: 'C-1' });
    const task = await taskOf(key);
    expect(task).toMatchObject({ state: 'CREATED', candidateGroups: ['adjusters', 'managers'], dueDate: '2026-12-01T09:00:00Z', priority: 80, name: 'Assess the claim' });
    expect(task.assignee).toBeUndefined();
    const single = await fixture.http('GET', `/v2/user-tasks/${task.userTaskKey}`);
    expect(single.body).toMatchObject({ userTaskKey: task.userTaskKey, customHeaders: { claimView: '/staff/claims' } });
    const form = await fixture.http('GET', `/v2/user-tasks/${task.userTaskKey}/form`);
    expect(form.status).toBe(200);
    expect(JSON.parse((form.body as { schema: string }).schema)).toMatchObject({ id: 'assess-claim' });
    const variables = await fixture.http('POST', `/v2/user-tasks/${task.userTaskKey}/variables/search`, { filter: { name: 'claimId' } });
    expect((variables.body as { items: { value: string }[] }).items[0]!.value).toBe('"C-1"');
  });

  it('answers the task list: a group’s open tasks by due date, assignee, priority and variables', async () => {
    const dues = ['2026-12-03T09:00:00Z', '2026-12-02T09:00:00Z', '2026-12-04T09:00:00Z'];
    const keys: string[] = [];
    for (const [index, due] of dues.entries()) keys.push(await start({ preferredAdjuster: index === 0 ? 'ada' : '', due, amount: 100 * index, claimId: `LIST-${index}` }));
    await eventually(async () => ((await search({ filter: { processInstanceKey: { $in: keys } } })).items.length === 3 ? true : undefined));
    const byDue = await search({ filter: { candidateGroup: 'adjusters', state: 'CREATED', processInstanceKey: { $in: keys } }, sort: [{ field: 'dueDate', order: 'ASC' }] });
    expect(byDue.items.map((t) => t.dueDate)).toEqual(['2026-12-02T09:00:00Z', '2026-12-03T09:00:00Z', '2026-12-04T09:00:00Z']);
    expect((await search({ filter: { assignee: 'ada', processInstanceKey: { $in: keys } } })).items).toHaveLength(1);
    expect((await search({ filter: { candidateGroup: 'investigators' } })).items).toHaveLength(0);
    const byVariable = await search({ filter: { processInstanceVariables: [{ name: 'claimId', value: '"LIST-2"' }] } });
    expect(byVariable.items.map((t) => t.processInstanceKey)).toEqual([keys[2]]);
    const page = await search({ filter: { processInstanceKey: { $in: keys } }, page: { limit: 2 } });
    expect(page.items).toHaveLength(2);
    expect(page.page.totalItems).toBe(3);
    const unknownField = await fixture.http('POST', '/v2/user-tasks/search', { filter: { colour: 'red' } });
    expect(unknownField.status).toBe(400);
  });

  it('assigns with and without override, unassigns, updates, and completes merging variables', async () => {
    const key = await start({ preferredAdjuster: 'ada', due: '2026-12-05T09:00:00Z', amount: 10 });
    const task = await taskOf(key);
    const refused = await fixture.http('POST', `/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'bob', allowOverride: false });
    expect(refused.status).toBe(409);
    await fixture.client.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'bob' });
    expect((await taskOf(key)).assignee).toBe('bob');
    await fixture.client.unassignUserTask({ userTaskKey: task.userTaskKey });
    expect((await taskOf(key)).assignee).toBeUndefined();
    await fixture.client.updateUserTask({ userTaskKey: task.userTaskKey, changeset: { priority: 99, candidateGroups: ['managers'], dueDate: '2026-12-24T12:00:00+01:00' } } as never);
    expect(await taskOf(key)).toMatchObject({ priority: 99, candidateGroups: ['managers'], dueDate: '2026-12-24T12:00:00+01:00' });
    const badDate = await fixture.http('PATCH', `/v2/user-tasks/${task.userTaskKey}`, { changeset: { dueDate: 'tomorrow' } });
    expect(badDate.status).toBe(400);

    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey, variables: { decision: 'approve', amount: 12 } });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    const amount = await fixture.client.searchVariables({ filter: { processInstanceKey: key, name: 'amount' } });
    expect(amount.items[0]!.value).toBe('12');
    expect((await taskOf(key)).state).toBe('COMPLETED');

    for (const [method, path, body] of [
      ['POST', 'completion', {}],
      ['POST', 'assignment', { assignee: 'ada' }],
    ] as const) {
      const again = await fixture.http(method, `/v2/user-tasks/${task.userTaskKey}/${path}`, body);
      expect(again.status).toBe(409);
    }
    expect((await fixture.http('POST', '/v2/user-tasks/123456/completion', {})).status).toBe(404);
  });

  it('cancels the task with its process instance', async () => {
    const key = await start({ preferredAdjuster: '', due: '2026-12-05T09:00:00Z', amount: 10 });
    await taskOf(key);
    await fixture.client.cancelProcessInstance({ processInstanceKey: key });
    await eventually(async () => ((await taskOf(key)).state === 'CANCELED' ? true : undefined));
  });

  it('raises an incident for an unknown form and for a due date that is not one', async () => {
    const missing = (await fixture.client.createProcessInstance({ processDefinitionId: 'missing-form', variables: {} })).processInstanceKey;
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: missing } })).items[0] as { errorType: string } | undefined);
    expect(incident.errorType).toBe('FORM_NOT_FOUND');
    const badDue = await start({ preferredAdjuster: '', due: 'next week', amount: 1 });
    const dueIncident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: badDue } })).items[0] as { errorMessage: string } | undefined);
    expect(dueIncident.errorMessage).toMatch(/dueDate/);
  });

  // Zeebe evaluates the assignee as a string, null not allowed (only the dates may be null):
  // https://docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#assignments
  it('raises an incident when the assignee expression yields null, and leaves an empty one unassigned', async () => {
    const nullAssignee = await start({ preferredAdjuster: null, due: '2026-12-05T09:00:00Z', amount: 1 });
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: nullAssignee } })).items[0] as { errorType: string; errorMessage: string } | undefined);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', errorMessage: "Expected result of the expression 'preferredAdjuster' to be 'STRING', but was 'NULL'." });
    expect((await search({ filter: { processInstanceKey: nullAssignee } })).items).toEqual([]);
    const empty = await start({ preferredAdjuster: '', due: '2026-12-05T09:00:00Z', amount: 1 });
    expect((await taskOf(empty)).assignee).toBeUndefined();
  });
});
