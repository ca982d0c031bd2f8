import { type ExecutableDecisionGraph } from '../model/decision-model';
import { type ExecutableProcess } from '../model/process-model';
import { readBpmn } from '../model/read-bpmn';
import { readDmn } from '../model/read-dmn';
import { type EngineEvent } from './events';

/**
 * Deployed models in their executable form, by content checksum and id.
 * Parsing is asynchronous and slow, so it happens before a deployment event
 * is applied (at deployment, or while replaying the log); the appliers only
 * look models up here.
 */
export class ParsedResources {
  private readonly processes = new Map<string, ExecutableProcess>();
  private readonly decisionGraphs = new Map<string, ExecutableDecisionGraph>();

  addProcess(checksum: string, process: ExecutableProcess): void {
    this.processes.set(`${checksum}:${process.bpmnProcessId}`, process);
  }

  addDecisionGraph(checksum: string, graph: ExecutableDecisionGraph): void {
    this.decisionGraphs.set(`${checksum}:${graph.id}`, graph);
  }

  process(checksum: string, bpmnProcessId: string): ExecutableProcess {
    const process = this.processes.get(`${checksum}:${bpmnProcessId}`);
    if (!process) throw new Error(`Bug: process ${bpmnProcessId} (${checksum}) was not parsed before its deployment was applied`);
    return process;
  }

  decisionGraph(checksum: string, id: string): ExecutableDecisionGraph {
    const graph = this.decisionGraphs.get(`${checksum}:${id}`);
    if (!graph) throw new Error(`Bug: decision graph ${id} (${checksum}) was not parsed before its deployment was applied`);
    return graph;
  }

  /** Parses what a logged deployment carries, so that replaying it finds its models. */
  async parseLogged(event: Extract<EngineEvent, { type: 'DeploymentCreated' }>): Promise<void> {
    for (const process of event.processes) {
      const read = await readBpmn(process.xml);
      if (!read.ok) throw new Error(`Bug: deployed process ${process.bpmnProcessId} no longer reads: ${read.problems[0]?.message}`);
      for (const executable of read.processes) this.addProcess(process.checksum, executable);
    }
    for (const graph of event.decisionGraphs ?? []) {
      const read = await readDmn(graph.xml);
      if (!read.ok) throw new Error(`Bug: deployed decisions ${graph.decisionRequirementsId} no longer read: ${read.problems[0]?.message}`);
      this.addDecisionGraph(graph.checksum, read.graph);
    }
  }
}
