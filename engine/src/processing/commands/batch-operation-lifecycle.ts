import { type BatchOperationEntity, type BatchOperationState } from '../../state/batch-operations';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';

/**
 * Suspending, resuming and cancelling a batch operation (Camunda 8.8's
 * /batch-operations/{key}/suspension, /resumption, /cancellation). They act
 * between chunks: a chunk in the log is done, the next one is not started.
 */

function operationIn(context: CommandContext, key: number, action: string, allowed: readonly BatchOperationState[]): BatchOperationEntity {
  const operation = context.state.batchOperations.operations.get(key);
  if (!operation) throw notFound(`Expected to ${action} batch operation with key '${key}', but no such batch operation was found`);
  if (!allowed.includes(operation.state)) {
    throw invalidState(`Expected to ${action} batch operation with key '${key}', but it is ${operation.state}; only a batch operation that is ${allowed.join(' or ')} can be`);
  }
  return operation;
}

export function suspendBatchOperation(context: CommandContext, key: number): void {
  operationIn(context, key, 'suspend', ['ACTIVE']);
  context.emit({ type: 'BatchOperationSuspended', key });
}

export function resumeBatchOperation(context: CommandContext, key: number): void {
  operationIn(context, key, 'resume', ['SUSPENDED']);
  context.emit({ type: 'BatchOperationResumed', key });
}

export function cancelBatchOperation(context: CommandContext, key: number): void {
  operationIn(context, key, 'cancel', ['ACTIVE', 'SUSPENDED']);
  context.emit({ type: 'BatchOperationCanceled', key, time: context.now });
}
