import { type Logger } from 'pino';
import { RetrySweep } from '../claims/retry-sweep';
import { type EngineClient } from './engine-client';

const SWEEP_EVERY_MS = 60_000;

/**
 * A sweep that starts a message-started process for what waits on it (each
 * policy's renewal, each due invoice's collection): each minute, once the
 * process is deployed, `publish` publishes the start messages. A pass under
 * way when asked makes the call a no-op (RetrySweep).
 */
export class MessageStartSweep {
  private readonly sweeper: RetrySweep;
  private deployed = false;

  constructor(
    name: string,
    private readonly engine: EngineClient,
    private readonly processId: string,
    publish: () => Promise<void>,
    logger: Logger,
  ) {
    this.sweeper = new RetrySweep(name, SWEEP_EVERY_MS, async () => {
      if (await this.processDeployed()) await publish();
    }, logger);
  }

  /** Every minute from now, and a first pass at once. */
  start(): void {
    this.sweeper.start();
    void this.sweeper.run();
  }

  stop(): void {
    this.sweeper.stop();
  }

  run(): Promise<void> {
    return this.sweeper.run();
  }

  private async processDeployed(): Promise<boolean> {
    if (!this.deployed) {
      const found = await this.engine.call<{ items: unknown[] }>('POST', '/v2/process-definitions/search', { filter: { processDefinitionId: this.processId }, page: { from: 0, limit: 1 } });
      this.deployed = found.items.length > 0;
    }
    return this.deployed;
  }
}
