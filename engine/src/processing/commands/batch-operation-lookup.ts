import { type BatchOperationEntity, type BatchOperationState } from '../../state/batch-operations';
import { type CommandContext } from '../command-context';
import { invalidState, notFound } from '../rejection';

/**
 * The batch operation a suspension, resumption or cancellation names
 * (Camunda 8.8's /batch-operations/{key}/suspension, /resumption,
 * /cancellation), when its state allows that; else 404 or 409. They act
 * between chunks: a chunk in the log is done, the next one is not started.
 */
export function operationIn(context: CommandContext, key: number, action: string, allowed: readonly BatchOperationState[]): BatchOperationEntity {
  const operation = context.state.batchOperations.operations.get(key);
  if (!operation) throw notFound(`Expected to ${action} batch operation with key '${key}', but no such batch operation was found`);
  if (!allowed.includes(operation.state)) {
    throw invalidState(`Expected to ${action} batch operation with key '${key}', but it is ${operation.state}; only a batch operation that is ${allowed.join(' or ')} can be`);
  }
  return operation;
}
