import { evaluateBoolean, evaluateFeel, evaluateInteger, evaluateString, type FeelResult } from '../feel/feel';
import {
  elementOf,
  flowElementOf,
  type BoundaryEventElement,
  type BusinessRuleTaskElement,
  type CallActivityElement,
  type ErrorTrigger,
  type EscalationThrowElement,
  type EscalationTrigger,
  isJobElement,
  startEventFor,
  type UserTaskElement,
  type JobTaskElement,
  type MultiInstance,
  type ScriptTaskElement,
  type SignalThrowElement,
  type ExecutableElement,
  type ExecutableProcess,
  type FlowElement,
  type GatewayElement,
  type SequenceFlow,
} from '../model/process-model';
import { correlationOf, type ElementInstance, type JobEntity, type MessageEntity, type MessageSubscriptionEntity, type ProcessDefinitionEntity } from '../state/engine-state';
import { type ExecutionListenerJob, type IncidentErrorType } from '../state/events';
import { type CommandContext } from './command-context';
import { evaluateLogged } from './commands/decisions';
import { createListenerJob, listenersOf, type ListenerEvent } from './listeners';
import { Subscriptions } from './subscriptions';
import { userTaskAttributes } from './user-task-attributes';
import { Variables, type VariableDocument } from './variables';

/** A unit of work inside one command; the queue runs until the process waits. */
type Step =
  | {
      readonly kind: 'activate';
      readonly elementId: string;
      readonly flowScopeKey: number;
      readonly consumedFlows?: readonly string[];
      readonly localVariables?: VariableDocument;
      /** The event this catch element waits for has already happened (after an event-based gateway). */
      readonly triggered?: boolean;
    }
  | { readonly kind: 'trigger'; readonly ownerKey: number; readonly targetElementId: string; readonly variables: VariableDocument }
  | { readonly kind: 'continueActivation'; readonly key: number; readonly afterStartListeners?: boolean }
  | { readonly kind: 'complete'; readonly key: number; readonly flows?: readonly SequenceFlow[]; readonly afterEndListeners?: boolean }
  | { readonly kind: 'childEnded'; readonly scopeKey: number };

/** Elements whose own variables (an event's payload) reach their flow scope when no output mappings pick from them. */
const CATCHING_TYPES = new Set<string>(['BOUNDARY_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'RECEIVE_TASK', 'START_EVENT']);

/** Whether the scope is the multi-instance body of the element, i.e. the element's instance there is an inner one. */
function isInnerScope(scope: ElementInstance, elementId: string): boolean {
  return scope.type === 'MULTI_INSTANCE_BODY' && scope.elementId === elementId;
}

/** A guard against diagrams that loop without ever waiting. */
const MAX_STEPS_PER_COMMAND = 100_000;

/** What happened to a thrown BPMN error. */
export type ErrorOutcome = 'caught' | 'incident';

/**
 * Runs BPMN elements with Zeebe's semantics: element lifecycle (activating,
 * activated, completing, completed, terminating, terminated), input and output
 * mappings, sequence flows and joins, BPMN errors and incidents. One instance
 * per command; everything it does goes through the context's events.
 */
export class BpmnExecutor {
  readonly variables: Variables;
  readonly subscriptions: Subscriptions;
  private readonly steps: Step[] = [];
  /** Chosen flows of a gateway between its activation and its completion. */
  private readonly chosenFlows = new Map<number, readonly SequenceFlow[]>();

  constructor(private readonly context: CommandContext) {
    this.variables = new Variables(context);
    this.subscriptions = new Subscriptions(context, this.variables);
  }

  private get state() {
    return this.context.state;
  }

  /** Creates the process instance and runs it from a start event (the none start event unless told), or from the given elements, until it waits. */
  startProcess(
    definition: ProcessDefinitionEntity,
    variables: VariableDocument,
    startAt: string | readonly string[] = definition.executable.process.startEventId,
    onCreated?: (instance: ElementInstance) => void,
    parentElementInstanceKey?: number,
  ): ElementInstance {
    const key = this.context.newKey();
    this.context.emit({
      type: 'ElementActivating',
      key,
      elementId: definition.bpmnProcessId,
      elementType: 'PROCESS',
      processInstanceKey: key,
      processDefinitionKey: definition.key,
      flowScopeKey: undefined,
      ...(parentElementInstanceKey !== undefined ? { parentElementInstanceKey } : {}),
      time: this.context.now,
    });
    const instance = this.state.element(key);
    this.variables.setLocal(key, key, variables);
    const startElements = typeof startAt === 'string' ? [startAt] : [...startAt];
    if (listenersOf(definition.executable.process, instance, 'start').length > 0) {
      // The process's start listeners run before it is activated; their last completion goes on at the start elements.
      onCreated?.(instance);
      this.runListener(instance, definition.executable.process, 'start', 0, startElements);
      this.run();
      return instance;
    }
    this.context.emit({ type: 'ElementActivated', key });
    onCreated?.(instance);
    this.beginProcess(instance, startElements);
    this.run();
    return instance;
  }

  /** An activated process instance opens its event subprocesses and starts at its start elements. */
  private beginProcess(instance: ElementInstance, startElements: readonly string[]): void {
    if (instance.state === 'ACTIVATING') this.context.emit({ type: 'ElementActivated', key: instance.key });
    this.openWaits(instance);
    for (const elementId of startElements) this.steps.push({ kind: 'activate', elementId, flowScopeKey: instance.key });
  }

  /** Creates the job of an element's execution listener; a type or retries expression that fails is an incident. */
  private runListener(instance: ElementInstance, element: ExecutableElement, eventType: ListenerEvent, index: number, resumeAt?: readonly string[]): void {
    const created = createListenerJob(this.context, this.variables, instance, element, eventType, index, resumeAt);
    if (!created.ok) this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', created.message);
  }

  /**
   * An execution listener's job completed. A start listener's variables
   * become the element's local variables; an end listener's reach the flow
   * scope as output mappings' do. Then the next listener runs, or the element
   * goes on where its listeners stopped it.
   */
  completeExecutionListener(job: JobEntity, listener: ExecutionListenerJob, variables: VariableDocument): void {
    const instance = this.state.element(job.elementInstanceKey);
    const element = this.elementOfInstance(instance);
    const eventType: ListenerEvent = listener.eventType === 'START' ? 'start' : 'end';
    if (eventType === 'start' || instance.flowScopeKey === undefined) this.variables.setLocal(instance.key, instance.processInstanceKey, variables);
    else this.variables.merge(instance.flowScopeKey, instance.processInstanceKey, variables);
    const next = listener.index + 1;
    if (next < listenersOf(element, instance, eventType).length) this.runListener(instance, element, eventType, next, listener.resumeAt);
    else if (eventType === 'end') this.steps.push({ kind: 'complete', key: instance.key, afterEndListeners: true });
    else if (instance.type === 'PROCESS') this.beginProcess(instance, listener.resumeAt ?? [this.processOf(instance).process.startEventId]);
    else this.steps.push({ kind: 'continueActivation', key: instance.key, afterStartListeners: true });
    this.run();
  }

  /**
   * Completes a task whose work is done (its job or user task completed).
   * Without output mappings the variables propagate outwards; with them they
   * stay local and the mappings decide what leaves the task (Zeebe's rule).
   */
  completeElement(key: number, variables: VariableDocument = {}): void {
    this.finishWith(key, variables);
    this.run();
  }

  private finishWith(key: number, variables: VariableDocument): void {
    const element = this.state.element(key);
    if (this.elementOfInstance(element).outputs.length > 0) this.variables.setLocal(key, element.processInstanceKey, variables);
    else this.variables.merge(key, element.processInstanceKey, variables);
    this.steps.push({ kind: 'complete', key });
  }

  /**
   * The event an element instance waits for has happened (a timer fired, a
   * message arrived): the catch element completes, the gateway takes that
   * event's flow, or the boundary event fires, interrupting its host or not.
   */
  trigger(ownerKey: number, targetElementId: string, variables: VariableDocument): void {
    this.steps.push({ kind: 'trigger', ownerKey, targetElementId, variables });
    this.run();
  }

  /**
   * Broadcasts a signal: every subscription open now is triggered (in this
   * command, after the current step), and the latest version of each process
   * with a signal start event for it starts. Returns the broadcast's key.
   */
  broadcastSignal(signalName: string, variables: VariableDocument): number {
    const key = this.queueBroadcast(signalName, variables);
    this.run();
    return key;
  }

  private queueBroadcast(signalName: string, variables: VariableDocument): number {
    const key = this.context.newKey();
    this.context.emit({ type: 'SignalBroadcast', key, signalName, time: this.context.now });
    for (const subscriptionKey of [...(this.state.signalSubscriptionsByName.get(signalName) ?? [])]) {
      const subscription = this.state.signalSubscriptions.get(subscriptionKey)!;
      this.steps.push({ kind: 'trigger', ownerKey: subscription.ownerKey, targetElementId: subscription.targetElementId, variables });
    }
    for (const definitionKey of [...(this.state.signalStarts.get(signalName) ?? [])]) {
      const definition = this.state.definition(definitionKey);
      const startEventId = startEventFor(definition.executable, 'signal', signalName)!;
      new BpmnExecutor(this.context).startProcess(definition, variables, startEventId);
    }
    return key;
  }

  /** Cancels a whole process instance: every element is terminated, nothing continues. */
  cancelProcessInstance(processInstanceKey: number): void {
    this.terminate(this.state.element(processInstanceKey));
  }

  /**
   * Throws a BPMN error from an element instance. The innermost matching error
   * boundary event catches it (a specific code before a catch-all); otherwise
   * an incident is raised on the thrower.
   */
  throwError(thrower: ElementInstance, errorCode: string, errorMessage: string, variables: VariableDocument | undefined, jobKey?: number): ErrorOutcome {
    const catcher = this.findErrorCatch(thrower, errorCode);
    if (!catcher) {
      const message = `Expected to throw an error event with the code '${errorCode}'${errorMessage ? ` with message '${errorMessage}'` : ''}, but it was not caught. No error events are available in the scope.`;
      this.raiseIncident(thrower, 'UNHANDLED_ERROR_EVENT', message, jobKey);
      return 'incident';
    }
    if (catcher.kind === 'boundary') {
      const flowScopeKey = catcher.host.flowScopeKey!;
      this.terminate(catcher.host);
      this.steps.push({ kind: 'activate', elementId: catcher.boundary.id, flowScopeKey, localVariables: variables });
    } else {
      this.startEventSubProcess(catcher.scope, catcher.eventSubProcessId, true, variables ?? {});
    }
    this.run();
    return 'caught';
  }

  /** Process instance modification: activates an element in a flow scope instance, with local variables, and runs until it waits. */
  activateElement(elementId: string, flowScopeKey: number, localVariables?: VariableDocument): void {
    this.steps.push({ kind: 'activate', elementId, flowScopeKey, localVariables });
    this.run();
  }

  /**
   * Process instance modification: an instance of a subprocess, created so an
   * element inside it can be activated, without running its start event; its
   * input mappings apply and its events open. Returns a message when that failed.
   */
  openScope(elementId: string, flowScopeKey: number, localVariables: VariableDocument): { instance: ElementInstance } | { failed: string } {
    const scope = this.state.element(flowScopeKey);
    const element = flowElementOf(this.processOf(scope), elementId);
    const key = this.context.newKey();
    this.context.emit({
      type: 'ElementActivating',
      key,
      elementId,
      elementType: element.type === 'SUB_PROCESS' && element.triggeredByEvent ? 'EVENT_SUB_PROCESS' : element.type,
      processInstanceKey: scope.processInstanceKey,
      processDefinitionKey: scope.processDefinitionKey,
      flowScopeKey,
      time: this.context.now,
    });
    const instance = this.state.element(key);
    if (element.inputs.length > 0) {
      const mapped = this.variables.applyMappings(element.inputs, this.variables.visibleFrom(key));
      if (!mapped.ok) return { failed: mapped.message };
      this.variables.setLocal(key, instance.processInstanceKey, mapped.value);
    }
    this.variables.setLocal(key, instance.processInstanceKey, localVariables);
    const opened = this.subscriptions.open(instance, element, this.processOf(instance));
    if (!opened.ok) return { failed: opened.message };
    this.context.emit({ type: 'ElementActivated', key });
    for (const { subscription, message } of opened.value) this.correlate(message, subscription);
    this.run();
    return { instance };
  }

  /** Process instance modification: terminates an element instance and everything inside it; its flow scope is the caller's to judge. */
  terminateElement(key: number): void {
    this.terminate(this.state.element(key));
    this.run();
  }

  /** Retries the step an incident stopped, after the incident was resolved. */
  retry(instance: ElementInstance): void {
    if (instance.type === 'PROCESS' && instance.state === 'ACTIVATING') {
      // A process start listener's expression failed: its start listeners run again from the first.
      this.runListener(instance, this.elementOfInstance(instance), 'start', 0, [this.processOf(instance).process.startEventId]);
    } else if (instance.state === 'ACTIVATING') this.steps.push({ kind: 'continueActivation', key: instance.key });
    else if (instance.state === 'COMPLETING') this.steps.push({ kind: 'complete', key: instance.key });
    else if (instance.state === 'ACTIVATED') {
      const element = this.elementOfInstance(instance);
      if (element.type === 'END_EVENT' && 'end' in element && element.end.kind === 'error') this.steps.push({ kind: 'continueActivation', key: instance.key });
    }
    this.run();
  }

  private run(): void {
    let budget = MAX_STEPS_PER_COMMAND;
    while (this.steps.length > 0) {
      if (--budget < 0) throw new Error(`A process ran more than ${MAX_STEPS_PER_COMMAND} steps without reaching a wait state`);
      const step = this.steps.shift()!;
      switch (step.kind) {
        case 'activate':
          this.activate(step.elementId, step.flowScopeKey, step.consumedFlows, step.localVariables, step.triggered);
          break;
        case 'continueActivation': {
          const instance = this.state.elementInstances.get(step.key);
          if (instance && (instance.state === 'ACTIVATING' || instance.state === 'ACTIVATED')) this.continueActivation(instance, step.afterStartListeners);
          break;
        }
        case 'complete': {
          const instance = this.state.elementInstances.get(step.key);
          if (instance && (instance.state === 'ACTIVATED' || instance.state === 'COMPLETING')) this.complete(instance, step.flows, step.afterEndListeners);
          break;
        }
        case 'childEnded':
          this.onChildEnded(step.scopeKey);
          break;
        case 'trigger':
          this.onTrigger(step.ownerKey, step.targetElementId, step.variables);
          break;
      }
    }
  }

  private activate(elementId: string, flowScopeKey: number, consumedFlows?: readonly string[], localVariables?: VariableDocument, triggered?: boolean): void {
    const scope = this.state.element(flowScopeKey);
    const definition = this.state.definition(scope.processDefinitionKey);
    const element = flowElementOf(definition.executable, elementId);
    // A multi-instance activity is first a body; the body activates one inner instance per item.
    const isBody = element.multiInstance !== undefined && !isInnerScope(scope, elementId);
    const key = this.context.newKey();
    this.context.emit({
      type: 'ElementActivating',
      key,
      elementId,
      elementType: isBody ? 'MULTI_INSTANCE_BODY' : element.type === 'SUB_PROCESS' && element.triggeredByEvent ? 'EVENT_SUB_PROCESS' : element.type,
      processInstanceKey: scope.processInstanceKey,
      processDefinitionKey: scope.processDefinitionKey,
      flowScopeKey,
      consumedFlows,
      time: this.context.now,
    });
    const instance = this.state.element(key);
    if (localVariables) this.variables.setLocal(key, instance.processInstanceKey, localVariables);
    if (triggered) {
      // Its event already happened: it completes with no subscription of its own.
      this.context.emit({ type: 'ElementActivated', key });
      this.steps.push({ kind: 'complete', key });
      return;
    }
    this.continueActivation(instance);
  }

  /** Input mappings, then the start execution listeners, then the element's own activation behaviour. */
  private continueActivation(instance: ElementInstance, afterStartListeners = false): void {
    const element = this.elementOfInstance(instance);
    if (element.type === 'PROCESS') throw new Error('Bug: a process is activated by startProcess');
    if (instance.type === 'MULTI_INSTANCE_BODY') return this.activateBody(instance, element);
    if (instance.state === 'ACTIVATING' && !afterStartListeners) {
      if (element.inputs.length > 0) {
        // Inner instances of a multi-instance see their item and loop counter, set before this.
        const mapped = this.variables.applyMappings(element.inputs, this.variables.visibleFrom(instance.key));
        if (!mapped.ok) return this.raiseIncident(instance, 'IO_MAPPING_ERROR', mapped.message);
        this.variables.setLocal(instance.key, instance.processInstanceKey, mapped.value);
      }
      if (listenersOf(element, instance, 'start').length > 0) return this.runListener(instance, element, 'start', 0);
    }
    if (isJobElement(element)) return this.createJob(instance, element);
    switch (element.type) {
      case 'INTERMEDIATE_THROW_EVENT':
        if ('signalName' in element) return this.throwSignal(instance, element);
        if ('escalationCode' in element) return this.throwEscalation(instance, element);
        return void this.activated(instance, true);
      case 'START_EVENT':
      case 'TASK':
      case 'MANUAL_TASK':
      case 'BOUNDARY_EVENT':
        return void this.activated(instance, true);
      case 'END_EVENT':
        if ('signalName' in element) return this.throwSignal(instance, element);
        if ('escalationCode' in element) return this.throwEscalation(instance, element);
        if (element.end.kind !== 'error') return void this.activated(instance, true);
        return this.throwFromEndEvent(instance, element);
      case 'INTERMEDIATE_CATCH_EVENT':
        // A link catch event waits for nothing: the throw of its name brought the token.
        return void this.activated(instance, !('trigger' in element));
      case 'RECEIVE_TASK':
      case 'EVENT_BASED_GATEWAY':
        return void this.activated(instance, false);
      case 'USER_TASK':
        return this.createUserTask(instance, element);
      case 'CALL_ACTIVITY':
        return this.callProcess(instance, element);
      case 'SCRIPT_TASK':
      case 'BUSINESS_RULE_TASK':
        if (element.implementation === 'feel') return this.runScript(instance, element);
        return this.callDecision(instance, element);
      case 'SUB_PROCESS':
        if (!this.activated(instance, false)) return;
        this.steps.push({ kind: 'activate', elementId: element.startEventId, flowScopeKey: instance.key });
        return;
      case 'EXCLUSIVE_GATEWAY':
      case 'INCLUSIVE_GATEWAY': {
        const flows = this.chooseFlows(instance, element);
        if (!flows.ok) return this.raiseIncident(instance, 'CONDITION_ERROR', flows.message);
        this.chosenFlows.set(instance.key, flows.value);
        return void this.activated(instance, true);
      }
      case 'PARALLEL_GATEWAY':
        return void this.activated(instance, true);
    }
  }

  private createJob(instance: ElementInstance, element: JobTaskElement): void {
    const scope = this.variables.visibleFrom(instance.key);
    const jobType = evaluateString(element.jobType, scope);
    if (!jobType.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', jobType.message);
    const retries = evaluateInteger(element.retries, scope);
    if (!retries.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', retries.message);
    if (!this.activated(instance, false)) return;
    this.context.emit({
      type: 'JobCreated',
      key: this.context.newKey(),
      jobType: jobType.value,
      retries: retries.value,
      customHeaders: element.headers,
      elementInstanceKey: instance.key,
      time: this.context.now,
    });
  }

  private runScript(instance: ElementInstance, element: ScriptTaskElement): void {
    const result = evaluateFeel(element.expression, this.variables.visibleFrom(instance.key));
    if (!result.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', result.message);
    this.completeWithResult(instance, element, result.value);
  }

  /** Evaluates the latest version of the called decision; a missing or failing decision is an incident. */
  private callDecision(instance: ElementInstance, element: BusinessRuleTaskElement): void {
    const scope = this.variables.visibleFrom(instance.key);
    const decisionId = evaluateString(element.decisionId, scope);
    if (!decisionId.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', decisionId.message);
    const decision = this.state.latestDecision(decisionId.value);
    if (!decision) {
      return this.raiseIncident(instance, 'CALLED_DECISION_ERROR', `Expected to evaluate decision '${decisionId.value}', but no decision found for id '${decisionId.value}'`);
    }
    const { outcome } = evaluateLogged(this.context, decision, scope, instance.key);
    if (!outcome.ok) {
      return this.raiseIncident(
        instance,
        'DECISION_EVALUATION_ERROR',
        `Expected to evaluate decision '${decision.decisionId}', but failed to evaluate decision '${outcome.failedDecisionId}': ${outcome.message}`,
      );
    }
    this.completeWithResult(instance, element, outcome.output);
  }

  /** A result variable goes to the flow scope, or stays local when output mappings pick from it (Zeebe's rule). */
  private completeWithResult(instance: ElementInstance, element: ScriptTaskElement | BusinessRuleTaskElement, value: unknown): void {
    if (!this.activated(instance, false)) return;
    const document = { [element.resultVariable]: value };
    if (element.outputs.length > 0) this.variables.setLocal(instance.key, instance.processInstanceKey, document);
    else this.variables.merge(instance.key, instance.processInstanceKey, document);
    this.steps.push({ kind: 'complete', key: instance.key });
  }

  /**
   * Marks the element activated. One that waits (completeNow false) first
   * opens what it waits for: its own timer or message, its boundary events'.
   * Returns false when that failed and an incident was raised instead.
   */
  private activated(instance: ElementInstance, completeNow: boolean): boolean {
    if (!completeNow && instance.state === 'ACTIVATING') {
      const opened = this.subscriptions.open(instance, this.elementOfInstance(instance), this.processOf(instance));
      if (!opened.ok) {
        this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', opened.message);
        return false;
      }
      this.context.emit({ type: 'ElementActivated', key: instance.key });
      for (const { subscription, message } of opened.value) this.correlate(message, subscription);
      return true;
    }
    if (instance.state === 'ACTIVATING') this.context.emit({ type: 'ElementActivated', key: instance.key });
    if (completeNow) this.steps.push({ kind: 'complete', key: instance.key });
    return true;
  }

  /**
   * A process instance's event subprocesses start listening as it starts. A
   * broken trigger expression there is an incident on the process instance;
   * the process runs on without that event subprocess.
   */
  private openWaits(instance: ElementInstance): void {
    const opened = this.subscriptions.open(instance, this.elementOfInstance(instance), this.processOf(instance));
    if (!opened.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', opened.message);
    for (const { subscription, message } of opened.value) this.correlate(message, subscription);
  }

  /** Delivers a published message to a waiting subscription and runs what follows. */
  deliver(message: MessageEntity, subscription: MessageSubscriptionEntity): void {
    this.correlate(message, subscription);
    this.run();
  }

  /** A message reaches a subscription: logged, then the subscription's event is triggered. */
  private correlate(message: MessageEntity, subscription: MessageSubscriptionEntity): void {
    this.context.emit({ type: 'MessageCorrelated', messageKey: message.key, processInstanceKey: subscription.processInstanceKey, subscriptionKey: subscription.key, time: this.context.now });
    this.steps.push({ kind: 'trigger', ownerKey: subscription.ownerKey, targetElementId: subscription.targetElementId, variables: JSON.parse(message.variables) as VariableDocument });
  }

  private onTrigger(ownerKey: number, targetElementId: string, variables: VariableDocument): void {
    const owner = this.state.elementInstances.get(ownerKey);
    if (!owner || owner.state !== 'ACTIVATED') return;
    const process = this.processOf(owner);
    const target = flowElementOf(process, targetElementId);
    const ownerElement = this.elementOfInstance(owner);
    if (target.type === 'BOUNDARY_EVENT') {
      if (target.interrupting) this.terminate(owner);
      this.steps.push({ kind: 'activate', elementId: target.id, flowScopeKey: owner.flowScopeKey!, localVariables: variables });
      return;
    }
    if (target.type === 'SUB_PROCESS' && target.triggeredByEvent) {
      const start = process.elements.get(target.startEventId);
      return this.startEventSubProcess(owner, target.id, start?.type === 'START_EVENT' ? start.interrupting : true, variables);
    }
    this.subscriptions.close(owner);
    if (ownerElement.type === 'EVENT_BASED_GATEWAY') {
      const flow = ownerElement.outgoing.find((f) => f.targetId === targetElementId)!;
      this.context.emit({ type: 'ElementCompleting', key: owner.key });
      this.context.emit({ type: 'SequenceFlowTaken', scopeKey: owner.flowScopeKey!, flowId: flow.id });
      this.context.emit({ type: 'ElementCompleted', key: owner.key, time: this.context.now });
      this.steps.push({ kind: 'activate', elementId: flow.targetId, flowScopeKey: owner.flowScopeKey!, localVariables: variables, triggered: true });
      return;
    }
    this.variables.setLocal(owner.key, owner.processInstanceKey, variables);
    this.steps.push({ kind: 'complete', key: owner.key });
  }

  /** Starts the latest version of the called process as a child of this call activity. */
  private callProcess(instance: ElementInstance, element: CallActivityElement): void {
    const processId = evaluateString(element.processId, this.variables.visibleFrom(instance.key));
    if (!processId.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', processId.message);
    const definition = this.state.latestDefinition(processId.value);
    if (!definition) {
      return this.raiseIncident(instance, 'CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${processId.value}' to be deployed, but not found.`);
    }
    if (!definition.executable.process.startEventId) {
      return this.raiseIncident(instance, 'CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${processId.value}' to have a none start event, but it has none.`);
    }
    if (!this.activated(instance, false)) return;
    const variables = element.propagateAllParentVariables ? this.variables.visibleFrom(instance.key) : this.variables.local(instance.key);
    new BpmnExecutor(this.context).startProcess(definition, variables, undefined, undefined, instance.key);
  }

  /**
   * Throws an escalation to the scopes around the thrower (and on through
   * call activities). Escalations are not critical: the thrower goes on
   * unless an interrupting catch ends its scope, and an escalation nobody
   * catches is no incident (https://docs.camunda.io/docs/components/modeler/bpmn/escalation-events/).
   */
  private throwEscalation(instance: ElementInstance, element: EscalationThrowElement): void {
    const code = evaluateString(element.escalationCode, this.variables.visibleFrom(instance.key));
    if (!code.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', code.message);
    const catcher = this.findErrorCatch(instance, code.value, 'escalation');
    if (!catcher || !catcher.interrupting) this.activated(instance, true);
    else if (instance.state === 'ACTIVATING') this.context.emit({ type: 'ElementActivated', key: instance.key });
    if (!catcher) return;
    if (catcher.kind === 'boundary') {
      const flowScopeKey = catcher.host.flowScopeKey!;
      if (catcher.interrupting) this.terminate(catcher.host);
      this.steps.push({ kind: 'activate', elementId: catcher.boundary.id, flowScopeKey });
    } else {
      this.startEventSubProcess(catcher.scope, catcher.eventSubProcessId, catcher.interrupting, {});
    }
  }

  private throwSignal(instance: ElementInstance, element: SignalThrowElement): void {
    const name = evaluateString(element.signalName, this.variables.visibleFrom(instance.key));
    if (!name.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', name.message);
    this.activated(instance, true);
    // Triggers queue behind this element's completion, so the thrower moves on first.
    this.queueBroadcast(name.value, {});
  }

  /**
   * Starts an event subprocess inside its scope. An interrupting one first
   * ends everything else in the scope (and the scope's other event
   * subprocesses stop listening); a non-interrupting one runs beside it.
   * The event's variables are the event subprocess's own.
   */
  private startEventSubProcess(scope: ElementInstance, eventSubProcessId: string, interrupting: boolean, variables: VariableDocument): void {
    if (interrupting) {
      this.subscriptions.close(scope);
      for (const childKey of [...scope.childKeys]) this.terminate(this.state.element(childKey));
      scope.joinTokens?.clear();
    }
    this.steps.push({ kind: 'activate', elementId: eventSubProcessId, flowScopeKey: scope.key, localVariables: variables });
  }

  /** The multi-instance body this instance is an inner instance of, if any. */
  private innerOf(instance: ElementInstance): ElementInstance | undefined {
    const scope = instance.flowScopeKey === undefined ? undefined : this.state.elementInstances.get(instance.flowScopeKey);
    return scope && isInnerScope(scope, instance.elementId) ? scope : undefined;
  }

  /**
   * Activates a multi-instance body: evaluates the input collection, opens
   * the boundary events, prepares the output collection, and starts the
   * inner instances (all of them, or the first when sequential).
   */
  private activateBody(body: ElementInstance, element: FlowElement): void {
    const loop = element.multiInstance!;
    const items = this.inputItems(body, loop);
    if (!items.ok) return this.raiseIncident(body, 'EXTRACT_VALUE_ERROR', items.message);
    if (!this.activated(body, false)) return;
    if (loop.outputCollection) this.variables.setLocal(body.key, body.processInstanceKey, { [loop.outputCollection]: items.value.map(() => null) });
    if (items.value.length === 0) {
      this.steps.push({ kind: 'complete', key: body.key });
      return;
    }
    const count = loop.sequential ? 1 : items.value.length;
    for (let index = 0; index < count; index++) this.activateInner(body, element, loop, items.value, index);
  }

  private inputItems(body: ElementInstance, loop: MultiInstance): FeelResult<unknown[]> {
    const result = evaluateFeel(loop.inputCollection, this.variables.visibleFrom(body.key));
    if (!result.ok) return result;
    if (!Array.isArray(result.value)) {
      return { ok: false, message: `Expected result of the expression '${loop.inputCollection}' to be 'ARRAY', but was '${JSON.stringify(result.value)}'.` };
    }
    return { ok: true, value: result.value as unknown[] };
  }

  private activateInner(body: ElementInstance, element: FlowElement, loop: MultiInstance, items: readonly unknown[], index: number): void {
    const locals: VariableDocument = { loopCounter: index + 1 };
    if (loop.inputElement) locals[loop.inputElement] = items[index];
    // As Zeebe does: an output element that names a variable gets a local one on each inner
    // instance, so the results of parallel instances do not overwrite each other further out.
    if (loop.outputElement && /^[A-Za-z_]\w*$/.test(loop.outputElement.trim())) locals[loop.outputElement.trim()] = null;
    this.steps.push({ kind: 'activate', elementId: element.id, flowScopeKey: body.key, localVariables: locals });
  }

  /** Writes an inner instance's output element into its slot of the body's output collection. */
  private collectOutput(inner: ElementInstance, body: ElementInstance, loop: MultiInstance): FeelResult<true> {
    const value = evaluateFeel(loop.outputElement!, this.variables.visibleFrom(inner.key));
    if (!value.ok) return value;
    const counter = this.variables.local(inner.key).loopCounter;
    const collection = [...((this.variables.local(body.key)[loop.outputCollection!] as unknown[] | undefined) ?? [])];
    if (typeof counter === 'number') collection[counter - 1] = value.value;
    this.variables.setLocal(body.key, body.processInstanceKey, { [loop.outputCollection!]: collection });
    return { ok: true, value: true };
  }

  /** After an inner instance: the completion condition may end the body; else the next item (sequential) or the last one done. */
  private onInnerCompleted(body: ElementInstance, loopCounter: number): void {
    const element = this.elementOfInstance(body) as FlowElement;
    const loop = element.multiInstance!;
    if (loop.completionCondition) {
      const done = evaluateBoolean(loop.completionCondition, this.variables.visibleFrom(body.key));
      if (!done.ok) return this.raiseIncident(body, 'CONDITION_ERROR', done.message);
      if (done.value) {
        for (const childKey of [...body.childKeys]) this.terminate(this.state.element(childKey));
        this.steps.push({ kind: 'complete', key: body.key });
        return;
      }
    }
    if (loop.sequential) {
      const items = this.inputItems(body, loop);
      if (!items.ok) return this.raiseIncident(body, 'EXTRACT_VALUE_ERROR', items.message);
      if (loopCounter < items.value.length) return this.activateInner(body, element, loop, items.value, loopCounter);
    }
    if (body.childKeys.size === 0) this.steps.push({ kind: 'complete', key: body.key });
  }

  /** The body's own variables (its output collection) reach the flow scope; then its flows are taken. */
  private completeBody(body: ElementInstance, element: FlowElement): void {
    const local = this.variables.local(body.key);
    if (Object.keys(local).length > 0) this.variables.merge(body.flowScopeKey!, body.processInstanceKey, local);
    this.subscriptions.close(body);
    this.context.emit({ type: 'ElementCompleted', key: body.key, time: this.context.now });
    for (const flow of element.outgoing) this.takeFlow(flow, body.flowScopeKey!);
    if (element.outgoing.length === 0) this.steps.push({ kind: 'childEnded', scopeKey: body.flowScopeKey! });
  }

  private createUserTask(instance: ElementInstance, element: UserTaskElement): void {
    const attributes = userTaskAttributes(element, this.variables.visibleFrom(instance.key));
    if (!attributes.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', attributes.message);
    let formKey: number | undefined;
    if (element.formId) {
      formKey = this.state.latestForm(element.formId)?.key;
      if (formKey === undefined) {
        return this.raiseIncident(instance, 'FORM_NOT_FOUND', `Expected to find a form with id '${element.formId}', but no form with this id is found, at least a form with this id should be available.`);
      }
    }
    if (!this.activated(instance, false)) return;
    this.context.emit({
      type: 'UserTaskCreated',
      key: this.context.newKey(),
      elementInstanceKey: instance.key,
      ...attributes.value,
      formKey,
      externalFormReference: element.externalFormReference,
      customHeaders: element.headers,
      time: this.context.now,
    });
  }

  private complete(instance: ElementInstance, flows?: readonly SequenceFlow[], afterEndListeners = false): void {
    const element = this.elementOfInstance(instance);
    if (instance.state !== 'COMPLETING') this.context.emit({ type: 'ElementCompleting', key: instance.key });
    if (instance.type === 'MULTI_INSTANCE_BODY') return this.completeBody(instance, element as FlowElement);

    if (!afterEndListeners && element.type !== 'PROCESS') {
      if (element.outputs.length > 0) {
        const mapped = this.variables.applyMappings(element.outputs, this.variables.visibleFrom(instance.key));
        if (!mapped.ok) return this.raiseIncident(instance, 'IO_MAPPING_ERROR', mapped.message);
        this.variables.merge(instance.flowScopeKey!, instance.processInstanceKey, mapped.value);
      } else if (CATCHING_TYPES.has(element.type)) {
        // A catch event's own variables (an error's or a message's payload) reach its flow scope.
        const local = this.variables.local(instance.key);
        if (Object.keys(local).length > 0) this.variables.merge(instance.flowScopeKey!, instance.processInstanceKey, local);
      }
      if (element.type === 'END_EVENT' && 'end' in element && element.end.kind === 'terminate') {
        const scope = this.state.element(instance.flowScopeKey!);
        for (const siblingKey of [...scope.childKeys]) {
          if (siblingKey !== instance.key) this.terminate(this.state.element(siblingKey));
        }
        scope.joinTokens?.clear();
      }
    }
    // End listeners run after the output mappings, before the element is left.
    if (!afterEndListeners && listenersOf(element, instance, 'end').length > 0) return this.runListener(instance, element, 'end', 0);

    const body = this.innerOf(instance);
    // Read before completion: a completed instance's variables leave memory.
    const loopCounter = body ? (this.variables.local(instance.key).loopCounter as number) : 0;
    if (body && element.type !== 'PROCESS' && element.multiInstance?.outputElement !== undefined) {
      const collected = this.collectOutput(instance, body, element.multiInstance);
      if (!collected.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', collected.message);
    }
    this.subscriptions.close(instance);
    const processVariables = element.type === 'PROCESS' ? this.variables.local(instance.key) : undefined;
    if (processVariables) this.context.completedProcesses.set(instance.key, processVariables);
    const startLock = element.type === 'PROCESS' ? this.state.messageStartLockHeldBy(instance.key) : undefined;
    this.context.emit({ type: 'ElementCompleted', key: instance.key, time: this.context.now });
    if (startLock) this.startByBufferedMessage(startLock.bpmnProcessId, startLock.correlationKey);
    if (element.type === 'PROCESS') {
      // A called process hands its variables back to its call activity, which then completes.
      const parent = instance.parentElementInstanceKey === undefined ? undefined : this.state.elementInstances.get(instance.parentElementInstanceKey);
      if (parent?.state === 'ACTIVATED') {
        const callActivity = this.elementOfInstance(parent);
        const propagate = callActivity.type === 'CALL_ACTIVITY' && callActivity.propagateAllChildVariables;
        this.finishWith(parent.key, propagate || callActivity.outputs.length > 0 ? processVariables! : {});
      }
      return;
    }

    // An inner instance hands over to its body instead of taking flows.
    if (body) return this.onInnerCompleted(body, loopCounter);
    // A link throw event goes on at the catch event of its name, as if a flow joined them.
    if ('linkTargetId' in element && element.linkTargetId !== undefined) {
      this.steps.push({ kind: 'activate', elementId: element.linkTargetId, flowScopeKey: instance.flowScopeKey! });
      return;
    }
    const taken = flows ?? this.chosenFlows.get(instance.key) ?? element.outgoing;
    this.chosenFlows.delete(instance.key);
    for (const flow of taken) this.takeFlow(flow, instance.flowScopeKey!);
    if (taken.length === 0) this.steps.push({ kind: 'childEnded', scopeKey: instance.flowScopeKey! });
  }

  private takeFlow(flow: SequenceFlow, scopeKey: number): void {
    this.context.emit({ type: 'SequenceFlowTaken', scopeKey, flowId: flow.id });
    const scope = this.state.element(scopeKey);
    const target = this.processOf(scope).elements.get(flow.targetId)!;
    const isJoin = (target.type === 'PARALLEL_GATEWAY' || target.type === 'INCLUSIVE_GATEWAY') && target.incoming.length > 1;
    if (!isJoin) {
      this.steps.push({ kind: 'activate', elementId: target.id, flowScopeKey: scopeKey });
      return;
    }
    this.context.emit({ type: 'JoinTokenArrived', scopeKey, gatewayId: target.id, flowId: flow.id });
    this.tryJoin(scope, target);
  }

  /**
   * A parallel join fires when every incoming flow has a token; an inclusive
   * join when every incoming flow either has a token or can no longer get one
   * from any active element of the scope.
   */
  private tryJoin(scope: ElementInstance, gateway: ExecutableElement): void {
    const tokens = scope.joinTokens?.get(gateway.id);
    if (!tokens || tokens.size === 0) return;
    const missing = gateway.incoming.filter((flow) => !tokens.has(flow.id));
    if (missing.length > 0) {
      if (gateway.type !== 'INCLUSIVE_GATEWAY') return;
      const reach = this.processOf(scope).inclusiveJoinReach.get(gateway.id)!;
      const activeElements = new Set([...scope.childKeys].map((key) => this.state.element(key).elementId));
      for (const flow of missing) {
        for (const elementId of reach.get(flow.id) ?? []) if (activeElements.has(elementId)) return;
      }
      // Tokens waiting at other joins may still come this way too.
      for (const [otherGateway, otherTokens] of scope.joinTokens ?? []) {
        if (otherGateway === gateway.id || otherTokens.size === 0) continue;
        for (const flow of missing) if (reach.get(flow.id)?.has(otherGateway)) return;
      }
    }
    const consumed = gateway.incoming.filter((flow) => tokens.has(flow.id)).map((flow) => flow.id);
    this.steps.push({ kind: 'activate', elementId: gateway.id, flowScopeKey: scope.key, consumedFlows: consumed });
  }

  /** A child of the scope ended without taking a flow: the scope may be done. */
  private onChildEnded(scopeKey: number): void {
    const scope = this.state.elementInstances.get(scopeKey);
    if (!scope || scope.state !== 'ACTIVATED') return;
    const process = this.processOf(scope);
    for (const gatewayId of [...(scope.joinTokens?.keys() ?? [])]) {
      const gateway = process.elements.get(gatewayId);
      if (gateway?.type === 'INCLUSIVE_GATEWAY') this.tryJoin(scope, gateway);
    }
    if (this.steps.some((step) => step.kind === 'activate' && step.flowScopeKey === scopeKey)) return;
    const waitingTokens = [...(scope.joinTokens?.values() ?? [])].some((perFlow) => perFlow.size > 0);
    if (scope.childKeys.size === 0 && !waitingTokens) this.steps.push({ kind: 'complete', key: scopeKey });
  }

  /** Terminates an element and everything inside it, children first; nothing continues from it. */
  private terminate(instance: ElementInstance): void {
    if (instance.state === 'TERMINATED' || instance.state === 'COMPLETED') return;
    this.context.emit({ type: 'ElementTerminating', key: instance.key });
    for (const childKey of [...instance.childKeys]) this.terminate(this.state.element(childKey));
    const calledInstance = instance.childProcessInstanceKey === undefined ? undefined : this.state.elementInstances.get(instance.childProcessInstanceKey);
    if (calledInstance) this.terminate(calledInstance);
    if (instance.jobKey !== undefined) this.context.emit({ type: 'JobCanceled', key: instance.jobKey });
    this.subscriptions.close(instance);
    const userTaskKey = this.state.userTaskByElement.get(instance.key);
    if (userTaskKey !== undefined) this.context.emit({ type: 'UserTaskCanceled', key: userTaskKey, time: this.context.now });
    if (instance.incidentKey !== undefined) this.context.emit({ type: 'IncidentResolved', key: instance.incidentKey });
    this.chosenFlows.delete(instance.key);
    const startLock = instance.type === 'PROCESS' ? this.state.messageStartLockHeldBy(instance.key) : undefined;
    this.context.emit({ type: 'ElementTerminated', key: instance.key, time: this.context.now });
    if (startLock) this.startByBufferedMessage(startLock.bpmnProcessId, startLock.correlationKey);
  }

  /**
   * An instance a message started with a correlation key has ended: as Zeebe
   * does, the oldest buffered message with that key for one of the process's
   * message start events, that has not started this process yet, starts the
   * latest version now (and takes the lock in turn).
   */
  private startByBufferedMessage(bpmnProcessId: string, correlationKey: string): void {
    for (const [messageName, definitionKeys] of this.state.messageStarts) {
      const definition = [...definitionKeys].map((key) => this.state.definition(key)).find((d) => d.bpmnProcessId === bpmnProcessId);
      if (!definition) continue;
      for (const messageKey of this.state.messagesByCorrelation.get(correlationOf(messageName, correlationKey)) ?? []) {
        const message = this.state.messages.get(messageKey)!;
        if (message.expiresAt <= this.context.now || message.startedProcesses.has(bpmnProcessId)) continue;
        const startEventId = startEventFor(definition.executable, 'message', messageName)!;
        new BpmnExecutor(this.context).startProcess(definition, JSON.parse(message.variables) as VariableDocument, startEventId, (created) =>
          this.context.emit({ type: 'MessageCorrelated', messageKey: message.key, processInstanceKey: created.key, startedWithCorrelationKey: { bpmnProcessId, correlationKey } }),
        );
        return;
      }
    }
  }

  private throwFromEndEvent(instance: ElementInstance, element: Extract<FlowElement, { type: 'END_EVENT' }>): void {
    if (element.end.kind !== 'error') return;
    const code = evaluateString(element.end.errorCode, this.variables.visibleFrom(instance.key));
    if (!code.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', code.message);
    if (instance.state === 'ACTIVATING') this.context.emit({ type: 'ElementActivated', key: instance.key });
    this.throwError(instance, code.value, '', undefined);
  }

  /**
   * The catcher of an error, innermost first: in each scope, an error event
   * subprocess inside it, then an error boundary event on it (a specific code
   * before a catch-all); from a called process on into its call activity.
   */
  private findErrorCatch(
    thrower: ElementInstance,
    errorCode: string,
    kind: 'error' | 'escalation' = 'error',
  ):
    | { kind: 'boundary'; host: ElementInstance; boundary: BoundaryEventElement; interrupting: boolean }
    | { kind: 'event subprocess'; scope: ElementInstance; eventSubProcessId: string; interrupting: boolean }
    | undefined {
    const codeOf = (trigger: ErrorTrigger | EscalationTrigger) => (trigger.kind === 'error' ? trigger.errorCode : trigger.escalationCode);
    const outer = (instance: ElementInstance): number | undefined => instance.flowScopeKey ?? instance.parentElementInstanceKey;
    const byCode = <T>(candidates: T[], codeOf: (candidate: T) => string | undefined): T | undefined =>
      candidates.find((c) => codeOf(c) === errorCode) ?? candidates.find((c) => codeOf(c) === undefined);
    for (let current: ElementInstance | undefined = thrower; current; current = outer(current) === undefined ? undefined : this.state.elementInstances.get(outer(current)!)) {
      const element = this.elementOfInstance(current);
      const process = this.processOf(current);
      if (current !== thrower && (element.type === 'PROCESS' || element.type === 'SUB_PROCESS') && current.type !== 'MULTI_INSTANCE_BODY') {
        const starts = element.eventSubProcessIds.flatMap((id) => {
          const subProcess = process.elements.get(id);
          const start = subProcess?.type === 'SUB_PROCESS' ? process.elements.get(subProcess.startEventId) : undefined;
          return start?.type === 'START_EVENT' && start.trigger?.kind === kind ? [{ id, code: codeOf(start.trigger), interrupting: start.interrupting }] : [];
        });
        const match = byCode(starts, (s) => s.code);
        if (match) return { kind: 'event subprocess', scope: current, eventSubProcessId: match.id, interrupting: match.interrupting };
      }
      // An inner instance's boundary events belong to its multi-instance body, met next.
      const boundaries = (this.innerOf(current) ? [] : element.boundaryEvents)
        .map((id) => process.elements.get(id))
        .filter((b): b is BoundaryEventElement & { trigger: ErrorTrigger | EscalationTrigger } => b?.type === 'BOUNDARY_EVENT' && b.trigger.kind === kind);
      const match = byCode(boundaries, (b) => codeOf(b.trigger));
      if (match) return { kind: 'boundary', host: current, boundary: match, interrupting: match.interrupting };
    }
    return undefined;
  }


  private chooseFlows(instance: ElementInstance, element: GatewayElement): FeelResult<SequenceFlow[]> {
    if (element.outgoing.length <= 1 && element.outgoing.every((f) => f.condition === undefined)) return { ok: true, value: [...element.outgoing] };
    const scope = this.variables.visibleFrom(instance.key);
    const chosen: SequenceFlow[] = [];
    for (const flow of element.outgoing) {
      if (flow.id === element.defaultFlowId || flow.condition === undefined) continue;
      const result = evaluateBoolean(flow.condition, scope);
      if (!result.ok) return result;
      if (result.value) {
        chosen.push(flow);
        if (element.type === 'EXCLUSIVE_GATEWAY') break;
      }
    }
    if (chosen.length > 0) return { ok: true, value: chosen };
    const fallback = element.outgoing.find((f) => f.id === element.defaultFlowId);
    if (fallback) return { ok: true, value: [fallback] };
    return {
      ok: false,
      message: `Expected at least one condition to evaluate to true, or to have a default flow, but no condition of the gateway '${element.id}' was true and it has no default flow.`,
    };
  }

  raiseIncident(instance: ElementInstance, errorType: IncidentErrorType, errorMessage: string, jobKey?: number): void {
    this.context.emit({
      type: 'IncidentCreated',
      key: this.context.newKey(),
      errorType,
      errorMessage,
      elementInstanceKey: instance.key,
      jobKey,
      time: this.context.now,
    });
  }

  elementOfInstance(instance: ElementInstance): ExecutableElement {
    return elementOf(this.processOf(instance), instance.elementId);
  }

  private processOf(instance: ElementInstance): ExecutableProcess {
    return this.state.definition(instance.processDefinitionKey).executable;
  }
}
