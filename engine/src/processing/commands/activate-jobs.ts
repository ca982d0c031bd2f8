import { type JobEntity } from '../../state/engine-state';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { type VariableDocument } from '../variables';

export interface ActivateJobs {
  readonly type: string;
  readonly worker: string;
  readonly timeout: number;
  readonly maxJobsToActivate: number;
  readonly fetchVariable?: readonly string[];
}

/** A job as handed to a worker, before it is put on the wire. */
export interface ActivatedJob {
  readonly job: JobEntity;
  readonly bpmnProcessId: string;
  readonly processDefinitionVersion: number;
  readonly tenantId: string;
  readonly deadline: number;
  readonly variables: VariableDocument;
}

/** Hands out the oldest activatable jobs of the type, each with the variables its element sees. */
export function activateJobs(context: CommandContext, request: ActivateJobs): ActivatedJob[] {
  const queue = context.state.activatableJobs.get(request.type);
  if (!queue || queue.size === 0) return [];
  const keys: number[] = [];
  for (const key of queue) {
    keys.push(key);
    if (keys.length >= request.maxJobsToActivate) break;
  }
  const deadline = context.now + request.timeout;
  context.emit({ type: 'JobsActivated', keys, worker: request.worker, deadline });
  const variables = new BpmnExecutor(context).variables;
  return keys.map((key) => {
    const job = context.state.job(key);
    const definition = context.state.definition(job.processDefinitionKey);
    return {
      job,
      bpmnProcessId: definition.bpmnProcessId,
      processDefinitionVersion: definition.version,
      tenantId: definition.tenantId,
      deadline,
      variables: variables.pick(job.elementInstanceKey, request.fetchVariable),
    };
  });
}
