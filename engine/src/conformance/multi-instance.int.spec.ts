import { processXml } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Multi-instance activities as Zeebe runs them: a body with one inner
// instance per item (all at once, or one after the other), the item and
// loopCounter on each, results gathered into the output collection, and a
// completion condition that ends the rest early.

const loop = (sequential: boolean, extra = '', condition = '') =>
  `<bpmn:multiInstanceLoopCharacteristics${sequential ? ' isSequential="true"' : ''}>
     <bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=result" ${extra}/></bpmn:extensionElements>
     ${condition ? `<bpmn:completionCondition>${condition}</bpmn:completionCondition>` : ''}
   </bpmn:multiInstanceLoopCharacteristics>`;

const checkItems = (processId: string, sequential: boolean, condition = '') =>
  processXml(
    processId,
    `<bpmn:startEvent id="start" />
     <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="check-item-${processId}" /></bpmn:extensionElements>${loop(sequential, '', condition)}</bpmn:serviceTask>
     <bpmn:endEvent id="end" />`,
    ['start', 'check', 'end'],
  );

describe('multi-instance', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('multi_instance');
    await fixture.client.deployResources([
      { name: 'parallel.bpmn', content: checkItems('parallel-items', false) },
      { name: 'sequential.bpmn', content: checkItems('sequential-items', true) },
      { name: 'early.bpmn', content: checkItems('stop-at-rejection', false, '=some r in results satisfies r = "rejected"') },
      {
        name: 'scripted.bpmn',
        content: processXml(
          'scripted-items',
          `<bpmn:startEvent id="start" />
           <bpmn:scriptTask id="double"><bpmn:extensionElements><zeebe:script expression="=item * 2" resultVariable="result" /></bpmn:extensionElements>${loop(false)}</bpmn:scriptTask>
           <bpmn:endEvent id="end" />`,
          ['start', 'double', 'end'],
        ),
      },
    ]);
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const run = async (processDefinitionId: string, items: unknown) => (await fixture.client.createProcessInstance({ processDefinitionId, variables: { items } })).processInstanceKey;
  const variable = async (processInstanceKey: string, name: string) =>
    (await fixture.client.searchVariables({ filter: { processInstanceKey, scopeKey: processInstanceKey, name } })).items[0]?.value;
  const completed = (key: string) => eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));

  it('runs inner instances at once and gathers their results in order', async () => {
    const seen: unknown[] = [];
    fixture.client.createJobWorker({
      type: 'check-item-parallel-items',
      worker: 'checker',
      timeout: 30_000,
      maxJobsToActivate: 10,
      jobHandler: (job) => {
        const { item, loopCounter } = job.variables as { item: string; loopCounter: number };
        seen.push(loopCounter);
        return job.complete({ result: `${item}:ok` });
      },
    });
    const key = await run('parallel-items', ['a', 'b', 'c']);
    await completed(key);
    expect(JSON.parse((await variable(key, 'results'))!)).toEqual(['a:ok', 'b:ok', 'c:ok']);
    expect([...seen].sort()).toEqual([1, 2, 3]);
    const bodies = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, type: 'MULTI_INSTANCE_BODY' } } as never);
    expect(bodies.items).toHaveLength(1);
  });

  it('runs one inner instance after the other when sequential', async () => {
    let active = 0;
    let mostActive = 0;
    fixture.client.createJobWorker({
      type: 'check-item-sequential-items',
      worker: 'checker',
      timeout: 30_000,
      maxJobsToActivate: 10,
      jobHandler: async (job) => {
        mostActive = Math.max(mostActive, ++active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        active--;
        return job.complete({ result: (job.variables as { item: number }).item + 1 });
      },
    });
    const key = await run('sequential-items', [1, 2, 3, 4]);
    await completed(key);
    expect(JSON.parse((await variable(key, 'results'))!)).toEqual([2, 3, 4, 5]);
    expect(mostActive).toBe(1);
  });

  it('ends the remaining inner instances when the completion condition holds', async () => {
    fixture.client.createJobWorker({
      type: 'check-item-stop-at-rejection',
      worker: 'checker',
      timeout: 30_000,
      maxJobsToActivate: 1,
      jobHandler: (job) => {
        const { item } = job.variables as { item: string };
        // Only the rejected item answers; the others stay open until the condition ends them.
        return item === 'bad' ? job.complete({ result: 'rejected' }) : job.forward();
      },
    });
    const key = await run('stop-at-rejection', ['fine', 'bad', 'fine']);
    await completed(key);
    const terminated = await fixture.client.searchElementInstances({ filter: { processInstanceKey: key, elementId: 'check', state: 'TERMINATED' } } as never);
    expect(terminated.items).toHaveLength(2);
  });

  it('completes at once on an empty collection, and raises an incident when the collection is not a list', async () => {
    const empty = await run('scripted-items', []);
    await completed(empty);
    expect(await variable(empty, 'results')).toBe('[]');
    const doubled = await run('scripted-items', [1, 2, 3]);
    await completed(doubled);
    expect(JSON.parse((await variable(doubled, 'results'))!)).toEqual([2, 4, 6]);
    const broken = await run('scripted-items', 'not a list');
    const incident = await eventually(async () => (await fixture.client.searchIncidents({ filter: { processInstanceKey: broken } })).items[0] as { errorType: string; elementId: string } | undefined);
    expect(incident).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'double' });
  });
});
