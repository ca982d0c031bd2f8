/**
 * The engine's one clock. Real time unless pinned: `PUT /v2/clock` pins it
 * (tests skip hours this way) and `POST /v2/clock/reset` releases it, as on
 * Camunda. Listeners hear every change, so timers can be re-planned.
 *
 * The API may move it only when the clock is controlled
 * (ENGINE_CLOCK_CONTROLLED=true, after Camunda's ZEEBE_CLOCK_CONTROLLED, off
 * by default): a production engine's timers must not be fired by a request.
 */
export class EngineClock {
  private pinned: number | undefined;
  private readonly listeners = new Set<() => void>();
  /** Whether PUT /v2/clock and POST /v2/clock/reset may move this clock. */
  readonly controlled: boolean;

  constructor(options: { controlled?: boolean } = {}) {
    this.controlled = options.controlled ?? false;
  }

  now(): number {
    return this.pinned ?? Date.now();
  }

  pin(epochMs: number): void {
    this.pinned = epochMs;
    for (const listener of this.listeners) listener();
  }

  reset(): void {
    this.pinned = undefined;
    for (const listener of this.listeners) listener();
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}
