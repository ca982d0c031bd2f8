import { type Logger } from 'pino';

/**
 * The retry half of "record the intent, commit, then call the engine": runs
 * `sweep` every `everyMs` (never two runs at once in this process) to call
 * again for what was committed but did not reach the engine. The timer does
 * not keep the process alive.
 */
export class RetrySweep {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    private readonly sweep: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass now (a pass already under way makes this one a no-op). */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep();
    } catch (error) {
      this.logger.warn({ err: error }, `${this.name} sweep failed`);
    } finally {
      this.running = false;
    }
  }
}
