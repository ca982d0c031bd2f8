/**
 * The executable form of a BPMN process: what the engine needs to run it,
 * read once at deployment from the XML (see read-bpmn.ts). Elements the
 * engine cannot run never get here: deployment refuses them by id.
 */

/** A zeebe attribute that is either a static value or a FEEL expression (`=…`). */
export type Expression = { readonly kind: 'static'; readonly value: string } | { readonly kind: 'feel'; readonly source: string };

export interface Mapping {
  /** FEEL source without the leading `=`. */
  readonly source: string;
  /** Variable name, possibly a dotted path (`a.b`) into a context. */
  readonly target: string;
}

export interface SequenceFlow {
  readonly id: string;
  readonly name?: string;
  readonly sourceId: string;
  readonly targetId: string;
  /** FEEL condition without the leading `=`; only on flows leaving exclusive and inclusive gateways. */
  readonly condition?: string;
}

/** Element types as the Camunda REST API names them. */
export type ElementType =
  | 'PROCESS'
  | 'SUB_PROCESS'
  | 'AD_HOC_SUB_PROCESS'
  | 'AD_HOC_SUB_PROCESS_INNER_INSTANCE'
  | 'START_EVENT'
  | 'END_EVENT'
  | 'BOUNDARY_EVENT'
  | 'SERVICE_TASK'
  | 'SCRIPT_TASK'
  | 'BUSINESS_RULE_TASK'
  | 'SEND_TASK'
  | 'MANUAL_TASK'
  | 'TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'RECEIVE_TASK'
  | 'USER_TASK'
  | 'CALL_ACTIVITY'
  | 'MULTI_INSTANCE_BODY'
  | 'EVENT_SUB_PROCESS';

/** A timer: a date, a duration from when it is opened, or a repeating cycle (ISO 8601, static or FEEL). */
export interface TimerTrigger {
  readonly kind: 'timer';
  readonly timer: 'date' | 'duration' | 'cycle';
  readonly expression: Expression;
}

/** A message, by name, for the instance whose correlation key matches (no key for start events). */
export interface MessageTrigger {
  readonly kind: 'message';
  readonly messageName: Expression;
  /** FEEL source without the leading `=`. */
  readonly correlationKey: string | undefined;
}

export interface ErrorTrigger {
  readonly kind: 'error';
  /** Error code caught; undefined catches every error. */
  readonly errorCode: string | undefined;
}

/**
 * An escalation a boundary event (on a subprocess or call activity) or an
 * event subprocess catches; undefined catches every escalation
 * (https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/).
 */
export interface EscalationTrigger {
  readonly kind: 'escalation';
  readonly escalationCode: string | undefined;
}

/** What a catch event, receive task or boundary event waits for. */
/** A signal, by name: reaches every subscription open when it is broadcast. */
export interface SignalTrigger {
  readonly kind: 'signal';
  readonly signalName: Expression;
}

export type WaitTrigger = TimerTrigger | MessageTrigger | SignalTrigger;

/**
 * A compensation boundary event: caught only by a compensation throw event
 * after its activity completed, and then it runs the handler it is
 * associated with (https://docs.camunda.io/docs/components/modeler/bpmn/compensation-events/).
 */
export interface CompensationTrigger {
  readonly kind: 'compensation';
  /** The activity marked for compensation (`isForCompensation`) the boundary event is associated with. */
  readonly handlerId: string;
}

/** An activity run once per item of a collection, all at once or one after the other. */
export interface MultiInstance {
  readonly sequential: boolean;
  /** FEEL sources without the leading `=`. */
  readonly inputCollection: string;
  readonly inputElement?: string;
  readonly outputCollection?: string;
  readonly outputElement?: string;
  readonly completionCondition?: string;
}

/**
 * An execution listener (`zeebe:executionListener`): a job of its type the
 * element waits for at its start or its end
 * (https://docs.camunda.io/docs/components/concepts/execution-listeners/).
 */
export interface ExecutionListener {
  readonly eventType: 'start' | 'end';
  readonly jobType: Expression;
  readonly retries: Expression;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A user task listener (`zeebe:taskListener`): a job the task's lifecycle
 * transition waits for; it may deny the transition or correct the task
 * (https://docs.camunda.io/docs/components/concepts/user-task-listeners/).
 * The engine runs `creating`, `assigning`, `updating` and `completing` listeners; other events are refused at deployment.
 */
export interface TaskListener {
  readonly eventType: 'creating' | 'assigning' | 'updating' | 'completing';
  readonly jobType: Expression;
  readonly retries: Expression;
}

interface ElementBase {
  readonly id: string;
  readonly name?: string;
  /** Id of the process or subprocess that directly contains the element. */
  readonly containerId: string;
  readonly incoming: readonly SequenceFlow[];
  readonly outgoing: readonly SequenceFlow[];
  readonly inputs: readonly Mapping[];
  readonly outputs: readonly Mapping[];
  /** Boundary events attached to this activity. */
  readonly boundaryEvents: readonly string[];
  readonly multiInstance?: MultiInstance;
  /** Execution listeners in model order; absent when the element has none. */
  readonly executionListeners?: readonly ExecutionListener[];
  /** A compensation handler (`isForCompensation`): run only by a compensation throw event, never by a flow. */
  readonly forCompensation?: boolean;
}

export interface ProcessElement extends Omit<ElementBase, 'containerId'> {
  readonly type: 'PROCESS';
  readonly containerId: undefined;
  /** The none start event; empty when the process starts only by timer or message. */
  readonly startEventId: string;
  /** Timer and message start events. */
  readonly triggeredStartEventIds: readonly string[];
  /** Event subprocesses directly inside: they listen while the process runs. */
  readonly eventSubProcessIds: readonly string[];
}

export interface SubProcessElement extends ElementBase {
  readonly type: 'SUB_PROCESS';
  readonly startEventId: string;
  /** An event subprocess: started by its start event's trigger while its container runs. */
  readonly triggeredByEvent: boolean;
  readonly eventSubProcessIds: readonly string[];
}

/**
 * An ad-hoc subprocess (https://docs.camunda.io/docs/components/modeler/bpmn/ad-hoc-subprocesses/):
 * its inner activities have no start event; the ones without an incoming
 * flow are activated by name, from `activeElementsCollection` when it starts
 * or later through the ad-hoc activities API, any number of times.
 */
export interface AdHocSubProcessElement extends ElementBase {
  readonly type: 'AD_HOC_SUB_PROCESS';
  /** FEEL source without the leading `=`: a list of inner element ids to activate at start. */
  readonly activeElementsCollection?: string;
  /** FEEL source without the leading `=`, evaluated each time a path inside ends. */
  readonly completionCondition?: string;
  /** Whether the instances still active are ended once the completion condition holds (BPMN's default: yes). */
  readonly cancelRemainingInstances: boolean;
  /** A local variable of the ad-hoc subprocess that collects `outputElement` each time a path inside ends; it reaches the parent scope on completion. */
  readonly outputCollection?: string;
  /** FEEL source without the leading `=`, evaluated in the ended path's inner instance. */
  readonly outputElement?: string;
  /** The id its inner instances carry (`<id>#innerInstance`, as Zeebe names them). */
  readonly innerInstanceId: string;
}

/**
 * The scope of one path inside an ad-hoc subprocess, as Zeebe 8.8 runs it:
 * every activation of an inner element (by the collection, the activation
 * API or a modification) gets an inner instance of its own, holding what
 * that path activated and its local variables (the activation's variables,
 * the output element's variable), so paths running side by side never share
 * them. It is not in the diagram; the model holds it so its instances have an
 * element like any other. It completes when nothing inside it is active.
 */
export interface AdHocInnerInstanceElement extends ElementBase {
  readonly type: 'AD_HOC_SUB_PROCESS_INNER_INSTANCE';
  /** The ad-hoc subprocess it belongs to. */
  readonly containerId: string;
}

/** Zeebe's suffix of an inner instance's element id. */
export const AD_HOC_INNER_INSTANCE_SUFFIX = '#innerInstance';

/** The inner instance element of an ad-hoc subprocess, built from it (no flows, mappings or events of its own). */
export function adHocInnerInstanceOf(adHoc: AdHocSubProcessElement): AdHocInnerInstanceElement {
  return { type: 'AD_HOC_SUB_PROCESS_INNER_INSTANCE', id: adHoc.innerInstanceId, containerId: adHoc.id, incoming: [], outgoing: [], inputs: [], outputs: [], boundaryEvents: [] };
}

/** The elements of an ad-hoc subprocess that may be activated: flow nodes directly inside it without an incoming flow (Zeebe's ad-hoc activities). */
export function adHocActivityIds(process: ExecutableProcess, adHocSubProcessId: string): string[] {
  const activatable = (element: ExecutableElement) =>
    element.type !== 'PROCESS' &&
    element.type !== 'AD_HOC_SUB_PROCESS_INNER_INSTANCE' &&
    element.containerId === adHocSubProcessId &&
    element.incoming.length === 0 &&
    element.type !== 'BOUNDARY_EVENT' &&
    !(element.type === 'SUB_PROCESS' && element.triggeredByEvent);
  return [...process.elements.values()].filter(activatable).map((element) => element.id);
}

export interface PassThroughElement extends ElementBase {
  readonly type: 'MANUAL_TASK' | 'TASK' | 'INTERMEDIATE_THROW_EVENT' | 'INTERMEDIATE_CATCH_EVENT';
  /** A link throw or catch event's link name (https://docs.camunda.io/docs/components/modeler/bpmn/link-events/). */
  readonly linkName?: string;
  /** A link throw event: the catch event of its name in the same scope, where the token goes on. */
  readonly linkTargetId?: string;
}

/** An escalation throw or end event: throws the escalation to the scopes around it, then goes on (or ends) unless an interrupting catch ends it. */
export interface EscalationThrowElement extends ElementBase {
  readonly type: 'INTERMEDIATE_THROW_EVENT' | 'END_EVENT';
  readonly escalationCode: Expression;
}

/**
 * A compensation throw or end event: runs the compensation handlers of the
 * completed activities of its scope (or of the one activity it names) and
 * waits until they completed.
 */
export interface CompensationThrowElement extends ElementBase {
  readonly type: 'INTERMEDIATE_THROW_EVENT' | 'END_EVENT';
  readonly compensation: { readonly activityId: string | undefined };
}

/** A signal throw or end event: broadcasts the signal, then goes on (or ends). */
export interface SignalThrowElement extends ElementBase {
  readonly type: 'INTERMEDIATE_THROW_EVENT' | 'END_EVENT';
  readonly signalName: Expression;
}

export interface StartEventElement extends ElementBase {
  readonly type: 'START_EVENT';
  /** Absent for the none start event; an error only starts an event subprocess. */
  readonly trigger?: WaitTrigger | ErrorTrigger | EscalationTrigger;
  /** For an event subprocess's start event: whether it interrupts its container (default true). */
  readonly interrupting: boolean;
  /** The start form (`zeebe:formDefinition formId`) a client fills in to start the process. */
  readonly formId?: string;
}

/** An element that waits for its trigger: intermediate catch events and receive tasks. */
export interface CatchElement extends ElementBase {
  readonly type: 'INTERMEDIATE_CATCH_EVENT' | 'RECEIVE_TASK';
  readonly trigger: WaitTrigger;
}

/** Starts the latest version of another process and waits for it to finish. */
export interface CallActivityElement extends ElementBase {
  readonly type: 'CALL_ACTIVITY';
  readonly processId: Expression;
  /** All of the child's variables come back unless output mappings choose (Zeebe's default: true). */
  readonly propagateAllChildVariables: boolean;
  /** The child starts with every variable the call activity sees (default true), or only its input mappings'. */
  readonly propagateAllParentVariables: boolean;
}

/** A Camunda user task (`zeebe:userTask`); each attribute static or FEEL. */
export interface UserTaskElement extends ElementBase {
  readonly type: 'USER_TASK';
  readonly assignee?: Expression;
  readonly candidateGroups?: Expression;
  readonly candidateUsers?: Expression;
  readonly dueDate?: Expression;
  readonly followUpDate?: Expression;
  readonly priority?: Expression;
  readonly formId?: string;
  readonly externalFormReference?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly taskListeners?: readonly TaskListener[];
}

export interface EndEventElement extends ElementBase {
  readonly type: 'END_EVENT';
  readonly end: { readonly kind: 'none' } | { readonly kind: 'terminate' } | { readonly kind: 'error'; readonly errorCode: Expression };
}

export interface BoundaryEventElement extends ElementBase {
  readonly type: 'BOUNDARY_EVENT';
  readonly attachedToId: string;
  readonly interrupting: boolean;
  readonly trigger: WaitTrigger | ErrorTrigger | EscalationTrigger | CompensationTrigger;
}

/** A task a job worker does: service and send tasks, and script and business rule tasks implemented by a job. */
export interface JobTaskElement extends ElementBase {
  /** Message throw and end events are done by job workers too, as in Zeebe. */
  readonly type: 'SERVICE_TASK' | 'SEND_TASK' | 'SCRIPT_TASK' | 'BUSINESS_RULE_TASK' | 'INTERMEDIATE_THROW_EVENT' | 'END_EVENT';
  readonly implementation: 'job';
  readonly jobType: Expression;
  readonly retries: Expression;
  readonly headers: Readonly<Record<string, string>>;
}

/** A script task the engine runs itself: one FEEL expression. */
export interface ScriptTaskElement extends ElementBase {
  readonly type: 'SCRIPT_TASK';
  readonly implementation: 'feel';
  readonly expression: string;
  readonly resultVariable: string;
}

/** A business rule task the engine runs itself: the latest version of a deployed decision. */
export interface BusinessRuleTaskElement extends ElementBase {
  readonly type: 'BUSINESS_RULE_TASK';
  readonly implementation: 'decision';
  readonly decisionId: Expression;
  readonly resultVariable: string;
}

export interface GatewayElement extends ElementBase {
  readonly type: 'EXCLUSIVE_GATEWAY' | 'PARALLEL_GATEWAY' | 'INCLUSIVE_GATEWAY' | 'EVENT_BASED_GATEWAY';
  readonly defaultFlowId?: string;
}

export type FlowElement =
  | SubProcessElement
  | AdHocSubProcessElement
  | AdHocInnerInstanceElement
  | PassThroughElement
  | SignalThrowElement
  | EscalationThrowElement
  | CompensationThrowElement
  | StartEventElement
  | CatchElement
  | UserTaskElement
  | CallActivityElement
  | EndEventElement
  | BoundaryEventElement
  | JobTaskElement
  | ScriptTaskElement
  | BusinessRuleTaskElement
  | GatewayElement;

export type ExecutableElement = ProcessElement | FlowElement;

export interface ExecutableProcess {
  readonly bpmnProcessId: string;
  readonly name?: string;
  readonly versionTag?: string;
  readonly process: ProcessElement;
  readonly elements: ReadonlyMap<string, ExecutableElement>;
  /**
   * For each inclusive gateway with more than one incoming flow: per incoming
   * flow, the ids of elements from which a token can still reach that flow.
   * The join waits only for flows that some active element can still reach.
   */
  readonly inclusiveJoinReach: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

/** The start event of the process that a message or signal of this (static) name starts. */
export function startEventFor(process: ExecutableProcess, kind: 'message' | 'signal', name: string): string | undefined {
  return process.process.triggeredStartEventIds.find((id) => {
    const start = process.elements.get(id);
    if (start?.type !== 'START_EVENT' || start.trigger?.kind !== kind) return false;
    const startName = start.trigger.kind === 'message' ? start.trigger.messageName : start.trigger.kind === 'signal' ? start.trigger.signalName : undefined;
    return startName?.kind === 'static' && startName.value === name;
  });
}

export function isJobElement(element: ExecutableElement): element is JobTaskElement {
  return (element as { implementation?: string }).implementation === 'job';
}

export function elementOf(process: ExecutableProcess, id: string): ExecutableElement {
  const element = process.elements.get(id);
  if (!element) throw new Error(`Bug: element ${id} is not in process ${process.bpmnProcessId}`);
  return element;
}

export function flowElementOf(process: ExecutableProcess, id: string): FlowElement {
  const element = elementOf(process, id);
  if (element.type === 'PROCESS') throw new Error(`Bug: ${id} is the process itself`);
  return element;
}

/** The subprocesses around an element, outermost first (the process itself left out). */
export function containersOf(process: ExecutableProcess, element: ExecutableElement): FlowElement[] {
  const containers: FlowElement[] = [];
  for (let id = element.containerId; id !== undefined && id !== process.bpmnProcessId; ) {
    const container = process.elements.get(id);
    if (!container || container.type === 'PROCESS') break;
    containers.unshift(container);
    id = container.containerId;
  }
  return containers;
}
