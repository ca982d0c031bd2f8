import { startEventFor } from '../../model/process-model';
import { correlationOf, type MessageEntity } from '../../state/engine-state';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { type VariableDocument } from '../variables';

export function deliverToSubscriptions(context: CommandContext, message: MessageEntity): number[] {
  const reached: number[] = [];
  const subscriptionKeys = [...(context.state.subscriptionsByCorrelation.get(correlationOf(message.name, message.correlationKey)) ?? [])];
  for (const key of subscriptionKeys) {
    const subscription = context.state.messageSubscriptions.get(key);
    // Once per process: a second waiting instance of the same process id (any version) does not get it.
    if (!subscription || message.correlatedInstances.has(subscription.processInstanceKey) || message.startedProcesses.has((context.state.definitions.get(subscription.processDefinitionKey)?.bpmnProcessId ?? ''))) continue;
    new BpmnExecutor(context).deliver(message, subscription);
    reached.push(subscription.processInstanceKey);
  }
  return reached;
}

/** Latest process definitions with a start event for the message that may start now. */
export function startableBy(context: CommandContext, name: string, correlationKey: string) {
  return [...(context.state.messageStarts.get(name) ?? [])]
    .map((key) => context.state.definition(key))
    .filter((definition) => correlationKey === '' || !context.state.messageStartLocks.has(correlationOf(definition.bpmnProcessId, correlationKey)));
}

export function startByMessage(context: CommandContext, message: MessageEntity, variables: VariableDocument): number[] {
  const reached: number[] = [];
  for (const definition of startableBy(context, message.name, message.correlationKey)) {
    if (message.startedProcesses.has(definition.bpmnProcessId)) continue;
    const startEventId = startEventFor(definition.executable, 'message', message.name)!;
    const instance = new BpmnExecutor(context).startProcess(definition, variables, startEventId, (created) =>
      context.emit({
        type: 'MessageCorrelated',
        messageKey: message.key,
        processInstanceKey: created.key,
        startedWithCorrelationKey: { bpmnProcessId: definition.bpmnProcessId, correlationKey: message.correlationKey },
      }),
    );
    reached.push(instance.key);
  }
  return reached;
}
