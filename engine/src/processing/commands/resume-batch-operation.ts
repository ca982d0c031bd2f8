import { type CommandContext } from '../command-context';
import { operationIn } from './batch-operation-lookup';

export function resumeBatchOperation(context: CommandContext, key: number): void {
  operationIn(context, key, 'resume', ['SUSPENDED']);
  context.emit({ type: 'BatchOperationResumed', key });
}
