import { type CommandContext } from '../command-context';
import { operationIn } from './batch-operation-lookup';

/** Stops a batch operation between chunks; resuming goes on at the next item. */
export function suspendBatchOperation(context: CommandContext, key: number): void {
  operationIn(context, key, 'suspend', ['ACTIVE']);
  context.emit({ type: 'BatchOperationSuspended', key });
}
