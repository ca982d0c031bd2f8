import { createLogger, type Logger } from '../logger';
import { isOperatorError } from '../operator-error';
import { type Endpoint } from './component';

export type ComponentMessage =
  | { type: 'ready'; endpoints: Endpoint[] }
  | { type: 'failed'; message: string; hint?: string; operator: boolean };

export interface StartedService {
  readonly endpoints: Endpoint[];
  stop(): Promise<void>;
}

/**
 * The child side of startChildProcess, and the way to run a component on its
 * own: starts it, reports readiness to a parent if there is one, and stops it
 * gracefully on SIGTERM, SIGINT or when the parent goes away.
 */
export function runComponent(name: string, start: (logger: Logger) => Promise<StartedService>): void {
  const logger = createLogger(name);
  let service: StartedService | undefined;
  let stopping = false;

  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    try {
      await service?.stop();
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
      exitCode = 1;
    }
    logger.flush();
    process.exit(exitCode);
  };

  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // The launcher is gone (even if SIGKILLed): do not linger as an orphan.
  process.once('disconnect', () => void stop('launcher gone'));

  start(logger).then(
    (started) => {
      service = started;
      send({ type: 'ready', endpoints: started.endpoints });
      if (stopping) void started.stop();
    },
    (error: unknown) => {
      if (isOperatorError(error)) {
        send({ type: 'failed', message: error.message, hint: error.hint, operator: true });
      } else {
        logger.error({ err: error }, 'failed to start');
        send({ type: 'failed', message: String(error), operator: false });
      }
      logger.flush();
      process.exitCode = 1;
      process.disconnect?.();
    },
  );
}

function send(message: ComponentMessage): void {
  process.send?.(message);
}
