import { type ExecutableDecisionGraph } from '../model/decision-model';
import { type ElementType, type ExecutableProcess } from '../model/process-model';
import { type DeployedDecisionGraph, type DeployedForm, type DeployedProcess, type EngineEvent, type IncidentErrorType } from './events';
import { type ParsedResources } from './parsed-resources';

/**
 * The engine's runtime state, in memory, changed only by apply(event).
 *
 * It holds what is alive: definitions, active element instances, their
 * variables, jobs and open incidents. Finished things leave memory once their
 * final row is handed to the projections (the `dirty` sets), which the
 * persistence layer writes in the same transaction as the events.
 */

/** Zeebe's keys carry the partition id in their top bits; ours is partition 1. */
export const KEY_BASE = 2 ** 51;

export type ElementState = 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING' | 'COMPLETED' | 'TERMINATING' | 'TERMINATED';
export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'ERROR_THROWN';

export interface ProcessDefinitionEntity extends DeployedProcess {
  readonly deploymentKey: number;
  readonly tenantId: string;
  readonly executable: ExecutableProcess;
}

export interface DecisionGraphEntity extends DeployedDecisionGraph {
  readonly deploymentKey: number;
  readonly tenantId: string;
  readonly graph: ExecutableDecisionGraph;
}

export interface DecisionEntity {
  readonly key: number;
  readonly decisionId: string;
  readonly name: string;
  readonly version: number;
  readonly tenantId: string;
  readonly graph: DecisionGraphEntity;
}

export interface FormEntity extends DeployedForm {
  readonly deploymentKey: number;
  readonly tenantId: string;
}

export interface ElementInstance {
  readonly key: number;
  readonly elementId: string;
  readonly type: ElementType;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly flowScopeKey: number | undefined;
  readonly startDate: number;
  state: ElementState;
  endDate?: number;
  /** Child element instances not yet completed or terminated. */
  readonly childKeys: Set<number>;
  /** Tokens waiting at joins in this scope: gateway id → incoming flow id → count. */
  joinTokens?: Map<string, Map<string, number>>;
  jobKey?: number;
  incidentKey?: number;
  /** Open incidents anywhere in the process instance (process instances only). */
  incidentCount?: number;
}

export interface VariableEntity {
  readonly key: number;
  readonly name: string;
  readonly scopeKey: number;
  readonly processInstanceKey: number;
  /** The value as JSON text, as Camunda's API returns it. */
  value: string;
}

export interface JobEntity {
  readonly key: number;
  readonly type: string;
  readonly customHeaders: Readonly<Record<string, string>>;
  readonly elementInstanceKey: number;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly elementId: string;
  readonly createdAt: number;
  state: JobState;
  retries: number;
  worker?: string;
  deadline?: number;
  retryAt?: number;
  errorMessage?: string;
}

export interface IncidentEntity {
  readonly key: number;
  readonly errorType: IncidentErrorType;
  readonly errorMessage: string;
  readonly elementInstanceKey: number;
  readonly processInstanceKey: number;
  readonly processDefinitionKey: number;
  readonly elementId: string;
  readonly jobKey: number | undefined;
  readonly creationTime: number;
  state: 'ACTIVE' | 'RESOLVED';
}

/** Rows the projections must rewrite after the current batch. */
export interface DirtyEntities {
  readonly definitions: Set<ProcessDefinitionEntity>;
  readonly decisionGraphs: Set<DecisionGraphEntity>;
  readonly forms: Set<FormEntity>;
  readonly elementInstances: Set<ElementInstance>;
  readonly variables: Set<VariableEntity>;
  readonly incidents: Set<IncidentEntity>;
}

/** Live notifications for the engine around the state (none during replay). */
export interface StateObserver {
  jobActivatable(job: JobEntity): void;
  jobDeadline(job: JobEntity, at: number): void;
  jobRetryAt(job: JobEntity, at: number): void;
}

export class EngineState {
  readonly definitions = new Map<number, ProcessDefinitionEntity>();
  /** bpmnProcessId → versions, oldest first. */
  readonly definitionVersions = new Map<string, ProcessDefinitionEntity[]>();
  readonly elementInstances = new Map<number, ElementInstance>();
  readonly variablesByScope = new Map<number, Map<string, VariableEntity>>();
  readonly variables = new Map<number, VariableEntity>();
  readonly jobs = new Map<number, JobEntity>();
  /** Job type → keys of activatable jobs, in the order they became activatable. */
  readonly activatableJobs = new Map<string, Set<number>>();
  readonly incidents = new Map<number, IncidentEntity>();
  readonly decisionGraphs = new Map<number, DecisionGraphEntity>();
  /** decisionRequirementsId → versions, oldest first. */
  readonly decisionGraphVersions = new Map<string, DecisionGraphEntity[]>();
  readonly decisions = new Map<number, DecisionEntity>();
  /** decisionId → versions, oldest first. */
  readonly decisionVersions = new Map<string, DecisionEntity[]>();
  readonly forms = new Map<number, FormEntity>();
  /** formId → versions, oldest first. */
  readonly formVersions = new Map<string, FormEntity[]>();
  readonly dirty: DirtyEntities = emptyDirty();
  private lastKey = KEY_BASE;
  observer: StateObserver | undefined;

  constructor(private readonly parsed: ParsedResources) {}

  newKey(): number {
    return ++this.lastKey;
  }

  apply(event: EngineEvent): void {
    switch (event.type) {
      case 'DeploymentCreated':
        this.noteKey(event.key);
        for (const process of event.processes) this.addDefinition(process, event.key, event.tenantId);
        for (const graph of event.decisionGraphs ?? []) this.addDecisionGraph(graph, event.key, event.tenantId);
        for (const form of event.forms ?? []) this.addForm(form, event.key, event.tenantId);
        return;
      case 'DecisionEvaluated':
        this.noteKey(event.key);
        return;
      case 'ElementActivating':
        return this.elementActivating(event);
      case 'ElementActivated':
        return this.setElementState(event.key, 'ACTIVATED');
      case 'ElementCompleting':
        return this.setElementState(event.key, 'COMPLETING');
      case 'ElementTerminating':
        return this.setElementState(event.key, 'TERMINATING');
      case 'ElementCompleted':
        return this.elementEnded(event.key, 'COMPLETED', event.time);
      case 'ElementTerminated':
        return this.elementEnded(event.key, 'TERMINATED', event.time);
      case 'JoinTokenArrived': {
        const scope = this.element(event.scopeKey);
        scope.joinTokens ??= new Map();
        const perFlow = scope.joinTokens.get(event.gatewayId) ?? scope.joinTokens.set(event.gatewayId, new Map()).get(event.gatewayId)!;
        perFlow.set(event.flowId, (perFlow.get(event.flowId) ?? 0) + 1);
        return;
      }
      case 'VariableCreated':
        return this.variableCreated(event);
      case 'VariableUpdated': {
        const variable = this.variables.get(event.key);
        if (!variable) throw new Error(`Bug: variable ${event.key} is unknown`);
        variable.value = event.value;
        this.dirty.variables.add(variable);
        return;
      }
      case 'JobCreated':
        return this.jobCreated(event);
      case 'JobsActivated':
        for (const key of event.keys) {
          const job = this.job(key);
          this.activatableJobs.get(job.type)?.delete(key);
          job.state = 'ACTIVATED';
          job.worker = event.worker;
          job.deadline = event.deadline;
          this.observer?.jobDeadline(job, event.deadline);
        }
        return;
      case 'JobCompleted':
      case 'JobCanceled':
        return this.removeJob(event.key);
      case 'JobFailed': {
        const job = this.job(event.key);
        job.retries = event.retries;
        job.errorMessage = event.errorMessage;
        job.deadline = undefined;
        if (event.retries > 0 && event.retryAt === undefined) {
          this.makeActivatable(job);
        } else {
          job.state = 'FAILED';
          job.retryAt = event.retries > 0 ? event.retryAt : undefined;
          if (job.retryAt !== undefined) this.observer?.jobRetryAt(job, job.retryAt);
        }
        return;
      }
      case 'JobRecurred':
      case 'JobTimedOut': {
        const job = this.job(event.key);
        job.retryAt = undefined;
        job.deadline = undefined;
        this.makeActivatable(job);
        return;
      }
      case 'JobRetriesUpdated':
        this.job(event.key).retries = event.retries;
        return;
      case 'JobTimeoutUpdated': {
        const job = this.job(event.key);
        job.deadline = event.deadline;
        this.observer?.jobDeadline(job, event.deadline);
        return;
      }
      case 'JobErrorThrown': {
        const job = this.job(event.key);
        job.state = 'ERROR_THROWN';
        job.errorMessage = event.errorMessage;
        this.activatableJobs.get(job.type)?.delete(job.key);
        return;
      }
      case 'IncidentCreated':
        return this.incidentCreated(event);
      case 'IncidentResolved':
        return this.incidentResolved(event.key);
    }
  }

  element(key: number): ElementInstance {
    const instance = this.elementInstances.get(key);
    if (!instance) throw new Error(`Bug: element instance ${key} is unknown`);
    return instance;
  }

  job(key: number): JobEntity {
    const job = this.jobs.get(key);
    if (!job) throw new Error(`Bug: job ${key} is unknown`);
    return job;
  }

  definition(key: number): ProcessDefinitionEntity {
    const definition = this.definitions.get(key);
    if (!definition) throw new Error(`Bug: process definition ${key} is unknown`);
    return definition;
  }

  latestDefinition(bpmnProcessId: string): ProcessDefinitionEntity | undefined {
    return this.definitionVersions.get(bpmnProcessId)?.at(-1);
  }

  latestDecision(decisionId: string): DecisionEntity | undefined {
    return this.decisionVersions.get(decisionId)?.at(-1);
  }

  latestDecisionGraph(decisionRequirementsId: string): DecisionGraphEntity | undefined {
    return this.decisionGraphVersions.get(decisionRequirementsId)?.at(-1);
  }

  latestForm(formId: string): FormEntity | undefined {
    return this.formVersions.get(formId)?.at(-1);
  }

  /** Drains the rows to project; the persistence layer calls this once per batch. */
  takeDirty(): DirtyEntities {
    const taken = emptyDirty();
    for (const name of Object.keys(taken) as (keyof DirtyEntities)[]) {
      for (const entity of this.dirty[name]) (taken[name] as Set<unknown>).add(entity);
      this.dirty[name].clear();
    }
    return taken;
  }

  private noteKey(key: number): void {
    if (key > this.lastKey) this.lastKey = key;
  }

  private addDefinition(process: DeployedProcess, deploymentKey: number, tenantId: string): void {
    this.noteKey(process.key);
    const executable = this.parsed.process(process.checksum, process.bpmnProcessId);
    const entity: ProcessDefinitionEntity = { ...process, deploymentKey, tenantId, executable };
    this.definitions.set(process.key, entity);
    appendVersion(this.definitionVersions, process.bpmnProcessId, entity);
    this.dirty.definitions.add(entity);
  }

  private addDecisionGraph(deployed: DeployedDecisionGraph, deploymentKey: number, tenantId: string): void {
    this.noteKey(deployed.key);
    const graph: DecisionGraphEntity = { ...deployed, deploymentKey, tenantId, graph: this.parsed.decisionGraph(deployed.checksum, deployed.decisionRequirementsId) };
    this.decisionGraphs.set(graph.key, graph);
    appendVersion(this.decisionGraphVersions, graph.decisionRequirementsId, graph);
    for (const decision of deployed.decisions) {
      this.noteKey(decision.key);
      const entity: DecisionEntity = { ...decision, tenantId, graph };
      this.decisions.set(entity.key, entity);
      appendVersion(this.decisionVersions, entity.decisionId, entity);
    }
    this.dirty.decisionGraphs.add(graph);
  }

  private addForm(deployed: DeployedForm, deploymentKey: number, tenantId: string): void {
    this.noteKey(deployed.key);
    const form: FormEntity = { ...deployed, deploymentKey, tenantId };
    this.forms.set(form.key, form);
    appendVersion(this.formVersions, form.formId, form);
    this.dirty.forms.add(form);
  }

  private elementActivating(event: Extract<EngineEvent, { type: 'ElementActivating' }>): void {
    this.noteKey(event.key);
    const instance: ElementInstance = {
      key: event.key,
      elementId: event.elementId,
      type: event.elementType,
      processInstanceKey: event.processInstanceKey,
      processDefinitionKey: event.processDefinitionKey,
      flowScopeKey: event.flowScopeKey,
      startDate: event.time,
      state: 'ACTIVATING',
      childKeys: new Set(),
      ...(event.elementType === 'PROCESS' ? { incidentCount: 0 } : {}),
    };
    this.elementInstances.set(event.key, instance);
    this.dirty.elementInstances.add(instance);
    if (event.flowScopeKey !== undefined) {
      const scope = this.element(event.flowScopeKey);
      scope.childKeys.add(event.key);
      if (event.consumedFlows) {
        const perFlow = scope.joinTokens?.get(event.elementId);
        for (const flowId of event.consumedFlows) {
          const left = (perFlow?.get(flowId) ?? 0) - 1;
          if (left > 0) perFlow!.set(flowId, left);
          else perFlow?.delete(flowId);
        }
        if (perFlow && perFlow.size === 0) scope.joinTokens!.delete(event.elementId);
      }
    }
  }

  private setElementState(key: number, state: ElementState): void {
    const instance = this.element(key);
    instance.state = state;
    this.dirty.elementInstances.add(instance);
  }

  /** A finished element leaves memory with its variables; its final row is projected. */
  private elementEnded(key: number, state: 'COMPLETED' | 'TERMINATED', time: number): void {
    const instance = this.element(key);
    instance.state = state;
    instance.endDate = time;
    this.dirty.elementInstances.add(instance);
    if (instance.flowScopeKey !== undefined) {
      const scope = this.element(instance.flowScopeKey);
      scope.childKeys.delete(key);
    }
    this.elementInstances.delete(key);
    const scopeVariables = this.variablesByScope.get(key);
    if (scopeVariables) {
      for (const variable of scopeVariables.values()) this.variables.delete(variable.key);
      this.variablesByScope.delete(key);
    }
  }

  private variableCreated(event: Extract<EngineEvent, { type: 'VariableCreated' }>): void {
    this.noteKey(event.key);
    const variable: VariableEntity = {
      key: event.key,
      name: event.name,
      scopeKey: event.scopeKey,
      processInstanceKey: event.processInstanceKey,
      value: event.value,
    };
    this.variables.set(event.key, variable);
    const scope = this.variablesByScope.get(event.scopeKey) ?? this.variablesByScope.set(event.scopeKey, new Map()).get(event.scopeKey)!;
    scope.set(event.name, variable);
    this.dirty.variables.add(variable);
  }

  private jobCreated(event: Extract<EngineEvent, { type: 'JobCreated' }>): void {
    this.noteKey(event.key);
    const element = this.element(event.elementInstanceKey);
    const job: JobEntity = {
      key: event.key,
      type: event.jobType,
      customHeaders: event.customHeaders,
      elementInstanceKey: event.elementInstanceKey,
      processInstanceKey: element.processInstanceKey,
      processDefinitionKey: element.processDefinitionKey,
      elementId: element.elementId,
      createdAt: event.time,
      state: 'ACTIVATABLE',
      retries: event.retries,
    };
    element.jobKey = event.key;
    this.jobs.set(event.key, job);
    this.makeActivatable(job);
  }

  private makeActivatable(job: JobEntity): void {
    job.state = 'ACTIVATABLE';
    job.worker = undefined;
    const queue = this.activatableJobs.get(job.type) ?? this.activatableJobs.set(job.type, new Set()).get(job.type)!;
    queue.add(job.key);
    this.observer?.jobActivatable(job);
  }

  private removeJob(key: number): void {
    const job = this.job(key);
    this.activatableJobs.get(job.type)?.delete(key);
    this.jobs.delete(key);
    const element = this.elementInstances.get(job.elementInstanceKey);
    if (element?.jobKey === key) element.jobKey = undefined;
  }

  private incidentCreated(event: Extract<EngineEvent, { type: 'IncidentCreated' }>): void {
    this.noteKey(event.key);
    const element = this.element(event.elementInstanceKey);
    const incident: IncidentEntity = {
      key: event.key,
      errorType: event.errorType,
      errorMessage: event.errorMessage,
      elementInstanceKey: event.elementInstanceKey,
      processInstanceKey: element.processInstanceKey,
      processDefinitionKey: element.processDefinitionKey,
      elementId: element.elementId,
      jobKey: event.jobKey,
      creationTime: event.time,
      state: 'ACTIVE',
    };
    this.incidents.set(event.key, incident);
    element.incidentKey = event.key;
    this.dirty.elementInstances.add(element);
    this.dirty.incidents.add(incident);
    const processInstance = this.element(element.processInstanceKey);
    processInstance.incidentCount = (processInstance.incidentCount ?? 0) + 1;
    this.dirty.elementInstances.add(processInstance);
  }

  private incidentResolved(key: number): void {
    const incident = this.incidents.get(key);
    if (!incident) throw new Error(`Bug: incident ${key} is unknown`);
    incident.state = 'RESOLVED';
    this.incidents.delete(key);
    this.dirty.incidents.add(incident);
    const element = this.elementInstances.get(incident.elementInstanceKey);
    if (element?.incidentKey === key) {
      element.incidentKey = undefined;
      this.dirty.elementInstances.add(element);
    }
    const processInstance = this.elementInstances.get(incident.processInstanceKey);
    if (processInstance) {
      processInstance.incidentCount = Math.max(0, (processInstance.incidentCount ?? 1) - 1);
      this.dirty.elementInstances.add(processInstance);
    }
  }
}

function emptyDirty(): DirtyEntities {
  return { definitions: new Set(), decisionGraphs: new Set(), forms: new Set(), elementInstances: new Set(), variables: new Set(), incidents: new Set() };
}

function appendVersion<T>(versions: Map<string, T[]>, id: string, entity: T): void {
  const list = versions.get(id) ?? versions.set(id, []).get(id)!;
  list.push(entity);
}
