import { type CommandContext } from '../command-context';

/** Expires a buffered message whose time to live has passed. */
export function expireMessage(context: CommandContext, key: number): void {
  const message = context.state.messages.get(key);
  if (message && message.expiresAt <= context.now) context.emit({ type: 'MessageExpired', key });
}
