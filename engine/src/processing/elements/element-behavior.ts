import { type BoundaryEventElement, type ExecutableElement, type ExecutableProcess, type FlowElement, type SequenceFlow } from '../../model/process-model';
import { type ElementInstance, type EngineState, type ProcessDefinitionEntity } from '../../state/engine-state';
import { type IncidentErrorType } from '../../state/events';
import { type CommandContext } from '../command-context';
import { type Compensation } from '../compensation';
import { type Subscriptions } from '../subscriptions';
import { type VariableDocument, type Variables } from '../variables';

/** A unit of work inside one command; the executor's queue runs until the process waits. */
export type Step =
  | {
      readonly kind: 'activate';
      readonly elementId: string;
      readonly flowScopeKey: number;
      readonly consumedFlows?: readonly string[];
      readonly localVariables?: VariableDocument;
      /** The event this catch element waits for has already happened (after an event-based gateway). */
      readonly triggered?: boolean;
      /** The instance's key, when it was taken before (a compensation handler's, logged with its subscription). */
      readonly key?: number;
    }
  | { readonly kind: 'trigger'; readonly ownerKey: number; readonly targetElementId: string; readonly variables: VariableDocument }
  | { readonly kind: 'continueActivation'; readonly key: number; readonly afterStartListeners?: boolean }
  | { readonly kind: 'complete'; readonly key: number; readonly flows?: readonly SequenceFlow[]; readonly afterEndListeners?: boolean }
  | { readonly kind: 'childEnded'; readonly scopeKey: number };

/** Where a thrown error or escalation is caught: a boundary event on a host, or an event subprocess in a scope. */
export type Catcher =
  | { readonly kind: 'boundary'; readonly host: ElementInstance; readonly boundary: BoundaryEventElement; readonly interrupting: boolean }
  | { readonly kind: 'event subprocess'; readonly scope: ElementInstance; readonly eventSubProcessId: string; readonly interrupting: boolean };

/**
 * The behaviours every element kind shares, as Zeebe's BpmnBehaviors: the
 * command's state and variables, incidents, subscriptions, and the state
 * transitions of the lifecycle. The executor provides them; an element kind
 * never changes state but through them (and so through logged events).
 */
export interface BpmnBehaviors {
  readonly context: CommandContext;
  readonly state: EngineState;
  readonly variables: Variables;
  readonly subscriptions: Subscriptions;
  readonly compensation: Compensation;
  /** Queues a step of this command (activate a child, complete, ...). */
  schedule(step: Step): void;
  /**
   * Marks the element activated. One that waits (completeNow false) first
   * opens what it waits for: its own timer or message, its boundary events'.
   * Returns false when that failed and an incident was raised instead.
   */
  activated(instance: ElementInstance, completeNow: boolean): boolean;
  raiseIncident(instance: ElementInstance, errorType: IncidentErrorType, errorMessage: string, jobKey?: number): void;
  /** Terminates an element and everything inside it, children first; nothing continues from it. */
  terminate(instance: ElementInstance): void;
  /** The flows a gateway decided on at activation, taken when it completes. */
  takeOnCompletion(instance: ElementInstance, flows: readonly SequenceFlow[]): void;
  takeFlow(flow: SequenceFlow, scopeKey: number): void;
  /** The innermost catcher of an error or escalation code around the thrower. */
  findCatch(thrower: ElementInstance, code: string, kind: 'error' | 'escalation'): Catcher | undefined;
  throwError(thrower: ElementInstance, errorCode: string, errorMessage: string, variables: VariableDocument | undefined, jobKey?: number): 'caught' | 'incident';
  startEventSubProcess(scope: ElementInstance, eventSubProcessId: string, interrupting: boolean, variables: VariableDocument): void;
  /** Logs a signal broadcast and queues the triggers of its subscriptions behind the current step. */
  queueBroadcast(signalName: string, variables: VariableDocument): number;
  /** Starts a process instance in this command, as a call activity's child when the parent key is given. */
  startChildProcess(definition: ProcessDefinitionEntity, variables: VariableDocument, parentElementInstanceKey: number): void;
  processOf(instance: ElementInstance): ExecutableProcess;
  elementOfInstance(instance: ElementInstance): ExecutableElement;
}

/**
 * The lifecycle of one BPMN element kind, as Zeebe's BpmnElementProcessor:
 * the executor runs the steps every element shares (input and output
 * mappings, execution listeners, flows, joins, termination of children) and
 * calls the kind's own behaviour at each point.
 */
export interface ElementBehavior<E extends FlowElement = FlowElement> {
  /** After the input mappings and start listeners: the element's own work (create a job, wait, choose flows, ...). */
  activate(bpmn: BpmnBehaviors, instance: ElementInstance, element: E): void;
  /** After the output mappings, before the end listeners: what completing this kind does to others (a terminate end event ends its siblings). */
  completing?(bpmn: BpmnBehaviors, instance: ElementInstance, element: E): void;
  /** Where the token goes once it completed, when not along its outgoing flows; returns false to take them. */
  leave?(bpmn: BpmnBehaviors, instance: ElementInstance, element: E): boolean;
  /** A path inside this container ended (no activation inside is pending): the kind judges whether it is done; without it, it completes once nothing inside is active. */
  childEnded?(bpmn: BpmnBehaviors, instance: ElementInstance, element: E): void;
  /** While terminating, after its children: what this kind ends beside them (a call activity's process instance). */
  terminate?(bpmn: BpmnBehaviors, instance: ElementInstance, element: E): void;
}
