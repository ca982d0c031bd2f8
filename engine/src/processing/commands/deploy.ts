import { createHash } from 'node:crypto';
import { type ExecutableDecisionGraph } from '../../model/decision-model';
import { type ExecutableProcess } from '../../model/process-model';
import { readBpmn, type ModelProblem } from '../../model/read-bpmn';
import { readDmn } from '../../model/read-dmn';
import { readForm } from '../../model/read-form';
import { type DeployedDecisionGraph, type DeployedForm, type DeployedProcess } from '../../state/events';
import { type DecisionGraphEntity, type FormEntity, type ProcessDefinitionEntity } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { invalidArgument } from '../rejection';
import { planStartTimers, replaceStartTimers } from './start-timers';

export interface DeploymentResource {
  readonly name: string;
  readonly content: Buffer;
}

interface CheckedResource {
  readonly resourceName: string;
  readonly checksum: string;
}

/** A deployment read and checked outside the single writer (parsing is slow and asynchronous). */
export interface CheckedDeployment {
  readonly tenantId: string;
  readonly processes: readonly (CheckedResource & { executable: ExecutableProcess; xml: string })[];
  readonly decisionGraphs: readonly (CheckedResource & { graph: ExecutableDecisionGraph; xml: string })[];
  readonly forms: readonly (CheckedResource & { formId: string; schema: string })[];
}

export interface DeploymentResult {
  readonly deploymentKey: number;
  readonly tenantId: string;
  readonly processes: readonly ProcessDefinitionEntity[];
  readonly decisionGraphs: readonly DecisionGraphEntity[];
  readonly forms: readonly FormEntity[];
}

type ResourceKind = 'bpmn' | 'dmn' | 'form';

/** Camunda tells resources apart by file name, as we do. */
function kindOf(name: string): ResourceKind | undefined {
  if (/\.(bpmn|xml)$/i.test(name)) return 'bpmn';
  if (/\.dmn$/i.test(name)) return 'dmn';
  if (/\.form$/i.test(name)) return 'form';
  return undefined;
}

/**
 * Reads every resource and lists all problems at once, by resource and element,
 * the way Zeebe words them. Nothing is deployed unless every resource is valid.
 */
export async function checkDeployment(resources: readonly DeploymentResource[], tenantId: string): Promise<CheckedDeployment> {
  if (resources.length === 0) throw invalidArgument('Expected to deploy at least one resource, but none given.');
  const problems: string[] = [];
  const checked = { tenantId, processes: [], decisionGraphs: [], forms: [] } as {
    tenantId: string;
    processes: CheckedDeployment['processes'][number][];
    decisionGraphs: CheckedDeployment['decisionGraphs'][number][];
    forms: CheckedDeployment['forms'][number][];
  };
  const seen = { process: new Map<string, string>(), decision: new Map<string, string>(), graph: new Map<string, string>(), form: new Map<string, string>() };
  const unique = (kind: keyof typeof seen, label: string, id: string, resourceName: string): void => {
    const other = seen[kind].get(id);
    if (other !== undefined) {
      problems.push(`Expected the ${label} ids to be unique within a deployment but found a duplicated id '${id}' in the resources '${other}' and '${resourceName}'.`);
    }
    seen[kind].set(id, resourceName);
  };
  for (const resource of resources) {
    const kind = kindOf(resource.name);
    if (!kind) {
      problems.push(`'${resource.name}': Expected a BPMN (.bpmn, .xml), DMN (.dmn) or form (.form) resource, but the name ends otherwise.`);
      continue;
    }
    const text = resource.content.toString('utf8');
    const base = { resourceName: resource.name, checksum: createHash('sha256').update(resource.content).digest('hex') };
    if (kind === 'bpmn') {
      const read = await readBpmn(text);
      if (!read.ok) {
        problems.push(formatProblems(resource.name, read.problems));
        continue;
      }
      for (const executable of read.processes) {
        unique('process', 'process', executable.bpmnProcessId, resource.name);
        checked.processes.push({ ...base, executable, xml: text });
      }
    } else if (kind === 'dmn') {
      const read = await readDmn(text);
      if (!read.ok) {
        problems.push(formatProblems(resource.name, read.problems));
        continue;
      }
      unique('graph', 'decision requirements', read.graph.id, resource.name);
      for (const decisionId of read.graph.decisions.keys()) unique('decision', 'decision', decisionId, resource.name);
      checked.decisionGraphs.push({ ...base, graph: read.graph, xml: text });
    } else {
      const read = readForm(text);
      if (!read.ok) {
        problems.push(formatProblems(resource.name, read.problems));
        continue;
      }
      unique('form', 'form', read.formId, resource.name);
      checked.forms.push({ ...base, formId: read.formId, schema: text });
    }
  }
  if (problems.length > 0) {
    throw invalidArgument(`Expected to deploy new resources, but encountered the following errors:\n${problems.join('\n')}`);
  }
  return checked;
}

/**
 * Versions each resource: an unchanged one (same name and content as its
 * latest version) keeps its version and key, a changed one gets the next.
 */
export function deploy(context: CommandContext, checked: CheckedDeployment): DeploymentResult {
  const { state } = context;
  for (const { graph } of checked.decisionGraphs) {
    for (const decisionId of graph.decisions.keys()) {
      const owner = state.latestDecision(decisionId)?.graph.decisionRequirementsId;
      if (owner !== undefined && owner !== graph.id) {
        throw invalidArgument(
          `Expected the decision id '${decisionId}' to belong to the decision requirements '${owner}' it was deployed with, but it is now in '${graph.id}'.`,
        );
      }
    }
  }
  const isUnchanged = (latest: { checksum: string; resourceName: string } | undefined, resource: CheckedResource) =>
    latest !== undefined && latest.checksum === resource.checksum && latest.resourceName === resource.resourceName;

  // Start timers are scheduled before anything is written, so a bad one refuses the deployment.
  const startTimers = new Map(checked.processes.map((p) => [p.executable.bpmnProcessId, planStartTimers(context, p.executable)]));
  const previousVersions = new Map(checked.processes.map((p) => [p.executable.bpmnProcessId, state.latestDefinition(p.executable.bpmnProcessId)]));
  const deploymentKey = context.newKey();
  const processes: DeployedProcess[] = [];
  for (const process of checked.processes) {
    const latest = state.latestDefinition(process.executable.bpmnProcessId);
    if (isUnchanged(latest, process)) continue;
    processes.push({
      key: context.newKey(),
      bpmnProcessId: process.executable.bpmnProcessId,
      version: state.nextVersion('PROCESS', process.executable.bpmnProcessId, latest?.version),
      name: process.executable.name,
      versionTag: process.executable.versionTag,
      resourceName: process.resourceName,
      checksum: process.checksum,
      xml: process.xml,
    });
  }
  const decisionGraphs: DeployedDecisionGraph[] = [];
  for (const resource of checked.decisionGraphs) {
    const latest = state.latestDecisionGraph(resource.graph.id);
    if (isUnchanged(latest, resource)) continue;
    decisionGraphs.push({
      key: context.newKey(),
      decisionRequirementsId: resource.graph.id,
      name: resource.graph.name,
      version: state.nextVersion('DECISION_REQUIREMENTS', resource.graph.id, latest?.version),
      resourceName: resource.resourceName,
      checksum: resource.checksum,
      xml: resource.xml,
      decisions: [...resource.graph.decisions.values()].map((decision) => ({
        key: context.newKey(),
        decisionId: decision.id,
        name: decision.name,
        version: state.nextVersion('DECISION', decision.id, state.latestDecision(decision.id)?.version),
      })),
    });
  }
  const forms: DeployedForm[] = [];
  for (const resource of checked.forms) {
    const latest = state.latestForm(resource.formId);
    if (isUnchanged(latest, resource)) continue;
    forms.push({ key: context.newKey(), formId: resource.formId, version: state.nextVersion('FORM', resource.formId, latest?.version), resourceName: resource.resourceName, checksum: resource.checksum, schema: resource.schema });
  }
  context.emit({ type: 'DeploymentCreated', key: deploymentKey, tenantId: checked.tenantId, processes, decisionGraphs, forms, time: context.now });
  for (const process of processes) {
    replaceStartTimers(context, previousVersions.get(process.bpmnProcessId), state.definition(process.key), startTimers.get(process.bpmnProcessId) ?? []);
  }
  return {
    deploymentKey,
    tenantId: checked.tenantId,
    processes: checked.processes.map((p) => state.latestDefinition(p.executable.bpmnProcessId)!),
    decisionGraphs: checked.decisionGraphs.map((g) => state.latestDecisionGraph(g.graph.id)!),
    forms: checked.forms.map((f) => state.latestForm(f.formId)!),
  };
}

function formatProblems(resourceName: string, problems: readonly ModelProblem[]): string {
  const lines = problems.map((p) => (p.elementId ? `- Element: ${p.elementId}\n    - ERROR: ${p.message}` : `- ERROR: ${p.message}`));
  return `'${resourceName}':\n${lines.join('\n')}`;
}
