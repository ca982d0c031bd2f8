import { type CommandContext } from '../command-context';
import { operationIn } from './batch-operation-lookup';

export function cancelBatchOperation(context: CommandContext, key: number): void {
  operationIn(context, key, 'cancel', ['ACTIVE', 'SUSPENDED']);
  context.emit({ type: 'BatchOperationCanceled', key, time: context.now, v: 2 });
}
