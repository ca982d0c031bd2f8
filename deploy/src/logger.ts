import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured logs for every process of the system. JSON lines by default (what
 * log collectors read); human-readable when LOG_FORMAT=pretty, which `npm start`
 * picks for a terminal.
 */
export function createLogger(name: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.LOG_LEVEL ?? 'info';
  if (env.LOG_FORMAT === 'pretty') {
    return pino({
      name,
      level,
      transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' } },
    });
  }
  return pino({ name, level });
}
