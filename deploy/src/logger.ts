import pino, { type DestinationStream, type Logger } from 'pino';
import { currentClaimLogKeys } from './log-context';

export type { Logger } from 'pino';

/**
 * Structured logs for every process of the system. JSON lines by default (what
 * log collectors read); human-readable when LOG_FORMAT=pretty, which `npm start`
 * picks for a terminal. Every line written inside a claim scope (log-context.ts)
 * carries its claimId and processInstanceKey. `destination`: where JSON lines
 * go instead of stdout (tests read them back).
 */
export function createLogger(name: string, env: NodeJS.ProcessEnv = process.env, destination?: DestinationStream): Logger {
  const mixin = () => currentClaimLogKeys();
  const level = env.LOG_LEVEL ?? 'info';
  if (env.LOG_FORMAT === 'pretty') {
    return pino({
      name,
      level,
      mixin,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' } },
    });
  }
  return destination ? pino({ name, level, mixin }, destination) : pino({ name, level, mixin });
}
