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
  | 'INCLUSIVE_GATEWAY';

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
}

export interface ProcessElement extends Omit<ElementBase, 'containerId'> {
  readonly type: 'PROCESS';
  readonly containerId: undefined;
  readonly startEventId: string;
}

export interface SubProcessElement extends ElementBase {
  readonly type: 'SUB_PROCESS';
  readonly startEventId: string;
}

export interface PassThroughElement extends ElementBase {
  readonly type: 'START_EVENT' | 'MANUAL_TASK' | 'TASK';
}

export interface EndEventElement extends ElementBase {
  readonly type: 'END_EVENT';
  readonly end: { readonly kind: 'none' } | { readonly kind: 'terminate' } | { readonly kind: 'error'; readonly errorCode: Expression };
}

export interface BoundaryEventElement extends ElementBase {
  readonly type: 'BOUNDARY_EVENT';
  readonly attachedToId: string;
  readonly interrupting: boolean;
  /** Error code caught; undefined catches every error. */
  readonly trigger: { readonly kind: 'error'; readonly errorCode: string | undefined };
}

/** A task a job worker does: service and send tasks, and script and business rule tasks implemented by a job. */
export interface JobTaskElement extends ElementBase {
  readonly type: 'SERVICE_TASK' | 'SEND_TASK' | 'SCRIPT_TASK' | 'BUSINESS_RULE_TASK';
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
  readonly type: 'EXCLUSIVE_GATEWAY' | 'PARALLEL_GATEWAY' | 'INCLUSIVE_GATEWAY';
  readonly defaultFlowId?: string;
}

export type FlowElement =
  | SubProcessElement
  | PassThroughElement
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
