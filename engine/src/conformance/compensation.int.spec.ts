import { definitions } from '../testing/bpmn';
import { EngineFixture, eventually } from '../testing/engine-fixture';

// Compensation: a compensation boundary event on an activity, associated with
// its handler (an activity marked isForCompensation); compensation throw and
// end events, for the whole scope or one activity; Zeebe 8.8's rules, each
// test quoting the page it follows:
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/ ("events")
// https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/ ("handler")

/** A script task setting `variable` to a FEEL expression. */
const script = (id: string, variable: string, expression = 'true', extra = '') =>
  `<bpmn:scriptTask id="${id}"${extra}><bpmn:extensionElements><zeebe:script expression="=${expression}" resultVariable="${variable}" /></bpmn:extensionElements></bpmn:scriptTask>`;
/** Counts its runs in `variable` (a handler run more than once counts up). */
const counter = (id: string, variable: string, extra = '') => script(id, variable, `if ${variable} = null then 1 else ${variable} + 1`, extra);
/** A compensation boundary event on `activity`, associated with the handler `handler` (a counting script task). */
const compensable = (activity: string, handler = `undo-${activity}`) =>
  `<bpmn:boundaryEvent id="${activity}-compensation" attachedToRef="${activity}"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
   ${counter(handler, `undone_${activity.replace(/-/g, '_')}`, ' isForCompensation="true"')}
   <bpmn:association id="${activity}-association" associationDirection="One" sourceRef="${activity}-compensation" targetRef="${handler}" />`;
const compensate = (id: string, activityRef?: string, tag = 'intermediateThrowEvent') =>
  `<bpmn:${tag} id="${id}"><bpmn:compensateEventDefinition${activityRef ? ` activityRef="${activityRef}"` : ''} /></bpmn:${tag}>`;
const userTask = (id: string) => `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>`;
const serviceTask = (id: string, type: string, extra = '') =>
  `<bpmn:serviceTask id="${id}"${extra}><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const flows = (...pairs: [string, string][]) => pairs.map(([from, to], i) => `<bpmn:sequenceFlow id="f${i}-${from}-${to}" sourceRef="${from}" targetRef="${to}" />`).join('\n');
const processOf = (id: string, body: string) => definitions(`<bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>`);

describe('compensation', () => {
  let fixture: EngineFixture;

  beforeAll(async () => {
    fixture = await EngineFixture.start('compensation');
  });

  afterAll(async () => {
    await fixture.stop();
  });

  const deploy = (name: string, content: string) => fixture.client.deployResources([{ name, content }]);
  const deployRaw = (content: string) => fixture.deployRaw('compensation.bpmn', content);
  const run = (processDefinitionId: string, variables: Record<string, unknown> = {}) => fixture.client.createProcessInstanceWithResult({ processDefinitionId, variables });
  const start = async (processDefinitionId: string) => (await fixture.client.createProcessInstance({ processDefinitionId, variables: {} })).processInstanceKey;
  const variable = async (processInstanceKey: string, name: string) => {
    const found = (await fixture.client.searchVariables({ filter: { processInstanceKey, name } })).items as { value: string }[];
    return found.length === 0 ? undefined : (JSON.parse(found[0]!.value) as unknown);
  };
  const job = (type: string, processInstanceKey: string) =>
    eventually(async () => {
      const jobs = await fixture.client.activateJobs({ type, worker: 'compensation', timeout: 30_000, maxJobsToActivate: 10, requestTimeout: -1 });
      return jobs.find((j) => j.processInstanceKey === processInstanceKey);
    });

  /** Books with a job, then compensates it with a handler done by a job. */
  const deployWaiting = () =>
    deploy(
      'throw-waits.bpmn',
      processOf(
        'compensation-waits',
        `<bpmn:startEvent id="start" />${serviceTask('book', 'comp-book')}
        <bpmn:boundaryEvent id="book-compensation" attachedToRef="book"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
        ${serviceTask('cancel-booking', 'comp-cancel-booking', ' isForCompensation="true"')}
        <bpmn:association id="a1" sourceRef="book-compensation" targetRef="cancel-booking" />
        ${compensate('undo')}${script('after', 'wentOn')}<bpmn:endEvent id="end" />
        ${flows(['start', 'book'], ['book', 'undo'], ['undo', 'after'], ['after', 'end'])}`,
      ),
    );

  // events: "After the service task A is completed, the process reaches the compensation intermediate throw event.
  // This invokes the compensation handler Undo A ... Once the compensation handler Undo A is completed, the process
  // completes the compensation intermediate throw event and takes the outgoing sequence flow."
  it('runs the handler of a completed activity and waits for it before going on', async () => {
    await deployWaiting();
    const key = await start('compensation-waits');
    await fixture.client.completeJob({ jobKey: (await job('comp-book', key)).jobKey, variables: {} });
    const handlerJob = await job('comp-cancel-booking', key);
    expect(await fixture.elementIds(key)).toEqual(['cancel-booking', 'undo']);
    await fixture.client.completeJob({ jobKey: handlerJob.jobKey, variables: { cancelled: true } });
    await eventually(async () => ((await fixture.instanceState(key)) === 'COMPLETED' ? true : undefined));
    expect(await variable(key, 'wentOn')).toBe(true);
    // The handler's variables reach the scope, as any task's do; the boundary event shows it fired.
    expect(await variable(key, 'cancelled')).toBe(true);
    expect(await fixture.elementIds(key, 'COMPLETED')).toEqual(['after', 'book', 'book-compensation', 'cancel-booking', 'end', 'start', 'undo']);
  });

  // events: "it triggers the compensation within its scope and invokes all compensation handlers of completed
  // activities. The compensation handlers of active or terminated activities are not invoked."
  it('compensates every completed activity of the scope at once, and not an active one', async () => {
    await deploy(
      'all-completed.bpmn',
      processOf(
        'compensation-all',
        `<bpmn:startEvent id="start" />${script('a', 'a')}${compensable('a')}<bpmn:parallelGateway id="fork" />
        ${userTask('b')}${compensable('b')}${script('c', 'c')}${compensable('c')}${compensate('undo')}<bpmn:endEvent id="end" /><bpmn:endEvent id="b-end" />
        ${flows(['start', 'a'], ['a', 'fork'], ['fork', 'b'], ['b', 'b-end'], ['fork', 'c'], ['c', 'undo'], ['undo', 'end'])}`,
      ),
    );
    const key = await start('compensation-all');
    await eventually(async () => ((await variable(key, 'undone_c')) === 1 ? true : undefined));
    expect(await variable(key, 'undone_a')).toBe(1);
    expect(await variable(key, 'undone_b')).toBeUndefined();
    expect(await fixture.elementIds(key)).toEqual(['b']);
  });

  // handler: "If the compensation activity has been completed more than once, the compensation handler is invoked for the same amount."
  it('runs the handler once per completion of the activity', async () => {
    await deploy(
      'twice.bpmn',
      processOf(
        'compensation-twice',
        `<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="again" />${counter('a', 'runs')}${compensable('a')}
        <bpmn:exclusiveGateway id="done" default="to-undo" />${compensate('undo')}<bpmn:endEvent id="end" />
        ${flows(['start', 'again'], ['again', 'a'], ['a', 'done'], ['undo', 'end'])}
        <bpmn:sequenceFlow id="loop" sourceRef="done" targetRef="again"><bpmn:conditionExpression>=runs &lt; 3</bpmn:conditionExpression></bpmn:sequenceFlow>
        <bpmn:sequenceFlow id="to-undo" sourceRef="done" targetRef="undo" />`,
      ),
    );
    const result = await run('compensation-twice');
    expect(result.variables).toMatchObject({ runs: 3, undone_a: 3 });
  });

  // events: "it is also possible to trigger the compensation for a specific activity ... by using the property activityRef."
  // A completion compensated once is not compensated again by a later throw event.
  it('compensates only the activity a throw event names, and each completion once', async () => {
    await deploy(
      'activity-ref.bpmn',
      processOf(
        'compensation-ref',
        `<bpmn:startEvent id="start" />${script('a', 'a')}${compensable('a')}${script('b', 'b')}${compensable('b')}
        ${compensate('undo-a-only', 'a')}${script('check', 'afterFirst', '[undone_a, undone_b]')}${compensate('undo-rest')}<bpmn:endEvent id="end" />
        ${flows(['start', 'a'], ['a', 'b'], ['b', 'undo-a-only'], ['undo-a-only', 'check'], ['check', 'undo-rest'], ['undo-rest', 'end'])}`,
      ),
    );
    const result = await run('compensation-ref');
    expect(result.variables).toMatchObject({ afterFirst: [1, null], undone_a: 1, undone_b: 1 });
  });

  // events: "If a process instance enters a compensation throw event and there are completed embedded subprocesses
  // in the same scope, it invokes the compensation handlers within these subprocesses and nested subprocesses."
  // "If the compensation throw event is inside an embedded subprocess, the process instance invokes only the
  // compensation handlers within the subprocess."
  it('reaches into completed subprocesses, and a throw inside a subprocess stays inside', async () => {
    await deploy(
      'subprocesses.bpmn',
      processOf(
        'compensation-subprocess',
        `<bpmn:startEvent id="start" />${script('outer', 'outer')}${compensable('outer')}
        <bpmn:subProcess id="first"><bpmn:startEvent id="first-start" />
          <bpmn:subProcess id="nested"><bpmn:startEvent id="nested-start" />${script('deep', 'deep')}${compensable('deep')}<bpmn:endEvent id="nested-end" />
            ${flows(['nested-start', 'deep'], ['deep', 'nested-end'])}</bpmn:subProcess>
          <bpmn:endEvent id="first-end" />${flows(['first-start', 'nested'], ['nested', 'first-end'])}
        </bpmn:subProcess>
        <bpmn:subProcess id="second"><bpmn:startEvent id="second-start" />${script('inner', 'inner')}${compensable('inner')}${compensate('undo-inside')}
          ${script('seen', 'seenInside', '[undone_outer, undone_deep, undone_inner]')}<bpmn:endEvent id="second-end" />
          ${flows(['second-start', 'inner'], ['inner', 'undo-inside'], ['undo-inside', 'seen'], ['seen', 'second-end'])}
        </bpmn:subProcess>
        ${compensate('undo-all')}<bpmn:endEvent id="end" />
        ${flows(['start', 'outer'], ['outer', 'first'], ['first', 'second'], ['second', 'undo-all'], ['undo-all', 'end'])}`,
      ),
    );
    const result = await run('compensation-subprocess');
    // Inside "second", only its own activity; then at the top, the rest (the nested one inside "first" included).
    expect(result.variables).toMatchObject({ seenInside: [null, null, 1], undone_outer: 1, undone_deep: 1, undone_inner: 1 });
  });

  // events: "The compensation handlers are not invoked if the subprocess is active or terminated."
  it('does not compensate what completed inside a terminated subprocess', async () => {
    await deploy(
      'terminated.bpmn',
      definitions(`<bpmn:escalation id="stop" escalationCode="STOP" />
      <bpmn:process id="compensation-terminated" isExecutable="true">
        <bpmn:startEvent id="start" />${script('outer', 'outer')}${compensable('outer')}
        <bpmn:subProcess id="work"><bpmn:startEvent id="work-start" />${script('inner', 'inner')}${compensable('inner')}
          <bpmn:endEvent id="stop-end"><bpmn:escalationEventDefinition escalationRef="stop" /></bpmn:endEvent>
          ${flows(['work-start', 'inner'], ['inner', 'stop-end'])}</bpmn:subProcess>
        <bpmn:boundaryEvent id="stopped" attachedToRef="work"><bpmn:escalationEventDefinition escalationRef="stop" /></bpmn:boundaryEvent>
        ${compensate('undo', undefined, 'endEvent')}<bpmn:endEvent id="end" />
        ${flows(['start', 'outer'], ['outer', 'work'], ['work', 'end'], ['stopped', 'undo'])}
      </bpmn:process>`),
    );
    const result = await run('compensation-terminated');
    expect(result.variables).toMatchObject({ undone_outer: 1 });
    expect(result.variables).not.toHaveProperty('undone_inner');
  });

  // events: "The compensation handler of a multi-instance activity is invoked only once, rather than for each item
  // in the input collection."
  it('runs the handler of a multi-instance activity once', async () => {
    await deploy(
      'multi-instance.bpmn',
      processOf(
        'compensation-multi',
        `<bpmn:startEvent id="start" />
        <bpmn:scriptTask id="each"><bpmn:extensionElements><zeebe:script expression="=item" resultVariable="last" /></bpmn:extensionElements>
          <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2,3]" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
        </bpmn:scriptTask>${compensable('each')}${compensate('undo', undefined, 'endEvent')}
        ${flows(['start', 'each'], ['each', 'undo'])}`,
      ),
    );
    const result = await run('compensation-multi');
    expect(result.variables).toMatchObject({ undone_each: 1 });
  });

  // events: "An interrupting or non-interrupting event subprocess can contain compensation intermediate throw
  // events or a compensation end event. These compensation events ... broadcast the compensation within the
  // outer scope of the event subprocess." (the pattern: an error event subprocess undoing what was done)
  it('compensates the outer scope from an error event subprocess', async () => {
    await deploy(
      'event-subprocess.bpmn',
      definitions(`<bpmn:error id="failed" errorCode="FAILED" />
      <bpmn:process id="compensation-event-subprocess" isExecutable="true">
        <bpmn:startEvent id="start" />${script('charge', 'charged')}${compensable('charge')}
        <bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="failed" /></bpmn:endEvent>
        <bpmn:subProcess id="on-failure" triggeredByEvent="true">
          <bpmn:startEvent id="failure-start"><bpmn:errorEventDefinition errorRef="failed" /></bpmn:startEvent>
          ${compensate('refund', undefined, 'endEvent')}${flows(['failure-start', 'refund'])}
        </bpmn:subProcess>
        ${flows(['start', 'charge'], ['charge', 'fail'])}
      </bpmn:process>`),
    );
    const result = await run('compensation-event-subprocess');
    expect(result.variables).toMatchObject({ charged: true, undone_charge: 1 });
  });

  // events: "Compensation handlers of child processes are not invoked. The triggering of the compensation stops at the call activity."
  it('does not reach into a called process', async () => {
    await deploy(
      'called.bpmn',
      processOf('compensation-child', `<bpmn:startEvent id="start" />${script('child-work', 'childWork')}${compensable('child-work')}<bpmn:endEvent id="end" />${flows(['start', 'child-work'], ['child-work', 'end'])}`),
    );
    await deploy(
      'caller.bpmn',
      processOf(
        'compensation-caller',
        `<bpmn:startEvent id="start" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="compensation-child" /></bpmn:extensionElements></bpmn:callActivity>
        ${compensable('call')}${compensate('undo', undefined, 'endEvent')}${flows(['start', 'call'], ['call', 'undo'])}`,
      ),
    );
    const result = await run('compensation-caller');
    expect(result.variables).toMatchObject({ childWork: true, undone_call: 1 });
    expect(result.variables).not.toHaveProperty('undone_child_work');
  });

  // events: "The compensation throw event remains active until all invoked compensation handlers are completed";
  // what it waits for is logged, so a restart (from a snapshot or the log) waits for the same handlers.
  it.each([{ finalSnapshot: true }, { finalSnapshot: false }])('keeps what is to be compensated across a restart (%o)', async (options) => {
    await deploy(
      `restart-${options.finalSnapshot}.bpmn`,
      processOf(
        `compensation-restart-${options.finalSnapshot}`,
        `<bpmn:startEvent id="start" />${script('a', 'a')}${compensable('a')}${userTask('review')}${compensate('undo')}${userTask('after')}<bpmn:endEvent id="end" />
        ${flows(['start', 'a'], ['a', 'review'], ['review', 'undo'], ['undo', 'after'], ['after', 'end'])}`,
      ),
    );
    const key = await start(`compensation-restart-${options.finalSnapshot}`);
    const task = await eventually(async () => (await fixture.client.searchUserTasks({ filter: { processInstanceKey: key, state: 'CREATED' } })).items[0]);
    await fixture.restart(options);
    await fixture.client.completeUserTask({ userTaskKey: task.userTaskKey });
    await eventually(async () => ((await fixture.elementIds(key)).includes('after') ? true : undefined));
    expect(await variable(key, 'undone_a')).toBe(1);
  });

  // A throw event waiting for its handlers waits for the same ones after a restart: which handler instance
  // completes which subscription is logged with the trigger.
  it.each([{ finalSnapshot: true }, { finalSnapshot: false }])('goes on from a throw event waiting for its handler across a restart (%o)', async (options) => {
    const id = `compensation-waiting-${options.finalSnapshot}`;
    await deploy(
      `${id}.bpmn`,
      processOf(
        id,
        `<bpmn:startEvent id="start" />${script('book', 'booked')}
        <bpmn:boundaryEvent id="book-compensation" attachedToRef="book"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>
        ${serviceTask('cancel-booking', `${id}-undo`, ' isForCompensation="true"')}
        <bpmn:association id="a1" sourceRef="book-compensation" targetRef="cancel-booking" />
        ${compensate('undo')}${userTask('after')}<bpmn:endEvent id="end" />
        ${flows(['start', 'book'], ['book', 'undo'], ['undo', 'after'], ['after', 'end'])}`,
      ),
    );
    const key = await start(id);
    await job(`${id}-undo`, key);
    await fixture.restart(options);
    expect(await fixture.elementIds(key)).toEqual(['cancel-booking', 'undo']);
    // The activation taken before the restart still holds the job; a new worker gets it once it times out, so complete by key.
    const found = await fixture.http('POST', '/v2/jobs/search', { filter: { processInstanceKey: key, type: `${id}-undo` } });
    const [jobRow] = (found.body as { items: { jobKey: string }[] }).items;
    await fixture.client.completeJob({ jobKey: jobRow!.jobKey, variables: {} });
    await eventually(async () => ((await fixture.elementIds(key)).includes('after') ? true : undefined));
    expect(await fixture.elementIds(key)).toEqual(['after']);
  });

  // handler: "Compensation handlers might be interrupted if the process or subprocess is terminated, interrupted
  // compensation handlers can't be re-activated."
  it('terminates a running handler with its process instance', async () => {
    await deployWaiting();
    const key = await start('compensation-waits');
    await fixture.client.completeJob({ jobKey: (await job('comp-book', key)).jobKey, variables: {} });
    const handlerJob = await job('comp-cancel-booking', key);
    await fixture.client.cancelProcessInstance({ processInstanceKey: key });
    await eventually(async () => ((await fixture.instanceState(key)) === 'TERMINATED' ? true : undefined));
    expect(await fixture.elementIds(key, 'TERMINATED')).toEqual(['cancel-booking', 'undo']);
    const completion = await fixture.http('POST', `/v2/jobs/${handlerJob.jobKey}/completion`, { variables: {} });
    expect(completion.status).toBe(404);
  });

  // The process instance's subscriptions go with it; a later instance compensates only its own.
  it('compensates only what completed in the same process instance', async () => {
    const first = await run('compensation-twice');
    const second = await run('compensation-twice');
    expect(first.variables).toMatchObject({ undone_a: 3 });
    expect(second.variables).toMatchObject({ undone_a: 3 });
  });

  // Migrating what can still be compensated: migration-compensation.int.spec.ts.

  describe('refused at deployment, naming the element', () => {
    const refused = async (body: string, elementId: string, message: RegExp) => {
      const response = await deployRaw(processOf('compensation-refused', body));
      expect(response.status).toBe(400);
      expect(response.body.detail).toContain(elementId);
      expect(response.body.detail).toMatch(message);
    };

    it('a compensation boundary event without a handler', () =>
      refused(`<bpmn:startEvent id="start" />${script('a', 'a')}<bpmn:boundaryEvent id="lonely" attachedToRef="a"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>${flows(['start', 'a'])}`, 'lonely', /associated with one compensation handler/));

    it('a compensation handler with a sequence flow', () =>
      refused(`<bpmn:startEvent id="start" />${script('a', 'a')}${compensable('a', 'handler')}<bpmn:endEvent id="end" />${flows(['start', 'a'], ['handler', 'end'])}`, 'handler', /no incoming or outgoing sequence flows/));

    it('a compensation boundary event with an outgoing flow', () =>
      refused(`<bpmn:startEvent id="start" />${script('a', 'a')}${compensable('a')}<bpmn:endEvent id="end" />${flows(['start', 'a'], ['a-compensation', 'end'])}`, 'a-compensation', /no outgoing sequence flows/));

    // events: "The referenced activity must have a compensation boundary event and must be in the same scope of the compensation throw event."
    it('a throw event naming an activity without a compensation boundary event', () =>
      refused(`<bpmn:startEvent id="start" />${script('a', 'a')}${compensate('undo', 'a')}${flows(['start', 'a'], ['a', 'undo'])}`, 'undo', /'a' to have a compensation boundary event/));

    it('a throw event naming an activity of another scope', () =>
      refused(
        `<bpmn:startEvent id="start" /><bpmn:subProcess id="sub"><bpmn:startEvent id="s" />${script('a', 'a')}${compensable('a')}${flows(['s', 'a'])}</bpmn:subProcess>
        ${compensate('undo', 'a')}${flows(['start', 'sub'], ['sub', 'undo'])}`,
        'undo',
        /same scope/,
      ));

    it('a handler no compensation boundary event is associated with', () =>
      refused(`<bpmn:startEvent id="start" />${script('orphan', 'x', 'true', ' isForCompensation="true"')}`, 'orphan', /associated with a compensation boundary event/));

    // Zeebe 8.8 has no compensation event subprocess (its start event) nor compensation catch events.
    it('a compensation event subprocess', () =>
      refused(
        `<bpmn:startEvent id="start" /><bpmn:subProcess id="undo-all" triggeredByEvent="true"><bpmn:startEvent id="on-compensation"><bpmn:compensateEventDefinition /></bpmn:startEvent></bpmn:subProcess>`,
        'on-compensation',
        /not supported/,
      ));

    it('a throw event that does not wait for completion', () =>
      refused(`<bpmn:startEvent id="start" /><bpmn:intermediateThrowEvent id="fire-and-forget"><bpmn:compensateEventDefinition waitForCompletion="false" /></bpmn:intermediateThrowEvent>${flows(['start', 'fire-and-forget'])}`, 'fire-and-forget', /waitForCompletion/));
  });
});
