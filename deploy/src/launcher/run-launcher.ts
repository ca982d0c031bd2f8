import { createLogger } from '../logger';
import { type ComponentDefinition } from './component';
import { launch, type RunningSystem } from './launcher';
import { formatFailure, formatSummary } from './terminal';

/**
 * The process around launch(): picks readable logs for a terminal, prints the
 * summary, and turns SIGINT/SIGTERM into an orderly stop. A second signal
 * while stopping forces the exit.
 */
export function runLauncher(title: string, components: readonly ComponentDefinition[]): void {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
  };
  const logger = createLogger('launcher', env);
  let system: RunningSystem | undefined;
  let stopping = false;

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    void (system?.stop() ?? Promise.resolve()).then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stopped with errors');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  launch(components, env, logger).then(
    (running) => {
      system = running;
      if (stopping) {
        void running.stop().then(() => process.exit(0));
        return;
      }
      process.stdout.write(formatSummary(running, title));
      logger.info({ endpoints: running.endpoints }, 'ready');
    },
    (error: unknown) => {
      process.stderr.write(formatFailure(error));
      logger.flush();
      process.exit(1);
    },
  );
}
