import { BpmnModdle } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { expressionOf, feelSyntaxProblem } from '../feel/feel';
import { staticTimerProblem } from '../timers/timer-schedule';
import { readExecutionListeners, readTaskListeners } from './read-listeners';
import {
  AD_HOC_INNER_INSTANCE_SUFFIX,
  adHocInnerInstanceOf,
  type AdHocSubProcessElement,
  type Expression,
  type MessageTrigger,
  type MultiInstance,
  type SignalTrigger,
  type StartEventElement,
  type TimerTrigger,
  type UserTaskElement,
  type WaitTrigger,
  type BoundaryEventElement,
  type EndEventElement,
  type ExecutableElement,
  type ExecutableProcess,
  type FlowElement,
  type JobTaskElement,
  type Mapping,
  type PassThroughElement,
  type EscalationThrowElement,
  type CompensationThrowElement,
  type EscalationTrigger,
  type ProcessElement,
  type SequenceFlow,
} from './process-model';

/** What is wrong with a resource, element by element, as deployment reports it. */
export interface ModelProblem {
  readonly elementId?: string;
  readonly message: string;
}

export type ReadResult = { readonly ok: true; readonly processes: ExecutableProcess[] } | { readonly ok: false; readonly problems: ModelProblem[] };

/** A moddle element as bpmn-moddle hands it out: typed by `$type`, properties by name. */
interface ModdleElement {
  readonly $type: string;
  readonly id?: string;
  readonly name?: string;
  readonly [property: string]: unknown;
}

const moddle = new BpmnModdle({ zeebe: zeebeSchema });

/** Activities that can run once per item of a collection. */
const MULTI_INSTANCE_HOSTS = new Set([
  'bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:ScriptTask', 'bpmn:BusinessRuleTask', 'bpmn:UserTask', 'bpmn:ReceiveTask',
  'bpmn:SubProcess', 'bpmn:CallActivity', 'bpmn:Task', 'bpmn:ManualTask',
]);

/** Activities that can carry boundary events. */
/** The activities a compensation handler may be. */
const ACTIVITIES = new Set(['SERVICE_TASK', 'SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'SCRIPT_TASK', 'BUSINESS_RULE_TASK', 'SEND_TASK', 'USER_TASK', 'RECEIVE_TASK', 'CALL_ACTIVITY', 'TASK', 'MANUAL_TASK']);

const BOUNDARY_HOSTS = new Set(['SERVICE_TASK', 'SUB_PROCESS', 'AD_HOC_SUB_PROCESS', 'SCRIPT_TASK', 'BUSINESS_RULE_TASK', 'SEND_TASK', 'USER_TASK', 'RECEIVE_TASK', 'CALL_ACTIVITY']);

/** Elements that carry no behaviour: drawn, but not run. */
const ARTIFACTS = new Set(['bpmn:TextAnnotation', 'bpmn:Association', 'bpmn:Group', 'bpmn:DataObjectReference', 'bpmn:DataObject', 'bpmn:DataStoreReference']);

/**
 * Reads a BPMN document into executable processes, or lists every problem
 * (unsupported elements, missing zeebe definitions, FEEL that does not parse)
 * with the id of the element at fault. Nothing half-valid is returned.
 */
export async function readBpmn(xml: string): Promise<ReadResult> {
  let definitions: ModdleElement;
  let warnings: { message: string }[];
  try {
    const parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
    definitions = parsed.rootElement as ModdleElement;
    warnings = parsed.warnings;
  } catch (error) {
    return { ok: false, problems: [{ message: `The resource is not valid BPMN XML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  const problems: ModelProblem[] = warnings
    .filter((w) => /unresolved reference|unparsable content|unknown type/i.test(w.message))
    .map((w) => ({ message: moddleWarning(w.message) }));

  const rootElements = list(definitions.rootElements);
  const errorCodes = new Map<string, string | undefined>();
  for (const root of rootElements) {
    if (root.$type === 'bpmn:Error' && root.id) errorCodes.set(root.id, root.errorCode as string | undefined);
    // Escalations share the map: ids are unique in a definitions document.
    if (root.$type === 'bpmn:Escalation' && root.id) errorCodes.set(root.id, root.escalationCode as string | undefined);
  }
  const processes = rootElements.filter((e) => e.$type === 'bpmn:Process' && e.isExecutable === true);
  if (processes.length === 0) {
    problems.push({ message: 'Expected at least one executable process (isExecutable="true"), but found none.' });
  }
  const result: ExecutableProcess[] = [];
  for (const process of processes) {
    const reader = new ProcessReader(process, errorCodes, problems);
    const executable = reader.read();
    if (executable) result.push(executable);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, processes: result };
}

class ProcessReader {
  private readonly elements = new Map<string, ExecutableElement>();
  private readonly flows: SequenceFlow[] = [];
  /** Ids of the event subprocesses read so far: their start events are read differently. */
  private readonly eventSubProcesses = new Set<string>();
  /** Associations (source id, target id) of every container: how a compensation boundary event names its handler. */
  private readonly associations: [string, string][] = [];

  constructor(
    private readonly process: ModdleElement,
    private readonly errorCodes: ReadonlyMap<string, string | undefined>,
    private readonly problems: ModelProblem[],
  ) {}

  read(): ExecutableProcess | undefined {
    const id = this.process.id!;
    const before = this.problems.length;
    if (!/^[A-Za-z_][\w.-]*$/.test(id)) this.problem(id, `Expected the process id to be a valid id, but it is '${id}'.`);
    const { noneStartId: startEventId, triggeredStartIds, eventSubProcessIds } = this.readContainer(this.process, id, 'process');
    const extension = extensions(this.process).find((e) => e.$type === 'zeebe:VersionTag');
    const processElement: ProcessElement = {
      type: 'PROCESS',
      id,
      name: this.process.name,
      containerId: undefined,
      startEventId: startEventId ?? '',
      triggeredStartEventIds: triggeredStartIds,
      eventSubProcessIds,
      incoming: [],
      outgoing: [],
      inputs: [],
      outputs: [],
      boundaryEvents: [],
      ...readExecutionListeners(this.process, (at, message) => this.problem(at, message), (at, raw) => this.checkFeel(at, raw)),
    };
    this.elements.set(id, processElement);
    this.linkFlows();
    if (this.problems.length > before) return undefined;
    // Added once the model is checked: no check, and nothing drawn, sees them.
    for (const element of [...this.elements.values()]) if (element.type === 'AD_HOC_SUB_PROCESS') this.elements.set(element.innerInstanceId, adHocInnerInstanceOf(element));
    return {
      bpmnProcessId: id,
      name: this.process.name,
      versionTag: extension?.value as string | undefined,
      process: processElement,
      elements: this.elements,
      inclusiveJoinReach: this.inclusiveJoinReach(),
    };
  }

  /**
   * Reads the flow elements of a process or subprocess. A subprocess needs
   * exactly one none start event; a process needs one, or timer and message
   * start events instead.
   */
  private readContainer(
    container: ModdleElement,
    containerId: string,
    kind: 'process' | 'subprocess' | 'event subprocess',
  ): { noneStartId: string | undefined; triggeredStartIds: string[]; eventSubProcessIds: string[] } {
    const children = list(container.flowElements);
    const starts = children.filter((c) => c.$type === 'bpmn:StartEvent');
    const noneStarts = starts.filter((c) => list(c.eventDefinitions).length === 0);
    const triggeredStartIds = starts.filter((c) => list(c.eventDefinitions).length > 0).map((c) => c.id!);
    const eventSubProcessIds = children.filter((c) => c.$type === 'bpmn:SubProcess' && c.triggeredByEvent === true).map((c) => c.id!);
    if (kind === 'event subprocess') {
      this.eventSubProcesses.add(containerId);
      if (starts.length !== 1 || triggeredStartIds.length !== 1) this.problem(containerId, `Expected an event subprocess to have exactly one start event with a trigger (message, timer, signal or error).`);
    } else {
      if (noneStarts.length > 1 || (noneStarts.length === 0 && (kind === 'subprocess' || triggeredStartIds.length === 0))) {
        this.problem(containerId, `Expected exactly one none start event in '${containerId}', but found ${noneStarts.length}.`);
      }
      if (kind === 'subprocess') for (const id of triggeredStartIds) this.problem(id, 'Expected a start event inside a subprocess to be a none start event.');
    }
    for (const child of children) this.readElement(child, containerId);
    for (const artifact of list(container.artifacts)) {
      if (!ARTIFACTS.has(artifact.$type)) this.problem(artifact.id, `The element type ${artifact.$type} is not supported.`);
      const source = (artifact.sourceRef as ModdleElement | undefined)?.id;
      const target = (artifact.targetRef as ModdleElement | undefined)?.id;
      if (artifact.$type === 'bpmn:Association' && source && target) this.associations.push([source, target]);
    }
    if (kind === 'event subprocess') return { noneStartId: triggeredStartIds[0], triggeredStartIds: [], eventSubProcessIds };
    return { noneStartId: noneStarts[0]?.id, triggeredStartIds: kind === 'process' ? triggeredStartIds : [], eventSubProcessIds };
  }

  private readElement(element: ModdleElement, containerId: string): void {
    const id = element.id!;
    if (element.$type === 'bpmn:SequenceFlow') {
      this.readFlow(element);
      return;
    }
    if (ARTIFACTS.has(element.$type)) return;
    const multiInstance = element.loopCharacteristics ? this.multiInstance(element) : undefined;
    if (element.loopCharacteristics && !multiInstance) return;
    const base = {
      ...(multiInstance ? { multiInstance } : {}),
      id,
      name: element.name,
      containerId,
      incoming: [],
      outgoing: [],
      boundaryEvents: [],
      ...this.mappings(element),
      ...readExecutionListeners(element, (at, message) => this.problem(at, message), (at, raw) => this.checkFeel(at, raw)),
      ...(element.isForCompensation === true ? { forCompensation: true } : {}),
    };
    const eventDefinitions = list(element.eventDefinitions);
    const add = (executable: FlowElement): void => {
      this.elements.set(id, executable);
    };

    switch (element.$type) {
      case 'bpmn:StartEvent': {
        const formId = text(extensions(element).find((e) => e.$type === 'zeebe:FormDefinition')?.formId) || undefined;
        if (eventDefinitions.length === 0) return add({ ...base, type: 'START_EVENT', interrupting: true, ...(formId ? { formId } : {}) });
        if (this.eventSubProcesses.has(containerId)) return this.readEventSubProcessStart(element, base, eventDefinitions);
        const trigger = this.waitTrigger(id, eventDefinitions, 'start', false);
        if (trigger?.kind === 'timer' && trigger.timer === 'duration') return this.problem(id, 'Expected a timer start event to have a date or a cycle, not a duration.');
        // A message start event may link the form whose data the message carries (the request a client fills in).
        if (trigger) add({ ...base, type: 'START_EVENT', trigger, interrupting: true, ...(formId && trigger.kind === 'message' ? { formId } : {}) });
        return;
      }
      case 'bpmn:IntermediateCatchEvent': {
        if (isLink(eventDefinitions)) return this.readLink(base, eventDefinitions[0]!, 'INTERMEDIATE_CATCH_EVENT');
        const trigger = this.waitTrigger(id, eventDefinitions, 'intermediate catch', true);
        if (trigger?.kind === 'timer' && trigger.timer === 'cycle') return this.problem(id, 'Expected an intermediate timer catch event to have a date or a duration, not a cycle.');
        if (trigger) add({ ...base, type: 'INTERMEDIATE_CATCH_EVENT', trigger });
        return;
      }
      case 'bpmn:ReceiveTask': {
        const trigger = this.messageTrigger(id, element, true);
        if (trigger) add({ ...base, type: 'RECEIVE_TASK', trigger });
        return;
      }
      case 'bpmn:IntermediateThrowEvent':
        if (eventDefinitions.length === 0) return add({ ...base, type: 'INTERMEDIATE_THROW_EVENT' });
        if (isLink(eventDefinitions)) return this.readLink(base, eventDefinitions[0]!, 'INTERMEDIATE_THROW_EVENT');
        if (isEscalation(eventDefinitions)) return this.readEscalationThrow(base, eventDefinitions[0]!, 'INTERMEDIATE_THROW_EVENT');
        if (isCompensation(eventDefinitions)) return this.readCompensationThrow(base, eventDefinitions[0]!, 'INTERMEDIATE_THROW_EVENT');
        if (eventDefinitions.length === 1 && eventDefinitions[0]!.$type === 'bpmn:MessageEventDefinition') {
          return this.readJobTask(element, base, 'INTERMEDIATE_THROW_EVENT');
        }
        if (eventDefinitions.length === 1 && eventDefinitions[0]!.$type === 'bpmn:SignalEventDefinition') {
          const trigger = this.signalTrigger(id, eventDefinitions[0]!);
          if (trigger) add({ ...base, type: 'INTERMEDIATE_THROW_EVENT', signalName: trigger.signalName });
          return;
        }
        return this.unsupportedEvent(id, 'intermediate throw', eventDefinitions);
      case 'bpmn:UserTask':
        return this.readUserTask(element, base);
      case 'bpmn:CallActivity': {
        const called = extensions(element).find((e) => e.$type === 'zeebe:CalledElement');
        const processId = text(called?.processId).trim();
        if (!processId) return this.problem(id, 'Expected the call activity to name the process it calls (zeebe:calledElement processId).');
        if (processId.startsWith('=')) this.checkFeel(id, processId);
        return add({
          ...base,
          type: 'CALL_ACTIVITY',
          processId: expressionOf(processId),
          propagateAllChildVariables: called?.propagateAllChildVariables !== false,
          propagateAllParentVariables: called?.propagateAllParentVariables !== false,
        });
      }
      case 'bpmn:EventBasedGateway':
        return add({ ...base, type: 'EVENT_BASED_GATEWAY' });
      case 'bpmn:EndEvent':
        return this.readEndEvent(element, base, eventDefinitions);
      case 'bpmn:BoundaryEvent':
        return this.readBoundaryEvent(element, base, eventDefinitions);
      case 'bpmn:ServiceTask':
        return this.readJobTask(element, base, 'SERVICE_TASK');
      case 'bpmn:SendTask':
        return this.readJobTask(element, base, 'SEND_TASK');
      case 'bpmn:BusinessRuleTask': {
        const called = extensions(element).find((e) => e.$type === 'zeebe:CalledDecision');
        if (!called) return this.readJobTask(element, base, 'BUSINESS_RULE_TASK');
        const decisionId = text(called.decisionId);
        const resultVariable = text(called.resultVariable);
        if (!decisionId) this.problem(id, 'Expected the called decision to have a decision id.');
        if (!resultVariable) this.problem(id, 'Expected a result variable for the called decision.');
        if (decisionId.startsWith('=')) this.checkFeel(id, decisionId);
        return add({ ...base, type: 'BUSINESS_RULE_TASK', implementation: 'decision', decisionId: expressionOf(decisionId), resultVariable });
      }
      case 'bpmn:ScriptTask': {
        const script = extensions(element).find((e) => e.$type === 'zeebe:Script');
        if (!script) return this.readJobTask(element, base, 'SCRIPT_TASK');
        const expression = text(script.expression);
        const resultVariable = text(script.resultVariable);
        if (!expression.startsWith('=')) this.problem(id, 'Expected the script to be a FEEL expression starting with "=".');
        if (!resultVariable) this.problem(id, 'Expected a result variable for the script.');
        this.checkFeel(id, expression);
        return add({ ...base, type: 'SCRIPT_TASK', implementation: 'feel', expression: expression.slice(1), resultVariable });
      }
      case 'bpmn:Task':
        return add({ ...base, type: 'TASK' });
      case 'bpmn:ManualTask':
        return add({ ...base, type: 'MANUAL_TASK' });
      case 'bpmn:ExclusiveGateway':
      case 'bpmn:InclusiveGateway':
      case 'bpmn:ParallelGateway': {
        const type = element.$type === 'bpmn:ExclusiveGateway' ? 'EXCLUSIVE_GATEWAY' : element.$type === 'bpmn:InclusiveGateway' ? 'INCLUSIVE_GATEWAY' : 'PARALLEL_GATEWAY';
        const defaultFlow = element.default as ModdleElement | undefined;
        return add({ ...base, type, defaultFlowId: defaultFlow?.id });
      }
      case 'bpmn:SubProcess': {
        const triggeredByEvent = element.triggeredByEvent === true;
        const { noneStartId, eventSubProcessIds } = this.readContainer(element, id, triggeredByEvent ? 'event subprocess' : 'subprocess');
        return add({ ...base, type: 'SUB_PROCESS', startEventId: noneStartId ?? '', triggeredByEvent, eventSubProcessIds });
      }
      case 'bpmn:AdHocSubProcess':
        return this.readAdHocSubProcess(element, base);
      default:
        return this.problem(id, `The element type ${element.$type.replace('bpmn:', '')} is not supported yet.`);
    }
  }

  /**
   * An ad-hoc subprocess run by the engine (Zeebe's BPMN implementation): its
   * inner elements, none of them a start or end event, and the FEEL of which
   * to activate and when it is done, and the output it collects from each
   * path. The job-worker implementation (an AI agent choosing the
   * activities) is refused by name.
   */
  private readAdHocSubProcess(element: ModdleElement, base: Omit<AdHocSubProcessElement, 'type' | 'cancelRemainingInstances' | 'innerInstanceId'>): void {
    const id = element.id!;
    const children = list(element.flowElements);
    for (const child of children) {
      if (child.$type === 'bpmn:StartEvent' || child.$type === 'bpmn:EndEvent') this.problem(child.id, `Expected an ad-hoc subprocess to have no start or end events, but '${child.id}' is one.`);
      if (child.$type === 'bpmn:SubProcess' && child.triggeredByEvent === true) this.problem(child.id, 'An event subprocess inside an ad-hoc subprocess is not supported yet.');
    }
    if (!children.some((child) => /Task$|SubProcess$|^bpmn:CallActivity$/.test(child.$type))) this.problem(id, 'Expected an ad-hoc subprocess to contain at least one activity.');
    const zeebe = extensions(element);
    if (zeebe.some((e) => e.$type === 'zeebe:TaskDefinition')) this.problem(id, 'An ad-hoc subprocess implemented by a job worker (zeebe:taskDefinition) is not supported yet; the engine activates its elements itself.');
    const adHoc = zeebe.find((e) => e.$type === 'zeebe:AdHoc');
    const feel = (raw: string, what: string): string | undefined => {
      const value = raw.trim();
      if (!value) return undefined;
      if (!value.startsWith('=')) return void this.problem(id, `Expected the ${what} to be a FEEL expression starting with "=".`);
      this.checkFeel(id, value);
      return value.slice(1);
    };
    const activeElementsCollection = feel(text(adHoc?.activeElementsCollection), 'active elements collection');
    // As a multi-instance's: the collection is a variable's name, the element a FEEL expression; one needs the other.
    const outputCollection = text(adHoc?.outputCollection).trim() || undefined;
    const outputElement = feel(text(adHoc?.outputElement), 'output element');
    if (outputCollection && !/^[A-Za-z_]\w*$/.test(outputCollection)) this.problem(id, `Expected the output collection to be a variable name, but it is '${outputCollection}'.`);
    if (outputCollection && !text(adHoc?.outputElement).trim()) this.problem(id, 'Expected an output element with the output collection.');
    if (!outputCollection && outputElement) this.problem(id, 'Expected an output collection with the output element.');
    // The completion condition is a BPMN expression; like Zeebe's, it is FEEL whether or not it starts with "=".
    const rawCondition = text((element.completionCondition as ModdleElement | undefined)?.body).trim();
    const completionCondition = rawCondition ? feel(rawCondition.startsWith('=') ? rawCondition : `=${rawCondition}`, 'completion condition') : undefined;
    for (const child of children) this.readElement(child, id);
    this.elements.set(id, {
      ...base,
      type: 'AD_HOC_SUB_PROCESS',
      ...(activeElementsCollection ? { activeElementsCollection } : {}),
      ...(completionCondition ? { completionCondition } : {}),
      cancelRemainingInstances: element.cancelRemainingInstances !== false,
      ...(outputCollection && outputElement ? { outputCollection, outputElement } : {}),
      innerInstanceId: `${id}${AD_HOC_INNER_INSTANCE_SUFFIX}`,
    });
  }

  private readEndEvent(element: ModdleElement, base: Omit<EndEventElement, 'type' | 'end'>, definitions: ModdleElement[]): void {
    const id = element.id!;
    if (definitions.length === 0) {
      this.elements.set(id, { ...base, type: 'END_EVENT', end: { kind: 'none' } });
      return;
    }
    const [definition] = definitions;
    if (definitions.length === 1 && definition!.$type === 'bpmn:TerminateEventDefinition') {
      this.elements.set(id, { ...base, type: 'END_EVENT', end: { kind: 'terminate' } });
      return;
    }
    if (isEscalation(definitions)) return this.readEscalationThrow(base, definition!, 'END_EVENT');
    if (isCompensation(definitions)) return this.readCompensationThrow(base, definition!, 'END_EVENT');
    if (definitions.length === 1 && definition!.$type === 'bpmn:ErrorEventDefinition') {
      const code = this.errorCodeOf(definition!);
      if (code === undefined || code === '') {
        this.problem(id, 'Expected the error end event to reference an error with an error code.');
        return;
      }
      const errorCode = expressionOf(code);
      if (errorCode.kind === 'feel') this.checkFeel(id, code);
      this.elements.set(id, { ...base, type: 'END_EVENT', end: { kind: 'error', errorCode } });
      return;
    }
    if (definitions.length === 1 && definition!.$type === 'bpmn:MessageEventDefinition') {
      this.readJobTask(element, base, 'END_EVENT');
      return;
    }
    if (definitions.length === 1 && definition!.$type === 'bpmn:SignalEventDefinition') {
      const trigger = this.signalTrigger(id, definition!);
      if (trigger) this.elements.set(id, { ...base, type: 'END_EVENT', signalName: trigger.signalName });
      return;
    }
    this.unsupportedEvent(id, 'end', definitions);
  }

  private readBoundaryEvent(element: ModdleElement, base: Omit<BoundaryEventElement, 'type' | 'attachedToId' | 'interrupting' | 'trigger'>, definitions: ModdleElement[]): void {
    const id = element.id!;
    const attachedTo = element.attachedToRef as ModdleElement | undefined;
    if (!attachedTo?.id) {
      this.problem(id, 'Expected the boundary event to be attached to an activity.');
      return;
    }
    const interrupting = element.cancelActivity !== false;
    if (definitions.length === 1 && definitions[0]!.$type === 'bpmn:ErrorEventDefinition') {
      if (!interrupting) {
        this.problem(id, 'Expected an error boundary event to be interrupting.');
        return;
      }
      const code = this.errorCodeOf(definitions[0]!);
      if (code?.startsWith('=')) {
        this.problem(id, 'Expected a static error code on a catching error event, but found an expression.');
        return;
      }
      this.elements.set(id, { ...base, type: 'BOUNDARY_EVENT', attachedToId: attachedTo.id, interrupting, trigger: { kind: 'error', errorCode: code || undefined } });
      return;
    }
    if (isEscalation(definitions)) {
      const trigger = this.escalationCatch(id, definitions[0]!);
      if (trigger) this.elements.set(id, { ...base, type: 'BOUNDARY_EVENT', attachedToId: attachedTo.id, interrupting, trigger });
      return;
    }
    if (isCompensation(definitions)) {
      // Its handler is named by an association, read with the container's artifacts: found in linkFlows.
      this.elements.set(id, { ...base, type: 'BOUNDARY_EVENT', attachedToId: attachedTo.id, interrupting: false, trigger: { kind: 'compensation', handlerId: '' } });
      return;
    }
    const trigger = this.waitTrigger(id, definitions, 'boundary', true);
    if (!trigger) return;
    if (trigger.kind === 'timer' && trigger.timer === 'cycle' && interrupting) {
      this.problem(id, 'Expected an interrupting timer boundary event to have a date or a duration; a cycle needs a non-interrupting one.');
      return;
    }
    this.elements.set(id, { ...base, type: 'BOUNDARY_EVENT', attachedToId: attachedTo.id, interrupting, trigger });
  }

  /** An event subprocess's start: an error, or a timer, message (with a correlation key) or signal; interrupting or not. */
  private readEventSubProcessStart(element: ModdleElement, base: Omit<StartEventElement, 'type' | 'interrupting'>, definitions: ModdleElement[]): void {
    const id = element.id!;
    const interrupting = element.isInterrupting !== false;
    if (definitions.length === 1 && definitions[0]!.$type === 'bpmn:ErrorEventDefinition') {
      if (!interrupting) return this.problem(id, 'Expected an error start event to be interrupting.');
      const code = this.errorCodeOf(definitions[0]!);
      this.elements.set(id, { ...base, type: 'START_EVENT', interrupting, trigger: { kind: 'error', errorCode: code || undefined } });
      return;
    }
    if (isEscalation(definitions)) {
      const trigger = this.escalationCatch(id, definitions[0]!);
      if (trigger) this.elements.set(id, { ...base, type: 'START_EVENT', interrupting, trigger });
      return;
    }
    const trigger = this.waitTrigger(id, definitions, 'event subprocess start', true);
    if (trigger) this.elements.set(id, { ...base, type: 'START_EVENT', interrupting, trigger });
  }

  /** The timer or message an event waits for; anything else is refused by id. */
  private waitTrigger(id: string, definitions: ModdleElement[], position: string, needsCorrelationKey: boolean): WaitTrigger | undefined {
    const [definition] = definitions;
    if (definitions.length !== 1) return void this.unsupportedEvent(id, position, definitions);
    if (definition!.$type === 'bpmn:TimerEventDefinition') return this.timerTrigger(id, definition!);
    if (definition!.$type === 'bpmn:MessageEventDefinition') return this.messageTrigger(id, definition!, needsCorrelationKey);
    if (definition!.$type === 'bpmn:SignalEventDefinition') return this.signalTrigger(id, definition!);
    return void this.unsupportedEvent(id, position, definitions);
  }

  private timerTrigger(id: string, definition: ModdleElement): TimerTrigger | undefined {
    const options = [
      ['date', definition.timeDate],
      ['duration', definition.timeDuration],
      ['cycle', definition.timeCycle],
    ] as const;
    const given = options.filter(([, value]) => value !== undefined);
    if (given.length !== 1) return void this.problem(id, 'Expected the timer to have exactly one of a date, a duration or a cycle.');
    const [timer, value] = given[0]!;
    const source = text((value as ModdleElement).body).trim();
    if (!source) return void this.problem(id, `Expected the timer ${timer} to have a value.`);
    const expression = expressionOf(source);
    if (expression.kind === 'feel') this.checkFeel(id, source);
    else {
      const problem = staticTimerProblem(timer, source);
      if (problem) return void this.problem(id, problem);
    }
    return { kind: 'timer', timer, expression };
  }

  /** A message by its name; catch events other than start events also need a correlation key. */
  private messageTrigger(id: string, holder: ModdleElement, needsCorrelationKey: boolean): MessageTrigger | undefined {
    const message = holder.messageRef as ModdleElement | undefined;
    const name = text(message?.name);
    if (!message || !name) return void this.problem(id, 'Expected a message with a name to be referenced.');
    if (name.startsWith('=')) this.checkFeel(id, name);
    const subscription = extensions(message).find((e) => e.$type === 'zeebe:Subscription');
    const key = text(subscription?.correlationKey).trim();
    if (needsCorrelationKey && !key) return void this.problem(id, `Expected the message '${name}' to have a correlation key (zeebe:subscription correlationKey).`);
    if (key && !key.startsWith('=')) return void this.problem(id, `Expected the correlation key of the message '${name}' to be a FEEL expression starting with "=".`);
    if (key) this.checkFeel(id, key);
    return { kind: 'message', messageName: expressionOf(name), correlationKey: needsCorrelationKey && key ? key.slice(1) : undefined };
  }

  /** Zeebe's multi-instance: `zeebe:loopCharacteristics` with FEEL collections, and a completion condition. */
  private multiInstance(element: ModdleElement): MultiInstance | undefined {
    const id = element.id!;
    const loop = element.loopCharacteristics as ModdleElement;
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return void this.problem(id, 'Standard loops are not supported; use a multi-instance activity.');
    if (!MULTI_INSTANCE_HOSTS.has(element.$type)) return void this.problem(id, `A ${element.$type.replace('bpmn:', '')} cannot be multi-instance.`);
    const zeebe = extensions(loop).find((e) => e.$type === 'zeebe:LoopCharacteristics');
    const inputCollection = text(zeebe?.inputCollection).trim();
    if (!inputCollection.startsWith('=')) return void this.problem(id, 'Expected the multi-instance input collection to be a FEEL expression starting with "=".');
    const feel = (raw: string): string | undefined => {
      const value = raw.trim();
      if (!value) return undefined;
      this.checkFeel(id, value);
      return value.startsWith('=') ? value.slice(1) : value;
    };
    const outputElement = text(zeebe?.outputElement).trim();
    const outputCollection = text(zeebe?.outputCollection).trim() || undefined;
    if (outputCollection && !outputElement) this.problem(id, 'Expected an output element with the output collection.');
    return {
      sequential: loop.isSequential === true,
      inputCollection: feel(inputCollection)!,
      inputElement: text(zeebe?.inputElement).trim() || undefined,
      outputCollection,
      outputElement: feel(outputElement),
      completionCondition: feel(text((loop.completionCondition as ModdleElement | undefined)?.body)),
    };
  }

  private signalTrigger(id: string, definition: ModdleElement): SignalTrigger | undefined {
    const name = text((definition.signalRef as ModdleElement | undefined)?.name);
    if (!name) return void this.problem(id, 'Expected a signal with a name to be referenced.');
    if (name.startsWith('=')) this.checkFeel(id, name);
    return { kind: 'signal', signalName: expressionOf(name) };
  }

  /** A Camunda user task; a job-worker user task (no zeebe:userTask) is refused, as Camunda deprecated it. */
  private readUserTask(element: ModdleElement, base: Omit<UserTaskElement, 'type' | 'headers'>): void {
    const id = element.id!;
    const found = extensions(element);
    if (!found.some((e) => e.$type === 'zeebe:UserTask')) {
      return this.problem(id, 'Expected a Camunda user task (zeebe:userTask); job-worker user tasks are not supported.');
    }
    const attribute = (type: string, name: string): Expression | undefined => {
      const raw = text(found.find((e) => e.$type === type)?.[name]).trim();
      if (!raw) return undefined;
      if (raw.startsWith('=')) this.checkFeel(id, raw);
      return expressionOf(raw);
    };
    const form = found.find((e) => e.$type === 'zeebe:FormDefinition');
    const headers: Record<string, string> = {};
    for (const header of list(found.find((e) => e.$type === 'zeebe:TaskHeaders')?.values)) headers[text(header.key)] = text(header.value);
    this.elements.set(id, {
      ...base,
      type: 'USER_TASK',
      assignee: attribute('zeebe:AssignmentDefinition', 'assignee'),
      candidateGroups: attribute('zeebe:AssignmentDefinition', 'candidateGroups'),
      candidateUsers: attribute('zeebe:AssignmentDefinition', 'candidateUsers'),
      dueDate: attribute('zeebe:TaskSchedule', 'dueDate'),
      followUpDate: attribute('zeebe:TaskSchedule', 'followUpDate'),
      priority: attribute('zeebe:PriorityDefinition', 'priority'),
      formId: text(form?.formId) || undefined,
      externalFormReference: text(form?.externalReference) || undefined,
      headers,
      ...readTaskListeners(element, (at, message) => this.problem(at, message), (at, raw) => this.checkFeel(at, raw)),
    });
  }

  /** A task done by a job worker: service and send tasks, or script and business rule tasks implemented as jobs. */
  private readJobTask(element: ModdleElement, base: Omit<JobTaskElement, 'type' | 'implementation' | 'jobType' | 'retries' | 'headers'>, type: JobTaskElement['type']): void {
    const id = element.id!;
    const definition = extensions(element).find((e) => e.$type === 'zeebe:TaskDefinition');
    const jobTypeSource = definition?.type as string | undefined;
    if (!jobTypeSource) {
      this.problem(id, 'Expected a job worker implementation (zeebe:taskDefinition with a type), but found none.');
      return;
    }
    const retries = (definition?.retries as string | undefined) ?? '3';
    const jobType = expressionOf(jobTypeSource);
    const retriesExpression = expressionOf(retries);
    if (jobType.kind === 'feel') this.checkFeel(id, jobTypeSource);
    if (retriesExpression.kind === 'feel') this.checkFeel(id, retries);
    else if (!/^\d+$/.test(retries)) this.problem(id, `Expected the job retries to be a whole number or an expression, but found '${retries}'.`);
    const headers: Record<string, string> = {};
    for (const header of list(extensions(element).find((e) => e.$type === 'zeebe:TaskHeaders')?.values)) {
      headers[text(header.key)] = text(header.value);
    }
    this.elements.set(id, { ...base, type, implementation: 'job', jobType, retries: retriesExpression, headers });
  }

  private mappings(element: ModdleElement): { inputs: Mapping[]; outputs: Mapping[] } {
    const io = extensions(element).find((e) => e.$type === 'zeebe:IoMapping');
    const read = (parameters: unknown): Mapping[] =>
      list(parameters).map((p) => {
        const source = text(p.source);
        const target = text(p.target);
        if (!target) this.problem(element.id, 'Expected every input/output mapping to have a target.');
        // Zeebe takes a static source as a string constant.
        const feel = source.startsWith('=') ? source.slice(1) : JSON.stringify(source);
        if (source.startsWith('=')) this.checkFeel(element.id, source);
        return { source: feel, target };
      });
    return { inputs: read(io?.inputParameters), outputs: read(io?.outputParameters) };
  }

  private readFlow(flow: ModdleElement): void {
    const source = flow.sourceRef as ModdleElement | undefined;
    const target = flow.targetRef as ModdleElement | undefined;
    if (!source?.id || !target?.id) {
      this.problem(flow.id, 'Expected the sequence flow to have a source and a target.');
      return;
    }
    const conditionExpression = flow.conditionExpression as ModdleElement | undefined;
    const rawCondition = conditionExpression?.body as string | undefined;
    let condition: string | undefined;
    if (rawCondition !== undefined && rawCondition.trim() !== '') {
      if (!rawCondition.trim().startsWith('=')) {
        this.problem(flow.id, `Expected the condition to be a FEEL expression starting with "=", but found '${rawCondition}'.`);
      } else {
        this.checkFeel(flow.id, rawCondition.trim());
        condition = rawCondition.trim().slice(1);
      }
    }
    this.flows.push({ id: flow.id!, name: flow.name, sourceId: source.id, targetId: target.id, condition });
  }

  /** A link event needs its link name; throws are paired with catches once every element is read. */
  private readLink(base: Omit<PassThroughElement, 'type'>, definition: ModdleElement, type: 'INTERMEDIATE_THROW_EVENT' | 'INTERMEDIATE_CATCH_EVENT'): void {
    const linkName = text(definition.name).trim();
    if (!linkName) return this.problem(base.id, 'Expected the link event to have a link name, but it has none.');
    this.elements.set(base.id, { ...base, type, linkName });
  }

  /**
   * Zeebe's rules for link events: a link name is caught at most once per
   * scope, and every throw finds the catch of its name in its own scope (a
   * link does not cross into or out of a subprocess).
   */
  private pairLinks(): void {
    const catches = new Map<string, string>();
    const links = [...this.elements.values()].filter((e): e is PassThroughElement => 'linkName' in e && e.linkName !== undefined);
    for (const element of links) {
      if (element.type !== 'INTERMEDIATE_CATCH_EVENT') continue;
      const name = `${element.containerId}\u0000${element.linkName}`;
      if (catches.has(name)) this.problem(element.id, `Expected one link catch event named '${element.linkName}' in '${element.containerId}', but found more ('${catches.get(name)}' and '${element.id}').`);
      else catches.set(name, element.id);
    }
    for (const element of links) {
      if (element.type !== 'INTERMEDIATE_THROW_EVENT') continue;
      const target = catches.get(`${element.containerId}\u0000${element.linkName}`);
      if (!target) this.problem(element.id, `Expected a link catch event named '${element.linkName}' in the same scope as the link throw event, but found none.`);
      else this.elements.set(element.id, { ...element, linkTargetId: target });
    }
  }

  /** Attaches flows and boundary events to their elements, and checks what depends on both. */
  private linkFlows(): void {
    this.pairLinks();
    this.pairCompensations();
    const incoming = new Map<string, SequenceFlow[]>();
    const outgoing = new Map<string, SequenceFlow[]>();
    for (const flow of this.flows) {
      if (!this.elements.has(flow.sourceId) || !this.elements.has(flow.targetId)) continue;
      (outgoing.get(flow.sourceId) ?? outgoing.set(flow.sourceId, []).get(flow.sourceId)!).push(flow);
      (incoming.get(flow.targetId) ?? incoming.set(flow.targetId, []).get(flow.targetId)!).push(flow);
    }
    const boundaries = new Map<string, string[]>();
    const escalationCatches = new Set<string>();
    for (const element of this.elements.values()) {
      if (element.type === 'BOUNDARY_EVENT') {
        const host = this.elements.get(element.attachedToId);
        if (!host || host.type === 'PROCESS' || !BOUNDARY_HOSTS.has(host.type)) {
          this.problem(element.id, `Expected the boundary event to be attached to a task or subprocess, but it is attached to '${element.attachedToId}'.`);
          continue;
        }
        if (element.trigger.kind === 'escalation') {
          // Only a subprocess or a called process can throw an escalation at its boundary (Zeebe's rule).
          if (host.type !== 'SUB_PROCESS' && host.type !== 'CALL_ACTIVITY') {
            this.problem(element.id, `Expected an escalation boundary event to be attached to a subprocess or call activity, but '${host.id}' is neither.`);
            continue;
          }
          const code = element.trigger.escalationCode ?? '(catch-all)';
          const name = `${host.id}\u0000${code}`;
          if (escalationCatches.has(name)) {
            this.problem(element.id, `Expected at most one escalation boundary event on '${host.id}' for the escalation code '${code}', but found more.`);
            continue;
          }
          escalationCatches.add(name);
        }
        (boundaries.get(host.id) ?? boundaries.set(host.id, []).get(host.id)!).push(element.id);
      }
    }
    for (const [id, element] of this.elements) {
      const linked = {
        ...element,
        incoming: incoming.get(id) ?? [],
        outgoing: outgoing.get(id) ?? [],
        boundaryEvents: boundaries.get(id) ?? [],
      } as ExecutableElement;
      this.elements.set(id, linked);
      this.checkFlows(linked);
    }
    // Only once every element is linked can a gateway see its targets' flows.
    for (const element of this.elements.values()) if (element.type === 'EVENT_BASED_GATEWAY') this.checkEventGateway(element);
    for (const element of this.elements.values()) this.checkCompensation(element);
  }

  /**
   * A compensation boundary event names its handler by an association (in
   * either direction); the handler is an activity marked for compensation.
   */
  private pairCompensations(): void {
    const handled = new Set<string>();
    for (const element of this.elements.values()) {
      if (element.type !== 'BOUNDARY_EVENT' || element.trigger.kind !== 'compensation') continue;
      const ends = this.associations.flatMap(([source, target]) => (source === element.id ? [target] : target === element.id ? [source] : []));
      const handlers = ends.filter((id) => this.elements.get(id)?.forCompensation === true);
      if (handlers.length !== 1) {
        this.problem(element.id, `Expected the compensation boundary event to be associated with one compensation handler (an activity marked isForCompensation), but found ${handlers.length}.`);
        continue;
      }
      handled.add(handlers[0]!);
      this.elements.set(element.id, { ...element, trigger: { kind: 'compensation', handlerId: handlers[0]! } });
    }
    for (const element of this.elements.values()) {
      if (element.type === 'PROCESS' || element.forCompensation !== true) continue;
      if ((element.type === 'SUB_PROCESS' && element.triggeredByEvent) || !ACTIVITIES.has(element.type)) {
        this.problem(element.id, 'Expected a compensation handler to be a task, a subprocess or a call activity.');
      } else if (!handled.has(element.id)) {
        this.problem(element.id, 'Expected the compensation handler to be associated with a compensation boundary event.');
      }
    }
  }

  /**
   * Zeebe's rules for compensation (https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/,
   * https://docs.camunda.io/docs/components/modeler/bpmn/compensation-handler/): a handler is entered only
   * by compensation; a compensation boundary event starts no flow and is one per activity; a throw event's
   * activityRef names an activity with one, in the throw event's scope (an event subprocess's outer scope).
   */
  private checkCompensation(element: ExecutableElement): void {
    if (element.type === 'PROCESS') return;
    if (element.forCompensation === true && element.incoming.length + element.outgoing.length > 0) {
      this.problem(element.id, 'Expected a compensation handler to have no incoming or outgoing sequence flows.');
    }
    if (element.forCompensation === true && element.boundaryEvents.length > 0) this.problem(element.id, 'Expected a compensation handler to have no boundary events.');
    if (element.type === 'BOUNDARY_EVENT' && element.trigger.kind === 'compensation' && element.outgoing.length > 0) {
      this.problem(element.id, 'Expected a compensation boundary event to have no outgoing sequence flows (its handler is associated with it).');
    }
    const compensations = element.boundaryEvents.filter((id) => {
      const boundary = this.elements.get(id);
      return boundary?.type === 'BOUNDARY_EVENT' && boundary.trigger.kind === 'compensation';
    });
    if (compensations.length > 1) this.problem(element.id, `Expected at most one compensation boundary event on '${element.id}', but found ${compensations.length}.`);
    if (!('compensation' in element) || element.compensation.activityId === undefined) return;
    const activityId = element.compensation.activityId;
    const activity = this.elements.get(activityId);
    const container = this.elements.get(element.containerId);
    const scopeId = container?.type === 'SUB_PROCESS' && container.triggeredByEvent ? container.containerId : element.containerId;
    const hasBoundary = activity?.boundaryEvents.some((id) => {
      const boundary = this.elements.get(id);
      return boundary?.type === 'BOUNDARY_EVENT' && boundary.trigger.kind === 'compensation';
    });
    if (!activity || activity.type === 'PROCESS' || !hasBoundary) {
      this.problem(element.id, `Expected the compensation throw event's activity '${activityId}' to have a compensation boundary event.`);
    } else if (activity.containerId !== scopeId) {
      this.problem(element.id, `Expected the compensation throw event's activity '${activityId}' to be in the same scope as the throw event.`);
    }
  }

  private checkFlows(element: ExecutableElement): void {
    if (element.type === 'PROCESS') return;
    const conditional = element.outgoing.filter((f) => f.condition !== undefined);
    const isBranching = element.type === 'EXCLUSIVE_GATEWAY' || element.type === 'INCLUSIVE_GATEWAY';
    if (!isBranching && conditional.length > 0) {
      this.problem(conditional[0]!.id, `Expected no condition on a flow leaving ${element.id} (only exclusive and inclusive gateways take conditions).`);
    }
    if (element.type === 'START_EVENT' && element.incoming.length > 0) this.problem(element.id, 'Expected a start event to have no incoming sequence flow.');
    if (element.type === 'SUB_PROCESS' && element.triggeredByEvent && element.incoming.length + element.outgoing.length > 0) {
      this.problem(element.id, 'Expected an event subprocess to have no incoming or outgoing sequence flows.');
    }
    if (element.type === 'BOUNDARY_EVENT' && element.incoming.length > 0) this.problem(element.id, 'Expected a boundary event to have no incoming sequence flow.');
    if (element.type === 'END_EVENT' && element.outgoing.length > 0) this.problem(element.id, 'Expected an end event to have no outgoing sequence flow.');
    if (isBranching) {
      const gateway = element;
      if (gateway.defaultFlowId && !gateway.outgoing.some((f) => f.id === gateway.defaultFlowId)) {
        this.problem(element.id, `Expected the default flow '${gateway.defaultFlowId}' to leave the gateway.`);
      }
      if (gateway.outgoing.length > 1) {
        for (const flow of gateway.outgoing) {
          if (flow.id !== gateway.defaultFlowId && flow.condition === undefined) {
            this.problem(flow.id, `Expected a condition on the flow '${flow.id}' leaving gateway '${element.id}', as it is not the default flow.`);
          }
        }
      }
    }
  }

  /** An event-based gateway leads only to timer and message catch events (or receive tasks), at least two. */
  private checkEventGateway(gateway: ExecutableElement): void {
    if (gateway.outgoing.length < 2) this.problem(gateway.id, 'Expected an event-based gateway to have at least two outgoing flows.');
    for (const flow of gateway.outgoing) {
      const target = this.elements.get(flow.targetId);
      if ((target?.type !== 'INTERMEDIATE_CATCH_EVENT' && target?.type !== 'RECEIVE_TASK') || !('trigger' in target)) {
        this.problem(gateway.id, `Expected the event-based gateway to lead to timer or message catch events only, but '${flow.targetId}' is not one.`);
      } else if (target.incoming.length > 1 || target.boundaryEvents.length > 0) {
        this.problem(flow.targetId, 'Expected an event after an event-based gateway to have one incoming flow and no boundary events.');
      }
    }
  }

  /**
   * For each inclusive join, which elements can still send a token down each
   * of its incoming flows (walking the graph backwards inside the container).
   */
  private inclusiveJoinReach(): Map<string, Map<string, Set<string>>> {
    const result = new Map<string, Map<string, Set<string>>>();
    for (const element of this.elements.values()) {
      if (element.type !== 'INCLUSIVE_GATEWAY' || element.incoming.length < 2) continue;
      const perFlow = new Map<string, Set<string>>();
      for (const flow of element.incoming) {
        const reach = new Set<string>();
        const pending = [flow.sourceId];
        while (pending.length > 0) {
          const id = pending.pop()!;
          if (reach.has(id) || id === element.id) continue;
          reach.add(id);
          const current = this.elements.get(id);
          if (!current || current.type === 'PROCESS') continue;
          for (const before of current.incoming) pending.push(before.sourceId);
          if (current.type === 'BOUNDARY_EVENT') pending.push(current.attachedToId);
        }
        perFlow.set(flow.id, reach);
      }
      result.set(element.id, perFlow);
    }
    return result;
  }

  /** An escalation throw needs a code (static or FEEL), evaluated when the event is reached. */
  private readEscalationThrow(base: Omit<EscalationThrowElement, 'type' | 'escalationCode'>, definition: ModdleElement, type: EscalationThrowElement['type']): void {
    const code = this.escalationCodeOf(definition);
    if (!code) return this.problem(base.id, 'Expected the escalation throw event to reference an escalation with an escalation code.');
    const escalationCode = expressionOf(code);
    if (escalationCode.kind === 'feel') this.checkFeel(base.id, code);
    this.elements.set(base.id, { ...base, type, escalationCode });
  }

  /** A compensation throw or end event, for the activity its activityRef names or for its whole scope. */
  private readCompensationThrow(base: Omit<CompensationThrowElement, 'type' | 'compensation'>, definition: ModdleElement, type: CompensationThrowElement['type']): void {
    if (definition.waitForCompletion === false) return this.problem(base.id, 'Expected the compensation throw event to wait for completion (waitForCompletion="false" is not supported).');
    const activityId = (definition.activityRef as ModdleElement | undefined)?.id;
    this.elements.set(base.id, { ...base, type, compensation: { activityId } });
  }

  /** A catching escalation event takes a static code, or none to catch every escalation. */
  private escalationCatch(id: string, definition: ModdleElement): EscalationTrigger | undefined {
    const code = this.escalationCodeOf(definition);
    if (code?.startsWith('=')) return void this.problem(id, 'Expected a static escalation code on a catching escalation event, but found an expression.');
    return { kind: 'escalation', escalationCode: code || undefined };
  }

  private escalationCodeOf(definition: ModdleElement): string | undefined {
    const escalationRef = definition.escalationRef as ModdleElement | undefined;
    if (!escalationRef?.id) return undefined;
    return this.errorCodes.get(escalationRef.id) ?? (escalationRef.escalationCode as string | undefined);
  }

  private errorCodeOf(definition: ModdleElement): string | undefined {
    const errorRef = definition.errorRef as ModdleElement | undefined;
    if (!errorRef?.id) return undefined;
    return this.errorCodes.get(errorRef.id) ?? (errorRef.errorCode as string | undefined);
  }

  private unsupportedEvent(id: string, position: string, definitions: ModdleElement[]): void {
    const kinds = definitions.map((d) => d.$type.replace('bpmn:', '').replace('EventDefinition', '').toLowerCase()).join(', ');
    this.problem(id, `The ${kinds || 'none'} ${position} event is not supported yet.`);
  }

  private checkFeel(elementId: string | undefined, raw: string): void {
    const problem = feelSyntaxProblem(raw.startsWith('=') ? raw.slice(1) : raw);
    if (problem) this.problem(elementId, `Expected a valid FEEL expression, but ${problem}.`);
  }

  private problem(elementId: string | undefined, message: string): void {
    this.problems.push({ elementId, message });
  }
}

function isCompensation(definitions: readonly ModdleElement[]): boolean {
  return definitions.length === 1 && definitions[0]!.$type === 'bpmn:CompensateEventDefinition';
}

function isEscalation(definitions: readonly ModdleElement[]): boolean {
  return definitions.length === 1 && definitions[0]!.$type === 'bpmn:EscalationEventDefinition';
}

/** One link event definition (a link throw or catch event). */
function isLink(definitions: readonly ModdleElement[]): boolean {
  return definitions.length === 1 && definitions[0]!.$type === 'bpmn:LinkEventDefinition';
}

function list(value: unknown): ModdleElement[] {
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

function extensions(element: ModdleElement): ModdleElement[] {
  return list((element.extensionElements as ModdleElement | undefined)?.values);
}

/** A moddle attribute as text; absent or non-text attributes read as empty. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * A moddle warning on one line: "unparsable content <bpmn:userTask> detected
 * (line 3, column 34: duplicate ID <assess>)", so the reader sees the cause.
 */
export function moddleWarning(message: string): string {
  const [first, ...details] = message.split('\n').map((line) => line.trim());
  const detail = (name: string) => details.find((line) => line.startsWith(`${name}:`))?.slice(name.length + 1).trim();
  const where = [detail('line') && `line ${detail('line')}`, detail('column') && `column ${detail('column')}`].filter(Boolean).join(', ');
  const cause = detail('nested error');
  const extra = [where, cause].filter(Boolean).join(': ');
  return extra ? `${first} (${extra})` : first!;
}
