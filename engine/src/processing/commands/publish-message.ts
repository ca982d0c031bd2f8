import { correlationOf } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { deliverToSubscriptions, startByMessage } from './message-delivery';
import { alreadyExists } from '../rejection';
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
