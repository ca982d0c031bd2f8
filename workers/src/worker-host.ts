import { type CamundaJobWorker, type CamundaRestClient } from '@camunda8/sdk';
import { withClaimLogKeys } from '@claims/deploy';
import { recordJob } from './metrics';
import { PortalError } from './portal/portal-client';
import { InstanceStoodDown, type JobStep, ModelError, NotYet, type StepContext, type StepJob } from './steps/job-step';

/** Back-off before a failed job is handed out again, so a portal or SMTP outage is not hammered. */
const RETRY_BACK_OFF_MS = 5_000;

/**
 * Runs each step as a job worker on the SDK's CamundaRestClient. What a step
 * throws decides what happens to the job: a modelling error or a request the
 * portal refuses for good goes straight to an incident (retries 0) with the
 * reason; anything else is retried with back-off until the diagram's retries
 * run out. A step never crashes the process.
 */
export function startJobWorkers(engine: CamundaRestClient, steps: readonly JobStep[], context: StepContext, options: { timeoutMs: number; maxJobsActive?: number }): CamundaJobWorker<never, never>[] {
  return steps.map((step) =>
    engine.createJobWorker({
      type: step.type,
      worker: `claims-workers-${process.pid}`,
      timeout: options.timeoutMs,
      maxJobsToActivate: options.maxJobsActive ?? 8,
      fetchVariable: [...step.variables],
      pollIntervalMs: 100,
      autoStart: true,
      // Every line written while the job runs (the step's, the notifier's, the portal client's) names its claim and process instance, to follow one claim across the portal and the workers.
      jobHandler: (job) => withClaimLogKeys({ claimId: (job.variables as { claimId?: unknown }).claimId as string | undefined, processInstanceKey: String(job.processInstanceKey) }, async () => {
        const stepJob = job as unknown as StepJob;
        // The claim keys come from the scope, not from bindings here (they would be written twice).
        const log = context.logger.child({ jobType: step.type, jobKey: job.jobKey, elementId: job.elementId });
        const started = performance.now();
        const done = (outcome: Parameters<typeof recordJob>[1]) => recordJob(step.type, outcome, (performance.now() - started) / 1000);
        try {
          const result = await step.run(stepJob, { ...context, logger: log });
          if ('bpmnError' in result) {
            log.info({ errorCode: result.bpmnError.code, reason: result.bpmnError.message }, 'step raised a BPMN error');
            done('bpmn-error');
            return await job.error({ errorCode: result.bpmnError.code, errorMessage: result.bpmnError.message, variables: (result.bpmnError.variables ?? {}) as never });
          }
          log.info({ ms: Math.round(performance.now() - started) }, 'step done');
          done('completed');
          return await job.complete(result.variables as never);
        } catch (error) {
          if (error instanceof InstanceStoodDown) {
            log.warn(error.message);
            done('stood-down');
            return 'JOB_ACTION_ACKNOWLEDGEMENT' as const;
          }
          if (error instanceof NotYet) {
            log.info({ retryInMs: error.retryInMs }, error.message);
            done('not-yet');
            return await job.fail({ errorMessage: error.message, retries: job.retries, retryBackOff: error.retryInMs }).catch(() => 'JOB_ACTION_ACKNOWLEDGEMENT' as const);
          }
          const permanent = error instanceof ModelError || (error instanceof PortalError && error.permanent);
          const retries = permanent ? 0 : Math.max(0, job.retries - 1);
          const message = error instanceof Error ? error.message : String(error);
          log[retries === 0 ? 'error' : 'warn']({ err: error, retries }, retries === 0 ? 'step failed; an incident is raised' : 'step failed; it will be retried');
          done(retries === 0 ? 'incident' : 'retried');
          try {
            return await job.fail({ errorMessage: message.slice(0, 2000), retries, retryBackOff: retries === 0 ? 0 : RETRY_BACK_OFF_MS });
          } catch (failError) {
            // The job is gone (completed elsewhere, timed out and taken, instance cancelled): nothing left to tell the engine.
            log.warn({ err: failError }, 'could not report the failure; the engine no longer has this job');
            return 'JOB_ACTION_ACKNOWLEDGEMENT' as const;
          }
        }
      }),
    }),
  );
}
