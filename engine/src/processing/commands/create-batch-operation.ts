import { type BatchOperationType, type MigrationPlan, type MoveInstruction } from '../../state/events';
import { type CommandContext } from '../command-context';
import { notFound } from '../rejection';

export interface CreatedBatchOperation {
  readonly batchOperationKey: number;
  readonly batchOperationType: BatchOperationType;
}

/**
 * Creates a batch operation over the process instances a filter matched, as
 * Camunda 8.8 does: the items are logged with it, and processed afterwards
 * in the background (process-batch-chunk.ts).
 */
export function createBatchOperation(
  context: CommandContext,
  batchOperationType: BatchOperationType,
  processInstanceKeys: readonly number[],
  plan: { migrationPlan?: MigrationPlan; moveInstructions?: readonly MoveInstruction[] } = {},
): CreatedBatchOperation {
  const { migrationPlan, moveInstructions } = plan;
  if (migrationPlan && !context.state.definitions.has(migrationPlan.targetProcessDefinitionKey)) {
    throw notFound(`Expected to migrate process instances to process definition but no process definition found with key '${migrationPlan.targetProcessDefinitionKey}' (migrationPlan.targetProcessDefinitionKey)`);
  }
  const key = context.newKey();
  context.emit({ type: 'BatchOperationCreated', key, batchOperationType, processInstanceKeys, ...(migrationPlan ? { migrationPlan } : {}), ...(moveInstructions ? { moveInstructions } : {}), time: context.now });
  if (processInstanceKeys.length === 0) context.emit({ type: 'BatchOperationCompleted', key, time: context.now, v: 2 });
  return { batchOperationKey: key, batchOperationType };
}

