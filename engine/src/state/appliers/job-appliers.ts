import { type EngineState, type JobEntity, type JobSearchState } from '../engine-state';
import { type AppliersByType } from './registry';

/** Jobs: created, handed out, failed, retried, timed out, ended. */
export const jobAppliers = {
  JobCreated(state, event) {
    state.noteKey(event.key);
    const element = state.element(event.elementInstanceKey);
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
      ...(event.listener ? { listener: event.listener } : {}),
    };
    state.touch(element).jobKey = event.key;
    state.jobs.set(event.key, job);
    state.dirty.jobs.add(job);
    makeActivatable(state, job);
  },
  JobsActivated(state, event) {
    for (const key of event.keys) {
      const job = state.touch(state.job(key));
      state.activatableJobs.get(job.type)?.delete(key);
      job.state = 'ACTIVATED';
      job.worker = event.worker;
      job.deadline = event.deadline;
      state.dirty.jobs.add(job);
      state.observer?.jobDeadline(job, event.deadline);
    }
  },
  JobCompleted: (state, event) => removeJob(state, event.key, 'COMPLETED'),
  JobCanceled: (state, event) => removeJob(state, event.key, 'CANCELED'),
  JobFailed(state, event) {
    const job = state.touch(state.job(event.key));
    job.retries = event.retries;
    job.errorMessage = event.errorMessage;
    job.deadline = undefined;
    setSearchState(state, job, 'FAILED');
    if (event.retries > 0) job.hasFailedWithRetriesLeft = true;
    if (event.retries > 0 && event.retryAt === undefined) {
      makeActivatable(state, job);
    } else {
      job.state = 'FAILED';
      job.retryAt = event.retries > 0 ? event.retryAt : undefined;
      if (job.retryAt !== undefined) state.observer?.jobRetryAt(job, job.retryAt);
    }
  },
  JobRecurred(state, event) {
    const job = state.touch(state.job(event.key));
    job.retryAt = undefined;
    job.deadline = undefined;
    state.dirty.jobs.add(job);
    makeActivatable(state, job);
  },
  JobTimedOut(state, event) {
    const job = state.touch(state.job(event.key));
    job.retryAt = undefined;
    job.deadline = undefined;
    setSearchState(state, job, 'TIMED_OUT');
    makeActivatable(state, job);
  },
  JobRetriesUpdated(state, event) {
    const job = state.touch(state.job(event.key));
    job.retries = event.retries;
    setSearchState(state, job, 'RETRIES_UPDATED');
  },
  JobTimeoutUpdated(state, event) {
    const job = state.touch(state.job(event.key));
    job.deadline = event.deadline;
    state.dirty.jobs.add(job);
    state.observer?.jobDeadline(job, event.deadline);
  },
  JobErrorThrown(state, event) {
    const job = state.touch(state.job(event.key));
    job.state = 'ERROR_THROWN';
    job.errorMessage = event.errorMessage;
    job.errorCode = event.errorCode;
    setSearchState(state, job, 'ERROR_THROWN');
    state.activatableJobs.get(job.type)?.delete(job.key);
  },
} satisfies Partial<AppliersByType>;

function makeActivatable(state: EngineState, job: JobEntity): void {
  state.touch(job);
  job.state = 'ACTIVATABLE';
  job.worker = undefined;
  const queue = state.activatableJobs.get(job.type) ?? state.activatableJobs.set(job.type, state.set()).get(job.type)!;
  queue.add(job.key);
  state.observer?.jobActivatable(job);
}

function setSearchState(state: EngineState, job: JobEntity, searchState: JobSearchState): void {
  state.touch(job).searchState = searchState;
  state.dirty.jobs.add(job);
}

function removeJob(state: EngineState, key: number, searchState: 'COMPLETED' | 'CANCELED'): void {
  const job = state.touch(state.job(key));
  setSearchState(state, job, searchState);
  state.activatableJobs.get(job.type)?.delete(key);
  state.jobs.delete(key);
  const element = state.elementInstances.get(job.elementInstanceKey);
  if (element?.jobKey === key) state.touch(element).jobKey = undefined;
}
