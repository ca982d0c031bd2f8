import {
  containersOf,
  elementOf,
  flowElementOf,
  type BoundaryEventElement,
  type ErrorTrigger,
  type EscalationTrigger,
  startEventFor,
  type ExecutableElement,
  type ExecutableProcess,
  type FlowElement,
  type SequenceFlow,
} from '../model/process-model';
import { correlationOf, type ElementInstance, type JobEntity, type MessageEntity, type MessageSubscriptionEntity, type ProcessDefinitionEntity } from '../state/engine-state';
import { type ExecutionListenerJob, type IncidentErrorType } from '../state/events';
import { type CommandContext } from './command-context';
import { Compensation } from './compensation';
import { invalidArgument } from './rejection';
import { behaviorOf, multiInstanceBody, type BpmnBehaviors, type Catcher, type Step } from './elements';
import { collectAdHocOutput } from './elements/ad-hoc-sub-process';
import { createListenerJob, listenersOf, type ListenerEvent } from './listeners';
import { Subscriptions } from './subscriptions';
import { Variables, type VariableDocument } from './variables';

/** Elements whose own variables (an event's payload) reach their flow scope when no output mappings pick from them. */
const CATCHING_TYPES = new Set<string>(['BOUNDARY_EVENT', 'INTERMEDIATE_CATCH_EVENT', 'RECEIVE_TASK', 'START_EVENT']);

/** Whether the scope is the multi-instance body of the element, i.e. the element's instance there is an inner one. */
function isInnerScope(scope: ElementInstance, elementId: string): boolean {
  return scope.type === 'MULTI_INSTANCE_BODY' && scope.elementId === elementId;
}

/** A guard against diagrams that loop without ever waiting. */
const MAX_STEPS_PER_COMMAND = 100_000;

/** What happened to a thrown BPMN error. */
export type ErrorOutcome = ReturnType<BpmnBehaviors['throwError']>;

/**
 * Runs BPMN elements with Zeebe's semantics: element lifecycle (activating,
 * activated, completing, completed, terminating, terminated), input and output
 * mappings, sequence flows and joins, BPMN errors and incidents. One instance
 * per command; everything it does goes through the context's events.
 */
export class BpmnExecutor implements BpmnBehaviors {
  readonly variables: Variables;
  readonly subscriptions: Subscriptions;
  readonly compensation: Compensation = new Compensation(this);
  private readonly steps: Step[] = [];
  /** Chosen flows of a gateway between its activation and its completion. */
  private readonly chosenFlows = new Map<number, readonly SequenceFlow[]>();

  constructor(readonly context: CommandContext) {
    this.variables = new Variables(context);
    this.subscriptions = new Subscriptions(context, this.variables);
  }

  get state() {
    return this.context.state;
  }

  schedule(step: Step): void {
    this.steps.push(step);
  }

  /** Runs the steps a command scheduled from outside an element's lifecycle (activities of an ad-hoc subprocess) until the process waits. */
  runScheduled(): void {
    this.run();
  }

  takeOnCompletion(instance: ElementInstance, flows: readonly SequenceFlow[]): void {
    this.chosenFlows.set(instance.key, flows);
  }

  startChildProcess(definition: ProcessDefinitionEntity, variables: VariableDocument, parentElementInstanceKey: number): void {
    new BpmnExecutor(this.context).startProcess(definition, variables, undefined, undefined, parentElementInstanceKey);
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

  /**
   * An activated process instance opens its event subprocesses and starts at
   * its start elements. One inside subprocesses (a start instruction) gets
   * its flow scopes first, as a modification creates them (input mappings
   * and events, no start event), one instance of each subprocess shared by
   * all instructions inside it, as Zeebe creates them; every scope exists
   * before any start element runs. A scope that cannot be created (its input
   * mappings fail) refuses the command.
   */
  private beginProcess(instance: ElementInstance, startElements: readonly string[]): void {
    if (instance.state === 'ACTIVATING') this.context.emit({ type: 'ElementActivated', key: instance.key });
    this.openWaits(instance);
    const process = this.processOf(instance);
    const scopes = new Map<string, number>();
    const flowScopeKeys = startElements.map((elementId) => {
      let scopeKey = instance.key;
      for (const container of containersOf(process, flowElementOf(process, elementId))) {
        const known = scopes.get(container.id);
        if (known !== undefined) {
          scopeKey = known;
          continue;
        }
        const opened = this.openScope(container.id, scopeKey, {});
        if ('failed' in opened) {
          throw invalidArgument(`Expected to create instance of process with start instructions but the flow scope '${container.id}' of element '${elementId}' could not be created: ${opened.failed}`);
        }
        scopes.set(container.id, (scopeKey = opened.instance.key));
      }
      return scopeKey;
    });
    startElements.forEach((elementId, i) => this.steps.push({ kind: 'activate', elementId, flowScopeKey: flowScopeKeys[i]! }));
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

  queueBroadcast(signalName: string, variables: VariableDocument): number {
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
    const catcher = this.findCatch(thrower, errorCode, 'error');
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
      // An ad-hoc subprocess's completion condition failed: it is judged again.
      if (element.type === 'AD_HOC_SUB_PROCESS') this.steps.push({ kind: 'childEnded', scopeKey: instance.key });
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
          this.activate(step.elementId, step.flowScopeKey, step.consumedFlows, step.localVariables, step.triggered, step.key);
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

  private activate(elementId: string, flowScopeKey: number, consumedFlows?: readonly string[], localVariables?: VariableDocument, triggered?: boolean, givenKey?: number): void {
    const scope = this.state.element(flowScopeKey);
    const definition = this.state.definition(scope.processDefinitionKey);
    const element = flowElementOf(definition.executable, elementId);
    // A multi-instance activity is first a body; the body activates one inner instance per item.
    const isBody = element.multiInstance !== undefined && !isInnerScope(scope, elementId);
    const key = givenKey ?? this.context.newKey();
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
    if (instance.type === 'MULTI_INSTANCE_BODY') return multiInstanceBody.activate(this, instance, element);
    if (instance.state === 'ACTIVATING' && !afterStartListeners) {
      if (element.inputs.length > 0) {
        // Inner instances of a multi-instance see their item and loop counter, set before this.
        const mapped = this.variables.applyMappings(element.inputs, this.variables.visibleFrom(instance.key));
        if (!mapped.ok) return this.raiseIncident(instance, 'IO_MAPPING_ERROR', mapped.message);
        this.variables.setLocal(instance.key, instance.processInstanceKey, mapped.value);
      }
      if (listenersOf(element, instance, 'start').length > 0) return this.runListener(instance, element, 'start', 0);
    }
    behaviorOf(element).activate(this, instance, element);
  }

  /**
   * Marks the element activated. One that waits (completeNow false) first
   * opens what it waits for: its own timer or message, its boundary events'.
   * Returns false when that failed and an incident was raised instead.
   */
  activated(instance: ElementInstance, completeNow: boolean): boolean {
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

  /**
   * Starts an event subprocess inside its scope. An interrupting one first
   * ends everything else in the scope (and the scope's other event
   * subprocesses stop listening); a non-interrupting one runs beside it.
   * The event's variables are the event subprocess's own.
   */
  startEventSubProcess(scope: ElementInstance, eventSubProcessId: string, interrupting: boolean, variables: VariableDocument): void {
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

  private complete(instance: ElementInstance, flows?: readonly SequenceFlow[], afterEndListeners = false): void {
    const element = this.elementOfInstance(instance);
    if (instance.state !== 'COMPLETING') this.context.emit({ type: 'ElementCompleting', key: instance.key });
    if (instance.type === 'MULTI_INSTANCE_BODY') return multiInstanceBody.complete(this, instance, element as FlowElement);

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
      behaviorOf(element).completing?.(this, instance, element);
    }
    // End listeners run after the output mappings, before the element is left.
    if (!afterEndListeners && listenersOf(element, instance, 'end').length > 0) return this.runListener(instance, element, 'end', 0);

    const body = this.innerOf(instance);
    // Read before completion: a completed instance's variables leave memory.
    const loopCounter = body ? (this.variables.local(instance.key).loopCounter as number) : 0;
    if (body && element.type !== 'PROCESS' && element.multiInstance?.outputElement !== undefined) {
      const collected = multiInstanceBody.collectOutput(this, instance, body, element.multiInstance);
      if (!collected.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', collected.message);
    }
    if (element.type === 'AD_HOC_SUB_PROCESS_INNER_INSTANCE') {
      const collected = collectAdHocOutput(this, instance);
      if (!collected.ok) return this.raiseIncident(instance, 'EXTRACT_VALUE_ERROR', collected.message);
    }
    this.subscriptions.close(instance);
    const processVariables = element.type === 'PROCESS' ? this.variables.local(instance.key) : undefined;
    if (processVariables) this.context.completedProcesses.set(instance.key, processVariables);
    const startLock = element.type === 'PROCESS' ? this.state.messageStartLockHeldBy(instance.key) : undefined;
    if (element.type === 'PROCESS') this.compensation.processEnded(instance.key);
    else this.compensation.completed(instance, element, body !== undefined);
    this.context.emit({ type: 'ElementCompleted', key: instance.key, time: this.context.now });
    if (element.forCompensation === true) this.compensation.handlerCompleted(instance);
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
    if (body) return multiInstanceBody.innerCompleted(this, body, loopCounter);
    if (behaviorOf(element).leave?.(this, instance, element)) return;
    const taken = flows ?? this.chosenFlows.get(instance.key) ?? element.outgoing;
    this.chosenFlows.delete(instance.key);
    for (const flow of taken) this.takeFlow(flow, instance.flowScopeKey!);
    if (taken.length === 0) this.steps.push({ kind: 'childEnded', scopeKey: instance.flowScopeKey! });
  }

  takeFlow(flow: SequenceFlow, scopeKey: number): void {
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
    const element = this.elementOfInstance(scope);
    if (element.type !== 'PROCESS') {
      const behavior = behaviorOf(element);
      if (behavior.childEnded) return behavior.childEnded(this, scope, element);
    }
    const waitingTokens = [...(scope.joinTokens?.values() ?? [])].some((perFlow) => perFlow.size > 0);
    if (scope.childKeys.size === 0 && !waitingTokens) this.steps.push({ kind: 'complete', key: scopeKey });
  }

  /** Terminates an element and everything inside it, children first; nothing continues from it. */
  terminate(instance: ElementInstance): void {
    if (instance.state === 'TERMINATED' || instance.state === 'COMPLETED') return;
    this.context.emit({ type: 'ElementTerminating', key: instance.key });
    for (const childKey of [...instance.childKeys]) this.terminate(this.state.element(childKey));
    const element = this.elementOfInstance(instance);
    if (element.type !== 'PROCESS') behaviorOf(element).terminate?.(this, instance, element);
    if (instance.jobKey !== undefined) this.context.emit({ type: 'JobCanceled', key: instance.jobKey });
    this.subscriptions.close(instance);
    const userTaskKey = this.state.userTaskByElement.get(instance.key);
    if (userTaskKey !== undefined) this.context.emit({ type: 'UserTaskCanceled', key: userTaskKey, time: this.context.now });
    if (instance.incidentKey !== undefined) this.context.emit({ type: 'IncidentResolved', key: instance.incidentKey });
    this.chosenFlows.delete(instance.key);
    const startLock = instance.type === 'PROCESS' ? this.state.messageStartLockHeldBy(instance.key) : undefined;
    if (instance.type === 'PROCESS') this.compensation.processEnded(instance.key);
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

  /**
   * The catcher of an error, innermost first: in each scope, an error event
   * subprocess inside it, then an error boundary event on it (a specific code
   * before a catch-all); from a called process on into its call activity.
   */
  findCatch(thrower: ElementInstance, errorCode: string, kind: 'error' | 'escalation'): Catcher | undefined {
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

  processOf(instance: ElementInstance): ExecutableProcess {
    return this.state.definition(instance.processDefinitionKey).executable;
  }
}
