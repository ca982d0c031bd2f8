import { definitions } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Migration of what completed activities leave to be compensated, through
// CamundaRestClient.migrateProcessInstance, following "Compensation boundary
// events" of
// https://docs.camunda.io/docs/components/concepts/process-instance-migration/#compensation-boundary-events
// ("migrated similarly to other catch events": a mapped one keeps its
// subscription, one not mapped loses it; one the target adds opens a
// subscription only for activities that have not completed yet).

const PAGE = 'https://docs.camunda.io/docs/components/concepts/process-instance-migration/#compensation-boundary-events';

/** A script task counting its runs in `variable`. */
const counter = (id: string, variable: string, extra = '') =>
  `<bpmn:scriptTask id="${id}"${extra}><bpmn:extensionElements><zeebe:script expression="=if ${variable} = null then 1 else ${variable} + 1" resultVariable="${variable}" /></bpmn:extensionElements></bpmn:scriptTask>`;
/** A compensation boundary event `boundary` on `activity`, associated with a handler counting in `variable`. */
const compensable = (activity: string, boundary: string, handler: string, variable: string) =>
  `<bpmn:boundaryEvent id="${boundary}" attachedToRef="${activity}"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
   ${counter(handler, variable, ' isForCompensation="true"')}
   <bpmn:association id="${boundary}-association" associationDirection="One" sourceRef="${boundary}" targetRef="${handler}" />`;
const userTask = (id: string) => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>`;
const flows = (...pairs: [string, string][]) => pairs.map(([from, to], i) => `<bpmn:sequenceFlow id="f${i}-${from}-${to}" sourceRef="${from}" targetRef="${to}" />`).join('\n');
const processOf = (id: string, body: string) => definitions(`<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>`);
const UNDO = '<bpmn:intermediateThrowEvent id="undo"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>';

/** `activity` (a script task, completed at once, compensable by `handler`), then the user task `review`, then a throw compensating everything. */
const booked = (processId: string, activity: string, boundary: string, handler: string, variable: string) =>
  processOf(
    processId,
    `<bpmn:startEvent id="start" />${counter(activity, `ran_${activity}`)}${compensable(activity, boundary, handler, variable)}
     ${userTask('review')}${UNDO}<bpmn:endEvent id="end" />
     ${flows(['start', activity], [activity, 'review'], ['review', 'undo'], ['undo', 'end'])}`,
  );

describe(`migrating compensation subscriptions (${PAGE})`, () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('migration_compensation');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = async (name: string, xml: string) => (await fixture.client.deployResources([{ name, content: xml }])).processes[0]!.processDefinitionKey;
  const startAtReview = async (processDefinitionId: string) => {
    const key = (await fixture.client.createProcessInstance({ processDefinitionId, variables: {} })).processInstanceKey;
    await eventually(async () => ((await fixture.elementIds(key)).includes('review') ? true : undefined));
    return key;
  };
  const migrate = (processInstanceKey: string, targetProcessDefinitionKey: string, mapping: [string, string][]) =>
    fixture.client.migrateProcessInstance({
      processInstanceKey,
      targetProcessDefinitionKey,
      mappingInstructions: mapping.map(([sourceElementId, targetElementId]) => ({ sourceElementId, targetElementId })),
    });
  const refusal = async (processInstanceKey: string, targetProcessDefinitionKey: string, mapping: [string, string][]) => {
    const response = await fixture.http('POST', `/v2/process-instances/${processInstanceKey}/migration`, {
      targetProcessDefinitionKey,
      mappingInstructions: mapping.map(([sourceElementId, targetElementId]) => ({ sourceElementId, targetElementId })),
    });
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    return (response.body as { detail: string }).detail;
  };
  /** Completes the user task `taskId` and waits for the instance to complete; answers its variables. */
  const finish = async (processInstanceKey: string, taskId = 'review') => {
    const task = await eventually(async () => {
      const found = (await fixture.http('POST', '/v2/user-tasks/search', { filter: { processInstanceKey, elementId: taskId, state: 'CREATED' } })).body as { items: { userTaskKey: string }[] };
      return found.items[0];
    });
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey });
    await eventually(async () => ((await fixture.instanceState(processInstanceKey)) === 'COMPLETED' ? true : undefined));
    const variables = (await fixture.client.searchVariables({ filter: { processInstanceKey }, page: { from: 0, limit: 100 } })).items as { name: string; value: string }[];
    return Object.fromEntries(variables.map((v) => [v.name, JSON.parse(v.value) as unknown]));
  };

  // "Compensation boundary events can be migrated similarly to other catch events" (migrate catch events: a mapped
  // catch event keeps its subscription): the completed activity is compensated by the target's handler, also after a
  // restart that replays the log.
  it('keeps the subscription of a completed activity whose compensation boundary event is mapped, now with the target handler', async () => {
    await deploy('comp-mapped-v1.bpmn', booked('mig-comp-mapped', 'book', 'book-compensation', 'undo-book', 'undone_v1'));
    const key = await startAtReview('mig-comp-mapped');
    const target = await deploy('comp-mapped-v2.bpmn', booked('mig-comp-mapped', 'reserve', 'reserve-compensation', 'release', 'undone_v2'));
    await migrate(key, target, [['review', 'review'], ['book-compensation', 'reserve-compensation']]);
    await fixture.restart({ finalSnapshot: false });

    const variables = await finish(key);
    expect(variables).toMatchObject({ ran_book: 1, undone_v2: 1 });
    expect(variables).not.toHaveProperty('undone_v1');
    // The target's boundary event is what the history shows fired.
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(expect.arrayContaining(['release', 'reserve-compensation', 'undo']));
  });

  // "Remove catch events: if a catch event in the source process is not mapped, then the associated subscription is closed."
  it('drops the subscription of a completed activity whose compensation boundary event is not mapped', async () => {
    await deploy('comp-unmapped-v1.bpmn', booked('mig-comp-unmapped', 'book', 'book-compensation', 'undo-book', 'undone_v1'));
    const key = await startAtReview('mig-comp-unmapped');
    const target = await deploy('comp-unmapped-v2.bpmn', booked('mig-comp-unmapped', 'book', 'book-compensation', 'undo-book', 'undone_v2'));
    await migrate(key, target, [['review', 'review']]);

    const variables = await finish(key);
    expect(variables).toMatchObject({ ran_book: 1 });
    expect(variables).not.toHaveProperty('undone_v1');
    expect(variables).not.toHaveProperty('undone_v2');
    expect(await fixture.elementIds(key, 'COMPLETED')).not.toContain('undo-book');
  });

  // "If a compensation boundary event is added, a new compensation subscription is only opened for activity instances
  // that are currently active, or haven't been started yet. For activity instances that have already finished, no new
  // compensation subscription will be opened."
  it('opens a compensation boundary event the target adds only for activities that had not completed', async () => {
    const plain = processOf(
      'mig-comp-added',
      `<bpmn:startEvent id="start" />${counter('book', 'ran_book')}${userTask('review')}${UNDO}<bpmn:endEvent id="end" />
       ${flows(['start', 'book'], ['book', 'review'], ['review', 'undo'], ['undo', 'end'])}`,
    );
    await deploy('comp-added-v1.bpmn', plain);
    const key = await startAtReview('mig-comp-added');
    const target = await deploy(
      'comp-added-v2.bpmn',
      processOf(
        'mig-comp-added',
        `<bpmn:startEvent id="start" />${counter('book', 'ran_book')}${compensable('book', 'book-compensation', 'undo-book', 'undone_book')}
         ${userTask('review')}${compensable('review', 'review-compensation', 'undo-review', 'undone_review')}${UNDO}<bpmn:endEvent id="end" />
         ${flows(['start', 'book'], ['book', 'review'], ['review', 'undo'], ['undo', 'end'])}`,
      ),
    );
    await migrate(key, target, [['review', 'review']]);

    const variables = await finish(key);
    expect(variables).toMatchObject({ ran_book: 1, undone_review: 1 });
    expect(variables).not.toHaveProperty('undone_book');
  });

  // A completed subprocess carries what completed inside it; it follows its mapping (or keeps its id), and its
  // activities' flow scope cannot change ("changing the scope of a subprocesses during migration is not possible").
  it('keeps what completed inside a completed subprocess once the subprocess is mapped too', async () => {
    const nested = (processId: string, subprocess: string, boundary: string, variable: string) =>
      processOf(
        processId,
        `<bpmn:startEvent id="start" />
         <bpmn:subProcess id="${subprocess}"><bpmn:startEvent id="inner-start" />${counter('book', 'ran_book')}${compensable('book', boundary, `undo-${boundary}`, variable)}<bpmn:endEvent id="inner-end" />
           ${flows(['inner-start', 'book'], ['book', 'inner-end'])}</bpmn:subProcess>
         ${userTask('review')}${UNDO}<bpmn:endEvent id="end" />
         ${flows(['start', subprocess], [subprocess, 'review'], ['review', 'undo'], ['undo', 'end'])}`,
      );
    await deploy('comp-nested-v1.bpmn', nested('mig-comp-nested', 'booking', 'book-compensation', 'undone_v1'));
    const key = await startAtReview('mig-comp-nested');
    const target = await deploy('comp-nested-v2.bpmn', nested('mig-comp-nested', 'reservation', 'book-compensation-v2', 'undone_v2'));

    const unmapped = await refusal(key, target, [['review', 'review'], ['book-compensation', 'book-compensation-v2']]);
    expect(unmapped).toMatch(/completed subprocess with id 'booking' holds activities that can still be compensated/);

    await migrate(key, target, [['review', 'review'], ['book-compensation', 'book-compensation-v2'], ['booking', 'reservation']]);
    const variables = await finish(key);
    expect(variables).toMatchObject({ ran_book: 1, undone_v2: 1 });
    expect(variables).not.toHaveProperty('undone_v1');
  });

  // Catch event limitations: "A catch event in the source cannot be mapped to a different type of catch event in the
  // target", and "A mapping instruction cannot detach a catch event from an active element" (here: from its activity).
  it('refuses a compensation boundary event mapped to another kind of element or away from its activity', async () => {
    await deploy('comp-refused-v1.bpmn', booked('mig-comp-refused', 'book', 'book-compensation', 'undo-book', 'undone_v1'));
    const key = await startAtReview('mig-comp-refused');
    const target = await deploy(
      'comp-refused-v2.bpmn',
      processOf(
        'mig-comp-refused',
        `<bpmn:startEvent id="start" />${counter('book', 'ran_book')}${compensable('book', 'book-compensation', 'undo-book', 'undone_book')}
         ${counter('pay', 'ran_pay')}${compensable('pay', 'pay-compensation', 'refund', 'refunded')}
         ${userTask('review')}${UNDO}<bpmn:endEvent id="end" />
         ${flows(['start', 'book'], ['book', 'pay'], ['pay', 'review'], ['review', 'undo'], ['undo', 'end'])}`,
      ),
    );
    expect(await refusal(key, target, [['review', 'review'], ['book-compensation', 'undo-book']])).toMatch(/is not a compensation boundary event/);
    expect(await refusal(key, target, [['review', 'review'], ['book', 'book'], ['book-compensation', 'pay-compensation']])).toMatch(/cannot detach a catch event/);

    // Nothing was changed by the refusals: mapped as it should be, the completion is compensated by the target's handler.
    await migrate(key, target, [['review', 'review'], ['book-compensation', 'book-compensation']]);
    const variables = await finish(key);
    expect(variables).toMatchObject({ undone_book: 1 });
    expect(variables).not.toHaveProperty('refunded');
  });
});
