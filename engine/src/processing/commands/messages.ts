import { startEventFor } from '../../model/process-model';
import { correlationOf, type MessageEntity } from '../../state/engine-state';
import { BpmnExecutor } from '../bpmn-executor';
import { type CommandContext } from '../command-context';
import { alreadyExists, notFound } from '../rejection';
import { type VariableDocument } from '../variables';

export interface PublishMessage {
  readonly name: string;
  readonly correlationKey: string;
  readonly timeToLive: number;
  readonly messageId?: string;
  readonly variables: VariableDocument;
}

export interface PublishedMessage {
  readonly messageKey: number;
  /** Process instances the message reached now (by subscription or by starting them), oldest subscription first. */
  readonly processInstanceKeys: readonly number[];
}

/**
 * Publishes a message as Zeebe does: it reaches every open subscription for
 * its name and correlation key (at most once per BPMN process id, across its instances and versions), starts
 * the latest version of each process with a message start event for it
 * (unless an instance started with the same correlation key still runs), and
 * stays buffered for its time to live for subscriptions opened later, and
 * for a start once the instance holding its correlation key ends
 * (BpmnExecutor.startByBufferedMessage); it starts each process at most once.
 * A message id is unique among buffered messages of the same name.
 */
export function publishMessage(context: CommandContext, request: PublishMessage): PublishedMessage {
  const { state } = context;
  if (request.messageId !== undefined && state.messageIds.has(correlationOf(request.name, request.messageId))) {
    throw alreadyExists(`Expected to publish a new message with id '${request.messageId}', but a message with that id was already published`);
  }
  const messageKey = context.newKey();
  context.emit({
    type: 'MessagePublished',
    key: messageKey,
    name: request.name,
    correlationKey: request.correlationKey,
    messageId: request.messageId,
    variables: JSON.stringify(request.variables),
    expiresAt: context.now + Math.max(0, request.timeToLive),
    time: context.now,
  });
  const message = state.messages.get(messageKey)!;
  const reached = [...deliverToSubscriptions(context, message), ...startByMessage(context, message, request.variables)];
  if (request.timeToLive <= 0) context.emit({ type: 'MessageExpired', key: messageKey });
  return { messageKey, processInstanceKeys: reached };
}

/**
 * POST /messages/correlation: like a publication without buffering, but it
 * must reach a process instance now, else nothing is written and 404 answers.
 */
export function correlateMessage(context: CommandContext, request: Omit<PublishMessage, 'timeToLive' | 'messageId'>): PublishedMessage {
  const waiting = context.state.subscriptionsByCorrelation.get(correlationOf(request.name, request.correlationKey))?.size ?? 0;
  if (waiting === 0 && startableBy(context, request.name, request.correlationKey).length === 0) {
    throw notFound(`Expected to find subscription for message with name '${request.name}' and correlation key '${request.correlationKey}', but none was found.`);
  }
  return publishMessage(context, { ...request, timeToLive: 0 });
}

/** Expires a buffered message whose time to live has passed. */
export function expireMessage(context: CommandContext, key: number): void {
  const message = context.state.messages.get(key);
  if (message && message.expiresAt <= context.now) context.emit({ type: 'MessageExpired', key });
}

function deliverToSubscriptions(context: CommandContext, message: MessageEntity): number[] {
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
function startableBy(context: CommandContext, name: string, correlationKey: string) {
  return [...(context.state.messageStarts.get(name) ?? [])]
    .map((key) => context.state.definition(key))
    .filter((definition) => correlationKey === '' || !context.state.messageStartLocks.has(correlationOf(definition.bpmnProcessId, correlationKey)));
}

function startByMessage(context: CommandContext, message: MessageEntity, variables: VariableDocument): number[] {
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
