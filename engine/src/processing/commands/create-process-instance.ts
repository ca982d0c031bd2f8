import { containersOf } from '../../model/process-model';
import { type ProcessDefinitionEntity } from '../../state/engine-state';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { invalidArgument, notFound } from '../rejection';
import { type VariableDocument } from '../variables';

export interface CreateProcessInstance {
  readonly processDefinitionId?: string;
  readonly processDefinitionVersion?: number;
  readonly processDefinitionKey?: number;
  readonly variables: VariableDocument;
  /** Start at these elements instead of the none start event (`startInstructions`). */
  readonly startElementIds?: readonly string[];
}

export interface CreatedProcessInstance {
  readonly definition: ProcessDefinitionEntity;
  readonly processInstanceKey: number;
}

export function createProcessInstance(context: CommandContext, request: CreateProcessInstance): CreatedProcessInstance {
  const definition = findDefinition(context, request);
  const startAt = request.startElementIds?.length ? request.startElementIds : undefined;
  for (const elementId of startAt ?? []) {
    const element = definition.executable.elements.get(elementId);
    if (!element || element.type === 'PROCESS') {
      throw invalidArgument(`Expected to start process instance at element '${elementId}', but no such element exists in process '${definition.bpmnProcessId}'.`);
    }
    if (element.type === 'BOUNDARY_EVENT' || (element.type === 'SUB_PROCESS' && element.triggeredByEvent)) {
      throw invalidArgument(`Expected to start process instance at element '${elementId}', but a boundary event or event subprocess cannot be started directly.`);
    }
    const containers = containersOf(definition.executable, element);
    // Zeebe's rules for elements inside subprocesses: their subprocesses are created, but never a multi-instance one nor one triggered by an event.
    if (containers.some((container) => container.multiInstance !== undefined)) {
      throw invalidArgument(
        `Expected to create instance of process with start instructions but the element with id '${elementId}' is inside a multi-instance subprocess. The creation of elements inside a multi-instance subprocess is not supported.`,
      );
    }
    if (containers.some((container) => container.type === 'SUB_PROCESS' && container.triggeredByEvent)) {
      throw invalidArgument(`Expected to start process instance at element '${elementId}', but it is inside an event subprocess, which only its event starts.`);
    }
    if (element.incoming.some((flow) => definition.executable.elements.get(flow.sourceId)?.type === 'EVENT_BASED_GATEWAY')) {
      throw invalidArgument(
        `Expected to create instance of process with start instructions but the element with id '${elementId}' belongs to an event-based gateway. The creation of elements belonging to an event-based gateway is not supported.`,
      );
    }
  }
  if (!startAt && !definition.executable.process.startEventId) {
    throw invalidArgument(`Expected to create an instance of process '${definition.bpmnProcessId}' with a none start event, but it has none (it starts by timer, message or signal).`);
  }
  const instance = new BpmnExecutor(context).startProcess(definition, request.variables, startAt ?? definition.executable.process.startEventId);
  return { definition, processInstanceKey: instance.key };
}

function findDefinition(context: CommandContext, request: CreateProcessInstance): ProcessDefinitionEntity {
  if (request.processDefinitionKey !== undefined) {
    const definition = context.state.definitions.get(request.processDefinitionKey);
    if (!definition) throw notFound(`Expected to find process definition with key '${request.processDefinitionKey}', but none found`);
    return definition;
  }
  if (request.processDefinitionId === undefined) {
    throw invalidArgument('Expected either a processDefinitionKey or a processDefinitionId, but neither given.');
  }
  const versions = context.state.definitionVersions.get(request.processDefinitionId);
  const version = request.processDefinitionVersion;
  const definition = version === undefined || version < 0 ? versions?.at(-1) : versions?.find((d) => d.version === version);
  if (!definition) {
    const which = version === undefined || version < 0 ? 'latest version' : `version '${version}'`;
    throw notFound(`Expected to find process definition with process ID '${request.processDefinitionId}' and ${which}, but none found`);
  }
  return definition;
}
