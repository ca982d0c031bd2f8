import { type JobEntity } from '../../state/engine-state';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { invalidArgument, invalidState, notFound } from '../rejection';
import { completeTaskListener, type TaskListenerResult } from '../task-listeners';
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

/** Completes the job and its task with the worker's variables; a listener's job lets its element or user task go on. */
export function completeJob(context: CommandContext, jobKey: number, variables: VariableDocument, result?: TaskListenerResult): void {
  const job = workableJob(context, jobKey, 'complete');
  context.emit({ type: 'JobCompleted', key: jobKey });
  if (job.listener?.kind === 'EXECUTION_LISTENER') new BpmnExecutor(context).completeExecutionListener(job, job.listener, variables);
  else if (job.listener?.kind === 'TASK_LISTENER') completeTaskListener(context, job.listener, variables, result);
  else new BpmnExecutor(context).completeElement(job.elementInstanceKey, variables);
}

export interface FailJob {
  readonly retries: number;
  readonly errorMessage: string;
  readonly retryBackOff: number;
  readonly variables: VariableDocument;
}

/** A technical failure: retried (after the back-off) while retries are left, else an incident. */
export function failJob(context: CommandContext, jobKey: number, request: FailJob): void {
  const job = workableJob(context, jobKey, 'fail');
  const executor = new BpmnExecutor(context);
  const element = context.state.element(job.elementInstanceKey);
  if (Object.keys(request.variables).length > 0) executor.variables.setLocal(element.key, element.processInstanceKey, request.variables);
  const retryAt = request.retries > 0 && request.retryBackOff > 0 ? context.now + request.retryBackOff : undefined;
  context.emit({ type: 'JobFailed', key: jobKey, retries: request.retries, errorMessage: request.errorMessage, retryAt });
  if (request.retries <= 0) {
    const message = request.errorMessage || 'No more retries left.';
    const errorType = job.listener?.kind === 'EXECUTION_LISTENER' ? 'EXECUTION_LISTENER_NO_RETRIES' : job.listener?.kind === 'TASK_LISTENER' ? 'TASK_LISTENER_NO_RETRIES' : 'JOB_NO_RETRIES';
    executor.raiseIncident(element, errorType, message, jobKey);
  }
}

/** A business error: caught by an error event of the diagram, or an incident when none matches. */
export function throwJobError(context: CommandContext, jobKey: number, errorCode: string, errorMessage: string, variables: VariableDocument): void {
  const job = workableJob(context, jobKey, 'throw an error for');
  if (errorCode.trim() === '') throw invalidArgument('Expected an error code, but it is empty.');
  // https://docs.camunda.io/docs/components/concepts/execution-listeners/: throwing a BPMN error is not supported for listener jobs.
  if (job.listener) throw invalidState(`Expected to throw an error for job with key '${jobKey}', but it is a listener job, which cannot throw BPMN errors`);
  const element = context.state.element(job.elementInstanceKey);
  context.emit({ type: 'JobErrorThrown', key: jobKey, errorCode, errorMessage });
  new BpmnExecutor(context).throwError(element, errorCode, errorMessage, variables, jobKey);
}

export function updateJob(context: CommandContext, jobKey: number, changes: { retries?: number; timeout?: number }): void {
  const job = liveJob(context, jobKey, 'update');
  if (changes.retries === undefined && changes.timeout === undefined) {
    throw invalidArgument('Expected a changeset with retries or timeout, but it has neither.');
  }
  if (changes.retries !== undefined) {
    if (changes.retries < 1) throw invalidArgument(`Expected to update the retries of job '${jobKey}' to a positive number, but it was ${changes.retries}.`);
    context.emit({ type: 'JobRetriesUpdated', key: jobKey, retries: changes.retries });
  }
  if (changes.timeout !== undefined) {
    if (job.state !== 'ACTIVATED') {
      throw invalidState(`Expected to update the timeout of job with key '${jobKey}', but it is not activated (it is in state '${stateName(job)}')`);
    }
    context.emit({ type: 'JobTimeoutUpdated', key: jobKey, deadline: context.now + changes.timeout });
  }
}

/** Time-driven: activated jobs past their deadline go back to the queue; failed jobs whose back-off ended too. */
export function releaseDueJobs(context: CommandContext, candidates: readonly number[]): void {
  for (const key of candidates) {
    const job = context.state.jobs.get(key);
    if (!job) continue;
    if (job.state === 'ACTIVATED' && job.deadline !== undefined && job.deadline <= context.now) {
      context.emit({ type: 'JobTimedOut', key });
    } else if (job.state === 'FAILED' && job.retries > 0 && job.retryAt !== undefined && job.retryAt <= context.now) {
      context.emit({ type: 'JobRecurred', key });
    }
  }
}

function liveJob(context: CommandContext, jobKey: number, action: string): JobEntity {
  const job = context.state.jobs.get(jobKey);
  if (!job) throw notFound(`Expected to ${action} job with key '${jobKey}', but no such job was found`);
  return job;
}

/** A job a worker may still finish: activated, or back in the queue after a timeout. */
function workableJob(context: CommandContext, jobKey: number, action: string): JobEntity {
  const job = liveJob(context, jobKey, action);
  if (job.state !== 'ACTIVATED' && job.state !== 'ACTIVATABLE') {
    throw invalidState(`Expected to ${action} job with key '${jobKey}', but it is in state '${stateName(job)}'`);
  }
  return job;
}

function stateName(job: JobEntity): string {
  return job.state === 'FAILED' && job.retries <= 0 ? 'FAILED (no retries left)' : job.state;
}
