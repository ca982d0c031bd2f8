import { type BatchOperationEntity } from '../../state/batch-operations';
import { type BatchItemOutcome } from '../../state/events';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';
import { resolveIncident } from './resolve-incident';
import { migrateProcessInstance } from './migrate-process-instance';
import { modifyProcessInstance } from './modify-process-instance';
import { cancelProcessInstance } from './cancel-process-instance';

/**
 * A batch operation's items are processed a bounded chunk per command. Each
 * chunk's item results are logged with what the items did, in one entry, so
 * a crash mid-batch loses nothing and repeats nothing: a restart goes on
 * from the first item no entry reached.
 */

/**
 * Processes the next items of a batch operation, at most `max`. Each item
 * is all or nothing on its own: one the engine refuses is recorded as failed
 * with the refusal's message, and the others go on. Returns whether items are left.
 */
export function processBatchChunk(context: CommandContext, batchOperationKey: number, max: number): boolean {
  const operation = context.state.batchOperations.operations.get(batchOperationKey);
  if (operation?.state !== 'ACTIVE') return false;
  const items = operation.items.slice(operation.nextItem, operation.nextItem + max);
  const outcomes: BatchItemOutcome[] = [];
  for (const item of items) {
    context.attempt(
      () => {
        runItem(context, operation, item.processInstanceKey);
        outcomes.push({ failed: false });
      },
      (error) => outcomes.push({ failed: true, errorMessage: error instanceof Error ? error.message : String(error) }),
    );
  }
  context.emit({ type: 'BatchOperationItemsProcessed', key: batchOperationKey, outcomes, time: context.now });
  if (operation.nextItem < operation.items.length) return true;
  context.emit({ type: 'BatchOperationCompleted', key: batchOperationKey, time: context.now, v: 2 });
  return false;
}

function runItem(context: CommandContext, operation: BatchOperationEntity, processInstanceKey: number): void {
  switch (operation.type) {
    case 'CANCEL_PROCESS_INSTANCE':
      return cancelProcessInstance(context, processInstanceKey);
    case 'MIGRATE_PROCESS_INSTANCE':
      return migrateProcessInstance(context, processInstanceKey, operation.migrationPlan!);
    case 'RESOLVE_INCIDENT':
      return resolveIncidentsOf(context, processInstanceKey);
    case 'MODIFY_PROCESS_INSTANCE':
      return moveElements(context, processInstanceKey, operation.moveInstructions ?? []);
  }
}

/**
 * Moves tokens: every active instance of a source element is terminated and
 * the target element activated in the same flow scope instance, as one
 * modification of the instance (its rules apply). An instance with none of
 * the source elements active has nothing to move, and fails.
 */
function moveElements(context: CommandContext, processInstanceKey: number, moves: readonly { sourceElementId: string; targetElementId: string }[]): void {
  const instance = context.state.elementInstances.get(processInstanceKey);
  if (instance?.type !== 'PROCESS') throw notFound(`Expected to modify process instance but no process instance found with key '${processInstanceKey}'`);
  const active: { key: number; elementId: string; flowScopeKey: number | undefined }[] = [];
  const visit = (key: number) => {
    const element = context.state.element(key);
    if (element.type !== 'PROCESS') active.push(element);
    for (const child of element.childKeys) visit(child);
  };
  visit(processInstanceKey);
  const activateInstructions = [];
  const terminateInstructions = [];
  for (const move of moves) {
    for (const source of active.filter((element) => element.elementId === move.sourceElementId)) {
      terminateInstructions.push({ elementInstanceKey: source.key });
      const ancestor = source.flowScopeKey === processInstanceKey ? undefined : source.flowScopeKey;
      activateInstructions.push({ elementId: move.targetElementId, ancestorElementInstanceKey: ancestor, variableInstructions: [] });
    }
  }
  if (terminateInstructions.length === 0) {
    throw invalidState(`Expected to move elements of process instance '${processInstanceKey}', but none of ${moves.map((m) => `'${m.sourceElementId}'`).join(', ')} is active in it`);
  }
  modifyProcessInstance(context, processInstanceKey, { activateInstructions, terminateInstructions });
}

/**
 * Resolves every open incident of the process instance. A job out of
 * retries gets one retry first, as Operate's "retry" does, so the job is
 * handed out again instead of the resolution being refused.
 */
function resolveIncidentsOf(context: CommandContext, processInstanceKey: number): void {
  const instance = context.state.elementInstances.get(processInstanceKey);
  if (instance?.type !== 'PROCESS') throw notFound(`Expected to resolve the incidents of process instance with key '${processInstanceKey}', but no such process instance is active`);
  const incidents = [...context.state.incidents.values()].filter((incident) => incident.processInstanceKey === processInstanceKey);
  for (const incident of incidents) {
    if (!context.state.incidents.has(incident.key)) continue;
    const job = incident.jobKey === undefined ? undefined : context.state.jobs.get(incident.jobKey);
    if (job && job.retries <= 0) context.emit({ type: 'JobRetriesUpdated', key: job.key, retries: 1 });
    resolveIncident(context, incident.key);
  }
}
