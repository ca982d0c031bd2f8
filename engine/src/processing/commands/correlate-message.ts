import { correlationOf } from '../../state/engine-state';
import { type CommandContext } from '../command-context';
import { notFound } from '../rejection';
import { startableBy } from './message-delivery';
import { type PublishMessage, type PublishedMessage, publishMessage } from './publish-message';

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
