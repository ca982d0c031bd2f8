import { type CommandContext } from './command-context';

/**
 * After a command failed halfway and was rolled back, the element it was
 * about gets an incident saying why (Zeebe raises one rather than leave the
 * instance half moved). Resolving it retries nothing by itself: the command
 * (a job completion, a timer) can be sent again once the cause is fixed.
 * An element gone or already in an incident is left as it is.
 */
export function raiseFailureIncident(context: CommandContext, elementInstanceKey: number | undefined, error: unknown): void {
  if (elementInstanceKey === undefined) return;
  const element = context.state.elementInstances.get(elementInstanceKey);
  if (!element || element.incidentKey !== undefined) return;
  context.emit({
    type: 'IncidentCreated',
    key: context.newKey(),
    errorType: 'UNKNOWN',
    errorMessage: `Expected to process the command, but it failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`,
    elementInstanceKey,
    jobKey: undefined,
    time: context.now,
  });
}
