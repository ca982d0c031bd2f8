import { Heap } from 'heap-js';
import { type EngineClock } from './clock';

/**
 * Things that fall due at a time (job deadlines, retry back-offs): a binary
 * min-heap behind a single timer. Entries may be stale; whoever handles a due
 * key checks the state again, so nothing needs removing early.
 */
export class DueQueue {
  private readonly heap = new Heap<{ at: number; key: number }>((a, b) => a.at - b.at);
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: EngineClock,
    private readonly onDue: (keys: number[]) => void,
  ) {
    clock.onChange(() => this.plan());
  }

  add(at: number, key: number): void {
    this.heap.push({ at, key });
    if (at < this.timerAt) this.plan();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private plan(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    const next = this.heap.peek();
    if (!next) return;
    // Timers never fire early: a wait is at least the time left, at most ~24 days (setTimeout's range).
    const wait = Math.min(Math.max(0, next.at - this.clock.now()), 2 ** 31 - 1);
    this.timerAt = next.at;
    this.timer = setTimeout(() => this.fire(), wait);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const due: number[] = [];
    while ((this.heap.peek()?.at ?? Infinity) <= now) due.push(this.heap.pop()!.key);
    if (due.length > 0) this.onDue(due);
    this.plan();
  }
}
