import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';

/**
 * Marks the incident resolved and retries what it stopped. A job incident
 * needs retries left (update them first); a job whose BPMN error was not
 * caught is handed out again; an element incident re-runs its step, which
 * raises a new incident if the problem is still there.
 */
export function resolveIncident(context: CommandContext, incidentKey: number): void {
  const incident = context.state.incidents.get(incidentKey);
  if (!incident) throw notFound(`Expected to resolve incident with key '${incidentKey}', but no such incident was found`);
  const job = incident.jobKey === undefined ? undefined : context.state.jobs.get(incident.jobKey);
  if (job && ['JOB_NO_RETRIES', 'EXECUTION_LISTENER_NO_RETRIES', 'TASK_LISTENER_NO_RETRIES'].includes(incident.errorType) && job.retries <= 0) {
    throw invalidState(`Expected to resolve incident with key '${incidentKey}', but job with key '${job.key}' has no retries left; update its retries first`);
  }
  context.emit({ type: 'IncidentResolved', key: incidentKey });
  if (job) {
    if (incident.errorType === 'UNHANDLED_ERROR_EVENT' || job.state === 'FAILED') context.emit({ type: 'JobRecurred', key: job.key });
    return;
  }
  const element = context.state.elementInstances.get(incident.elementInstanceKey);
  if (element) new BpmnExecutor(context).retry(element);
}
