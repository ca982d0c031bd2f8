import { createLogger } from '../logger';
import { type ComponentDefinition } from './component';
import { launch, type RunningSystem } from './launcher';
import { endOwnedProcessesNow } from './owned-processes';
import { formatFailure, formatSummary } from './terminal';

/**
 * A signal repeated within this time is the same request delivered twice, not
 * an impatient person: a Ctrl-C under `npm start` reaches the launcher from the
 * terminal and again from npm, which forwards it.
 */
const REPEATED_SIGNAL_MS = 2_000;

/** Why launch() was cut short: the stop a person asked for, not a failure. */
class StopRequested extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`stop requested (${signal}) while starting`);
    this.name = 'StopRequested';
  }
}

/**
 * The process around launch(): picks readable logs for a terminal, prints the
 * summary, and turns SIGINT/SIGTERM into an orderly stop at any moment, even
 * half-way through starting (then what was started, PostgreSQL included, is
 * stopped). A further signal, later, while stopping ends every part at once
 * and exits without waiting.
 */
export function runLauncher(title: string, components: readonly ComponentDefinition[]): void {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
  };
  const logger = createLogger('launcher', env);
  const starting = new AbortController();
  let system: RunningSystem | undefined;
  let stoppingSince: number | undefined;

  const exitAfter = (stopped: Promise<void>) => {
    stopped.then(
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

  const shutdown = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < REPEATED_SIGNAL_MS) return;
      logger.warn({ signal }, 'second signal: ending every part now and exiting without waiting');
      logger.flush();
      endOwnedProcessesNow();
      process.exit(130);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'stopping');
    // Still starting: launch() stops what it started and rejects, handled below.
    if (system) exitAfter(system.stop());
    else starting.abort(new StopRequested(signal));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  launch(components, env, logger, starting.signal).then(
    (running) => {
      system = running;
      if (stoppingSince !== undefined) return exitAfter(running.stop());
      process.stdout.write(formatSummary(running, title));
      logger.info({ endpoints: running.endpoints }, 'ready');
    },
    (error: unknown) => {
      if (starting.signal.aborted) {
        // Asked to stop: whatever else went wrong while cutting the start short, nothing is left running.
        if (!(error instanceof StopRequested)) logger.warn({ err: error }, 'start ended with an error while stopping');
        return exitAfter(Promise.resolve());
      }
      process.stderr.write(formatFailure(error));
      logger.flush();
      process.exit(1);
    },
  );
}
