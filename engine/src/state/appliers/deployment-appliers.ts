import { type DecisionEntity, type DecisionGraphEntity, type EngineState, type FormEntity, type ProcessDefinitionEntity } from '../engine-state';
import { type DeletableResourceType, type DeployedDecisionGraph, type DeployedForm, type DeployedProcess } from '../events';
import { addTo, appendVersion, removeVersion } from '../indexes';
import { type AppliersByType } from './registry';

/** Deployed resources (processes, decision graphs, forms): deployed, versioned, deleted. */
export const deploymentAppliers = {
  DeploymentCreated(state, event) {
    state.noteKey(event.key);
    for (const process of event.processes) addDefinition(state, process, event.key, event.tenantId);
    for (const graph of event.decisionGraphs ?? []) addDecisionGraph(state, graph, event.key, event.tenantId);
    for (const form of event.forms ?? []) addForm(state, form, event.key, event.tenantId);
  },
  ResourceDeleted: (state, event) => resourceDeleted(state, event.key, event.resourceType),
} satisfies Partial<AppliersByType>;

function addDefinition(state: EngineState, process: DeployedProcess, deploymentKey: number, tenantId: string): void {
  state.noteKey(process.key);
  const executable = state.parsed.process(process.checksum, process.bpmnProcessId);
  const entity: ProcessDefinitionEntity = { ...process, deploymentKey, tenantId, executable };
  state.definitions.set(process.key, entity);
  const previous = state.definitionVersions.get(process.bpmnProcessId)?.at(-1);
  appendVersion(state.definitionVersions, process.bpmnProcessId, entity, state.journal);
  state.dirty.definitions.add(entity);
  // Only the latest version of a process listens for its start messages.
  if (previous) for (const starts of [...state.messageStarts.values(), ...state.signalStarts.values()]) starts.delete(previous.key);
  listenForStarts(state, entity);
}

/** The latest version of a process listens for its start messages and signals. */
function listenForStarts(state: EngineState, entity: ProcessDefinitionEntity): void {
  const { executable } = entity;
  for (const startId of executable.process.triggeredStartEventIds) {
    const start = executable.elements.get(startId);
    if (start?.type !== 'START_EVENT') continue;
    if (start.trigger?.kind === 'message' && start.trigger.messageName.kind === 'static') addTo(state.messageStarts, start.trigger.messageName.value, entity.key);
    if (start.trigger?.kind === 'signal' && start.trigger.signalName.kind === 'static') addTo(state.signalStarts, start.trigger.signalName.value, entity.key);
  }
}

function addDecisionGraph(state: EngineState, deployed: DeployedDecisionGraph, deploymentKey: number, tenantId: string): void {
  state.noteKey(deployed.key);
  const graph: DecisionGraphEntity = { ...deployed, deploymentKey, tenantId, graph: state.parsed.decisionGraph(deployed.checksum, deployed.decisionRequirementsId) };
  state.decisionGraphs.set(graph.key, graph);
  appendVersion(state.decisionGraphVersions, graph.decisionRequirementsId, graph, state.journal);
  for (const decision of deployed.decisions) {
    state.noteKey(decision.key);
    const entity: DecisionEntity = { ...decision, tenantId, graph };
    state.decisions.set(entity.key, entity);
    appendVersion(state.decisionVersions, entity.decisionId, entity, state.journal);
  }
  state.dirty.decisionGraphs.add(graph);
}

function addForm(state: EngineState, deployed: DeployedForm, deploymentKey: number, tenantId: string): void {
  state.noteKey(deployed.key);
  const form: FormEntity = { ...deployed, deploymentKey, tenantId };
  state.forms.set(form.key, form);
  appendVersion(state.formVersions, form.formId, form, state.journal);
  state.dirty.forms.add(form);
}

/**
 * A deleted resource leaves memory; the previous version (if any) becomes
 * the latest again, and with it its message and signal start events (its
 * start timers are opened by the command).
 */
function resourceDeleted(state: EngineState, key: number, resourceType: DeletableResourceType): void {
  const highWater = (id: string, version: number) => {
    const name = `${resourceType}\u0000${id}`;
    state.deletedVersions.set(name, Math.max(version, state.deletedVersions.get(name) ?? 0));
  };
  if (resourceType === 'PROCESS') {
    const definition = state.definition(key);
    const wasLatest = state.latestDefinition(definition.bpmnProcessId) === definition;
    state.definitions.delete(key);
    removeVersion(state.definitionVersions, definition.bpmnProcessId, definition, state.journal);
    highWater(definition.bpmnProcessId, definition.version);
    for (const starts of [...state.messageStarts.values(), ...state.signalStarts.values()]) starts.delete(key);
    const previous = state.latestDefinition(definition.bpmnProcessId);
    if (wasLatest && previous) listenForStarts(state, previous);
    // Rows of its instances that finished in this batch are deleted with it, not written.
    const dirtyOfIt: Set<{ readonly processDefinitionKey?: number }>[] = [
      state.dirty.elementInstances, state.dirty.incidents, state.dirty.userTasks, state.dirty.jobs, state.dirty.messageSubscriptions, state.dirty.sequenceFlows, state.dirty.decisionInstances,
    ];
    for (const rows of dirtyOfIt) for (const row of [...rows]) if (row.processDefinitionKey === key) rows.delete(row);
    state.dirty.definitions.delete(definition);
    state.dirty.deletedResources.add({ resourceType, key });
    return;
  }
  if (resourceType === 'DECISION_REQUIREMENTS') {
    const graph = state.decisionGraphs.get(key);
    if (!graph) throw new Error(`Bug: decision requirements ${key} are unknown`);
    state.decisionGraphs.delete(key);
    removeVersion(state.decisionGraphVersions, graph.decisionRequirementsId, graph, state.journal);
    highWater(graph.decisionRequirementsId, graph.version);
    for (const deployed of graph.decisions) {
      const decision = state.decisions.get(deployed.key);
      if (!decision) continue;
      state.decisions.delete(deployed.key);
      removeVersion(state.decisionVersions, decision.decisionId, decision, state.journal);
      const name = `DECISION\u0000${decision.decisionId}`;
      state.deletedVersions.set(name, Math.max(decision.version, state.deletedVersions.get(name) ?? 0));
    }
    state.dirty.decisionGraphs.delete(graph);
    state.dirty.deletedResources.add({ resourceType, key, decisionKeys: graph.decisions.map((d) => d.key) });
    return;
  }
  const form = state.forms.get(key);
  if (!form) throw new Error(`Bug: form ${key} is unknown`);
  state.forms.delete(key);
  removeVersion(state.formVersions, form.formId, form, state.journal);
  highWater(form.formId, form.version);
  state.dirty.forms.delete(form);
  state.dirty.deletedResources.add({ resourceType, key });
}
