import { createHash } from 'node:crypto';
import { type ExecutableProcess } from '../../model/process-model';
import { readBpmn, type ModelProblem } from '../../model/read-bpmn';
import { type DeployedProcess } from '../../state/events';
import { type ProcessDefinitionEntity } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { invalidArgument } from '../rejection';

export interface DeploymentResource {
  readonly name: string;
  readonly content: Buffer;
}

/** A deployment read and checked outside the single writer (parsing is slow and asynchronous). */
export interface CheckedDeployment {
  readonly tenantId: string;
  readonly processes: readonly { executable: ExecutableProcess; resourceName: string; checksum: string; xml: string }[];
}

export interface DeploymentResult {
  readonly deploymentKey: number;
  readonly tenantId: string;
  readonly processes: readonly ProcessDefinitionEntity[];
}

/**
 * Reads every resource and lists all problems at once, by resource and element,
 * the way Zeebe words them. Nothing is deployed unless every resource is valid.
 */
export async function checkDeployment(resources: readonly DeploymentResource[], tenantId: string): Promise<CheckedDeployment> {
  if (resources.length === 0) throw invalidArgument('Expected to deploy at least one resource, but none given.');
  const problems: string[] = [];
  const processes: { executable: ExecutableProcess; resourceName: string; checksum: string; xml: string }[] = [];
  const seen = new Map<string, string>();
  for (const resource of resources) {
    if (!/\.(bpmn|xml)$/i.test(resource.name)) {
      problems.push(`'${resource.name}': only BPMN resources (.bpmn, .xml) can be deployed to this engine yet; DMN and forms come with its next part.`);
      continue;
    }
    const xml = resource.content.toString('utf8');
    const read = await readBpmn(xml);
    if (!read.ok) {
      problems.push(formatProblems(resource.name, read.problems));
      continue;
    }
    const checksum = createHash('sha256').update(resource.content).digest('hex');
    for (const executable of read.processes) {
      const other = seen.get(executable.bpmnProcessId);
      if (other !== undefined) {
        problems.push(`Expected the process ids to be unique within a deployment but found a duplicated id '${executable.bpmnProcessId}' in the resources '${other}' and '${resource.name}'.`);
      }
      seen.set(executable.bpmnProcessId, resource.name);
      processes.push({ executable, resourceName: resource.name, checksum, xml });
    }
  }
  if (problems.length > 0) {
    throw invalidArgument(`Expected to deploy new resources, but encountered the following errors:\n${problems.join('\n')}`);
  }
  return { tenantId, processes };
}

/** Versions each process: an unchanged resource keeps its version and key, a changed one gets the next. */
export function deploy(context: CommandContext, checked: CheckedDeployment): DeploymentResult {
  const deploymentKey = context.newKey();
  const fresh: DeployedProcess[] = [];
  const result: ProcessDefinitionEntity[] = [];
  const unchanged: ProcessDefinitionEntity[] = [];
  for (const process of checked.processes) {
    const latest = context.state.latestDefinition(process.executable.bpmnProcessId);
    if (latest && latest.checksum === process.checksum && latest.resourceName === process.resourceName) {
      unchanged.push(latest);
      continue;
    }
    fresh.push({
      key: context.newKey(),
      bpmnProcessId: process.executable.bpmnProcessId,
      version: (latest?.version ?? 0) + 1,
      name: process.executable.name,
      versionTag: process.executable.versionTag,
      resourceName: process.resourceName,
      checksum: process.checksum,
      xml: process.xml,
    });
  }
  context.emit({ type: 'DeploymentCreated', key: deploymentKey, tenantId: checked.tenantId, processes: fresh, time: context.now });
  for (const process of checked.processes) {
    const definition = context.state.latestDefinition(process.executable.bpmnProcessId)!;
    result.push(unchanged.find((u) => u.bpmnProcessId === definition.bpmnProcessId) ?? definition);
  }
  return { deploymentKey, tenantId: checked.tenantId, processes: result };
}

function formatProblems(resourceName: string, problems: readonly ModelProblem[]): string {
  const lines = problems.map((p) => (p.elementId ? `- Element: ${p.elementId}\n    - ERROR: ${p.message}` : `- ERROR: ${p.message}`));
  return `'${resourceName}':\n${lines.join('\n')}`;
}
